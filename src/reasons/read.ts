/**
 * Access-checked reads for the desk: an appointment's reason, its summary, its urgent mark,
 * and its recording (streamed through the Worker with the account's credentials; the browser
 * never sees a Twilio URL or a credential). Each returns null when the viewer may not see it
 * or it does not exist; nothing here is logged.
 */
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { fetchReasonAudio } from "./recordings.ts";
import { appointmentScope, mayReadHealth, mayReadUrgency, type Viewer } from "./access.ts";
import { mergeFlags, parseFlags, type RedFlag } from "./red-flags.ts";

export interface ReasonView {
  method: "speech" | "recording";
  language: string;
  transcript: string | null;
  transcriptionStatus: "none" | "pending" | "done" | "failed" | "unavailable";
  hasRecording: boolean;
  flags: RedFlag[];
}

export interface UrgencyView {
  urgent: boolean;
  flags: RedFlag[];
}

export interface SummaryView extends UrgencyView {
  text: string;
  method: "ai" | "fallback";
  model: string | null;
  fallbackCause: string | null;
  generatedAt: string;
}

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

/**
 * The recorded reason as an audio response for a doctor's player, fetched from Twilio with
 * the account's credentials. Null when not allowed, not recorded, deleted, or Twilio fails.
 */
export async function recordingResponse(
  db: Db,
  config: Config,
  viewer: Viewer,
  appointmentId: number,
): Promise<Response | null> {
  const scope = await appointmentScope(db, appointmentId);
  if (!scope || !mayReadHealth(viewer, scope)) return null;
  const row = await db.$client
    .prepare("SELECT recording_sid FROM visit_reasons WHERE appointment_id = ? AND recording_sid IS NOT NULL")
    .bind(appointmentId)
    .first<{ recording_sid: string }>();
  if (!row) return null;
  const fetched = await fetchReasonAudio(config, row.recording_sid);
  if (!fetched.ok) return null;
  return new Response(fetched.audio.body, {
    headers: {
      "Content-Type": fetched.audio.headers.get("content-type") ?? "audio/mpeg",
      // Health data: no shared cache may keep it, and the browser should not either.
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
