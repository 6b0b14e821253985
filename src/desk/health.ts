/**
 * Health data on the desk (reasons, urgent marks, summaries): who the signed-in user is as a viewer of it, and the
 * urgent mark and doctor's summary of every row of a queue in one read. The per-row checks
 * are src/reasons/access.ts's own (mayReadHealth, mayReadUrgency): a desk user gets the
 * urgent mark only; a doctor only their own patients' summaries; nothing is logged.
 */
import type { Db } from "../db/client.ts";
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
  const { results } = await db.$client
    .prepare(
      `SELECT a.id, a.clinic_id, a.doctor_id, a.patient_id, a.urgent, r.red_flags, r.ai_red_flags,
              r.recording_sid IS NOT NULL AS has_recording,
              s.text, s.method, s.model, s.fallback_cause, s.generated_at
         FROM appointments a
         LEFT JOIN visit_reasons r ON r.appointment_id = a.id
         LEFT JOIN visit_summaries s ON s.appointment_id = a.id AND s.clinic_id = a.clinic_id
        WHERE a.id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(appointmentIds))
    .all<{
      id: number;
      clinic_id: number;
      doctor_id: number;
      patient_id: number;
      urgent: number;
      red_flags: string | null;
      ai_red_flags: string | null;
      has_recording: number | null;
      text: string | null;
      method: SummaryView["method"] | null;
      model: string | null;
      fallback_cause: string | null;
      generated_at: string | null;
    }>();
  for (const row of results) {
    const scope = { id: row.id, clinicId: row.clinic_id, doctorId: row.doctor_id, patientId: row.patient_id };
    if (!mayReadUrgency(viewer, scope)) continue;
    const urgency: UrgencyView = {
      urgent: Boolean(row.urgent),
      flags: mergeFlags(parseFlags(row.red_flags), parseFlags(row.ai_red_flags)),
    };
    if (!mayReadHealth(viewer, scope)) {
      out.set(row.id, { urgency });
      continue;
    }
    const summary: SummaryView | null =
      row.text !== null && row.method !== null && row.generated_at !== null
        ? {
            text: row.text,
            method: row.method,
            model: row.model,
            fallbackCause: row.fallback_cause,
            generatedAt: row.generated_at,
            ...urgency,
          }
        : null;
    out.set(row.id, { urgency, summary, hasRecording: Boolean(row.has_recording) });
  }
  return out;
}
