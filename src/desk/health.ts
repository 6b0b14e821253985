/**
 * Health data on the desk (reasons, urgent marks, summaries): who the signed-in user is as a viewer of it, and the
 * urgent mark and doctor's summary of every row of a queue in one read. The per-row checks
 * are src/reasons/access.ts's own (mayReadHealth, mayReadUrgency): a desk user gets the
 * urgent mark only; a doctor only their own patients' summaries; nothing is logged.
 */
import type { Db } from "../db/client.ts";
import { queueHealthRows } from "../stores/health.ts";
import { mayReadHealth, mayReadUrgency, type Viewer } from "../reasons/access.ts";
import type { SummaryView, UrgencyView } from "../reasons/read.ts";
import { mergeFlags, parseFlags } from "../reasons/red-flags.ts";
import type { StaffUser } from "./access.ts";

/** The reasons' viewer for a desk user looking at `clinicId` (an admin's "all" names that clinic). */
export function viewerOf(user: StaffUser, clinicId: number): Viewer {
  return {
    role: user.role,
    clinicIds: user.clinicIds === "all" ? [clinicId] : user.clinicIds,
    ...(user.role === "doctor" && user.doctorId !== null ? { doctorId: user.doctorId } : {}),
  };
}

export interface RowHealth {
  urgency: UrgencyView;
  /** Only for a viewer who may read health data (the doctor of the appointment, an admin): else undefined. */
  summary?: SummaryView | null;
  hasRecording?: boolean;
}

/** The urgent mark (and, where allowed, the summary) of each appointment, keyed by id. */
export async function queueHealth(
  db: Db,
  viewer: Viewer,
  appointmentIds: readonly number[],
): Promise<Map<number, RowHealth>> {
  const out = new Map<number, RowHealth>();
  if (appointmentIds.length === 0) return out;
  const results = await queueHealthRows(db, appointmentIds);
  for (const row of results) {
    const scope = { id: row.id, clinicId: row.clinicId, doctorId: row.doctorId, patientId: row.patientId };
    if (!mayReadUrgency(viewer, scope)) continue;
    const urgency: UrgencyView = {
      urgent: Boolean(row.urgent),
      flags: mergeFlags(parseFlags(row.redFlags), parseFlags(row.aiRedFlags)),
    };
    if (!mayReadHealth(viewer, scope)) {
      out.set(row.id, { urgency });
      continue;
    }
    const summary: SummaryView | null =
      row.text !== null && row.method !== null && row.generatedAt !== null
        ? {
            text: row.text,
            method: row.method,
            model: row.model,
            fallbackCause: row.fallbackCause,
            generatedAt: row.generatedAt,
            ...urgency,
          }
        : null;
    out.set(row.id, { urgency, summary, hasRecording: Boolean(row.hasRecording) });
  }
  return out;
}
