/**
 * The doctor's summary of one appointment, made by a queue job when the appointment is
 * booked and whenever its reason or a note changes. Workers AI when the binding exists and
 * answers usably in time; otherwise the keyword summary. Either way the result is stored
 * with its method and time. Only this patient's own notes at this clinic are read, so no
 * answer, however prompted, can contain another patient's data.
 */
import type { AiSettings } from "../config.ts";
import type { Db } from "../db/client.ts";
import { aiRedFlags, aiSummary, type AiFailure, type AiRunner } from "./ai.ts";
import { keywordSummary, type SummaryInput } from "./fallback.ts";
import { mergeFlags, parseFlags } from "./red-flags.ts";
import { addAiFlags } from "./store.ts";
import { appointmentParties, previousVisitOf } from "../stores/appointments.ts";
import { patientNotes, reasonForSummary, upsertSummary } from "../stores/health.ts";

export interface StoredSummary {
  text: string;
  method: "ai" | "fallback";
  model: string | null;
  fallbackCause: AiFailure | "no-binding" | null;
  generatedAt: string;
}

/** How many past notes feed a summary (newest first). */
const NOTES_READ = 20;

export async function loadSummaryInput(
  db: Db,
  appointmentId: number,
): Promise<{ appointment: { id: number; clinicId: number }; input: SummaryInput } | null> {
  const appointment = await appointmentParties(db, appointmentId);
  if (!appointment) return null;
  const [reason, notes, last] = await db.batch([
    reasonForSummary(db, appointmentId),
    patientNotes(db, appointment.clinicId, appointment.patientId, NOTES_READ),
    previousVisitOf(db, appointment),
  ]);
  const r = reason[0];
  return {
    appointment,
    input: {
      reason: r
        ? {
            text: r.transcript,
            flags: mergeFlags(parseFlags(r.redFlags), parseFlags(r.aiRedFlags)),
            method: r.method,
            transcription: r.transcriptionStatus,
          }
        : null,
      notes: notes.map((n) => ({ body: n.body, visitDate: n.visitDate })),
      lastVisitDate: last[0]?.date ?? null,
    },
  };
}

/** Makes and stores the summary of one appointment. Null when the appointment does not exist. */
export async function summariseAppointment(
  db: Db,
  ai: AiRunner | undefined,
  settings: AiSettings,
  appointmentId: number,
  now: () => Date = () => new Date(),
): Promise<StoredSummary | null> {
  const loaded = await loadSummaryInput(db, appointmentId);
  if (!loaded) return null;
  const { appointment, input } = loaded;

  let summary: Omit<StoredSummary, "generatedAt">;
  if (!ai) {
    summary = { text: keywordSummary(input), method: "fallback", model: null, fallbackCause: "no-binding" };
  } else {
    if (input.reason?.text) {
      // The model may add a flag; the deterministic ones stay whatever it says.
      const added = await aiRedFlags(ai, settings.summaryModel, settings.timeoutMs, input.reason.text);
      const merged = mergeFlags(input.reason.flags, added);
      if (merged.length > input.reason.flags.length) {
        await addAiFlags(db, appointmentId, added);
        input.reason.flags = merged;
      }
    }
    const answer = await aiSummary(ai, settings.summaryModel, settings.timeoutMs, input);
    summary = answer.ok
      ? { text: answer.value, method: "ai", model: settings.summaryModel, fallbackCause: null }
      : { text: keywordSummary(input), method: "fallback", model: null, fallbackCause: answer.cause };
  }
  const stored: StoredSummary = { ...summary, generatedAt: now().toISOString() };
  await upsertSummary(db.$client, { appointmentId: appointment.id, clinicId: appointment.clinicId, ...stored });
  return stored;
}
