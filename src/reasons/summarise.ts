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

export interface StoredSummary {
  text: string;
  method: "ai" | "fallback";
  model: string | null;
  fallbackCause: AiFailure | "no-binding" | null;
  generatedAt: string;
}

interface AppointmentRow {
  id: number;
  clinic_id: number;
  patient_id: number;
  starts_at: string;
}

interface ReasonRow {
  transcript: string | null;
  method: "speech" | "recording";
  transcription_status: "none" | "pending" | "done" | "failed" | "unavailable";
  red_flags: string;
  ai_red_flags: string;
}

/** How many past notes feed a summary (newest first). */
const NOTES_READ = 20;

export async function loadSummaryInput(
  db: Db,
  appointmentId: number,
): Promise<{ appointment: AppointmentRow; input: SummaryInput } | null> {
  const d1 = db.$client;
  const appointment = await d1
    .prepare("SELECT id, clinic_id, patient_id, starts_at FROM appointments WHERE id = ?")
    .bind(appointmentId)
    .first<AppointmentRow>();
  if (!appointment) return null;
  const [reason, notes, last] = await d1.batch([
    d1
      .prepare(
        "SELECT transcript, method, transcription_status, red_flags, ai_red_flags FROM visit_reasons WHERE appointment_id = ?",
      )
      .bind(appointmentId),
    d1
      .prepare(
        `SELECT n.body, a.local_date AS visit_date FROM visit_notes n JOIN appointments a ON a.id = n.appointment_id
          WHERE n.clinic_id = ?1 AND n.patient_id = ?2
          ORDER BY a.starts_at DESC, n.id DESC LIMIT ?3`,
      )
      .bind(appointment.clinic_id, appointment.patient_id, NOTES_READ),
    d1
      .prepare(
        `SELECT local_date FROM appointments
          WHERE clinic_id = ?1 AND patient_id = ?2 AND id <> ?3 AND starts_at < ?4 AND status IN ('booked', 'completed')
          ORDER BY starts_at DESC LIMIT 1`,
      )
      .bind(appointment.clinic_id, appointment.patient_id, appointment.id, appointment.starts_at),
  ]);
  const r = (reason!.results as ReasonRow[])[0];
  return {
    appointment,
    input: {
      reason: r
        ? {
            text: r.transcript,
            flags: mergeFlags(parseFlags(r.red_flags), parseFlags(r.ai_red_flags)),
            method: r.method,
            transcription: r.transcription_status,
          }
        : null,
      notes: (notes!.results as { body: string; visit_date: string }[]).map((n) => ({
        body: n.body,
        visitDate: n.visit_date,
      })),
      lastVisitDate: (last!.results as { local_date: string }[])[0]?.local_date ?? null,
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
  await db.$client
    .prepare(
      `INSERT INTO visit_summaries (appointment_id, clinic_id, text, method, model, fallback_cause, generated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (appointment_id) DO UPDATE SET text = excluded.text, method = excluded.method,
         model = excluded.model, fallback_cause = excluded.fallback_cause, generated_at = excluded.generated_at`,
    )
    .bind(
      appointment.id,
      appointment.clinic_id,
      stored.text,
      stored.method,
      stored.model,
      stored.fallbackCause,
      stored.generatedAt,
    )
    .run();
  return stored;
}
