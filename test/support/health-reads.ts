/**
 * One appointment's reason, summary or urgent mark, read through the reasons' own access rules
 * (src/reasons/access.ts): the oracle the access tests ask. The desk itself reads a whole
 * queue's health data at once (src/desk/health.ts); these single reads exist for the tests only.
 * Each returns null when the viewer may not see it or it does not exist.
 */
import type { Db } from "../../src/db/client.ts";
import { appointmentScope, mayReadHealth, mayReadUrgency, type Viewer } from "../../src/reasons/access.ts";
import type { ReasonView, SummaryView, UrgencyView } from "../../src/reasons/read.ts";
import { mergeFlags, parseFlags } from "../../src/reasons/red-flags.ts";

async function reasonFlags(db: Db, appointmentId: number): Promise<UrgencyView> {
  const row = await db.$client
    .prepare(
      `SELECT a.urgent, r.red_flags, r.ai_red_flags FROM appointments a
         LEFT JOIN visit_reasons r ON r.appointment_id = a.id WHERE a.id = ?`,
    )
    .bind(appointmentId)
    .first<{ urgent: number; red_flags: string | null; ai_red_flags: string | null }>();
  return {
    urgent: Boolean(row?.urgent),
    flags: mergeFlags(parseFlags(row?.red_flags), parseFlags(row?.ai_red_flags)),
  };
}

/** The urgent mark and its flags: what the desk needs to put a patient first. */
export async function readUrgency(db: Db, viewer: Viewer, appointmentId: number): Promise<UrgencyView | null> {
  const scope = await appointmentScope(db, appointmentId);
  if (!scope || !mayReadUrgency(viewer, scope)) return null;
  return reasonFlags(db, appointmentId);
}

export async function readReason(db: Db, viewer: Viewer, appointmentId: number): Promise<ReasonView | null> {
  const scope = await appointmentScope(db, appointmentId);
  if (!scope || !mayReadHealth(viewer, scope)) return null;
  const row = await db.$client
    .prepare(
      `SELECT method, language, transcript, transcription_status, recording_sid, red_flags, ai_red_flags
         FROM visit_reasons WHERE appointment_id = ?`,
    )
    .bind(appointmentId)
    .first<{
      method: ReasonView["method"];
      language: string;
      transcript: string | null;
      transcription_status: ReasonView["transcriptionStatus"];
      recording_sid: string | null;
      red_flags: string;
      ai_red_flags: string;
    }>();
  if (!row) return null;
  return {
    method: row.method,
    language: row.language,
    transcript: row.transcript,
    transcriptionStatus: row.transcription_status,
    hasRecording: row.recording_sid !== null,
    flags: mergeFlags(parseFlags(row.red_flags), parseFlags(row.ai_red_flags)),
  };
}

export async function readSummary(db: Db, viewer: Viewer, appointmentId: number): Promise<SummaryView | null> {
  const scope = await appointmentScope(db, appointmentId);
  if (!scope || !mayReadHealth(viewer, scope)) return null;
  const row = await db.$client
    .prepare(
      "SELECT text, method, model, fallback_cause, generated_at FROM visit_summaries WHERE appointment_id = ? AND clinic_id = ?",
    )
    .bind(appointmentId, scope.clinicId)
    .first<{
      text: string;
      method: SummaryView["method"];
      model: string | null;
      fallback_cause: string | null;
      generated_at: string;
    }>();
  if (!row) return null;
  return {
    text: row.text,
    method: row.method,
    model: row.model,
    fallbackCause: row.fallback_cause,
    generatedAt: row.generated_at,
    ...(await reasonFlags(db, appointmentId)),
  };
}
