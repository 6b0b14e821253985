/**
 * Writing reasons for visits. A reason belongs to the appointment its call booked: every
 * write names both the appointment and the call's SID, so a URL pointing at someone else's
 * appointment writes nothing. A red flag sets the appointment's urgent mark in the same
 * batch; nothing here ever clears it.
 */
import type { Db } from "../db/client.ts";
import { insertOutbox } from "../stores/outbox.ts";
import type { RenderedSms } from "../sms/templates/index.ts";
import { redFlagsIn, type RedFlag } from "./red-flags.ts";

/** Transcripts are a few words; anything longer is cut, so one caller cannot fill the table. */
export const MAX_TRANSCRIPT_CHARS = 500;

export function clipTranscript(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .trim()
    .slice(0, MAX_TRANSCRIPT_CHARS);
}

function nowIso(): string {
  return new Date().toISOString();
}

/** A reason Twilio heard during the call. Returns its flags, or null when no such booked call exists. */
export async function saveSpokenReason(
  db: Db,
  reason: { appointmentId: number; callSid: string; language: string; transcript: string },
): Promise<{ flags: RedFlag[] } | null> {
  const transcript = clipTranscript(reason.transcript);
  const flags = redFlagsIn(transcript);
  const d1 = db.$client;
  const [inserted] = await d1.batch<{ appointment_id: number }>([
    d1
      .prepare(
        `INSERT INTO visit_reasons (appointment_id, clinic_id, patient_id, language, method, transcript, transcription_status, red_flags, created_at)
         SELECT a.id, a.clinic_id, a.patient_id, ?3, 'speech', ?4, 'done', ?5, ?6 FROM appointments a
          WHERE a.id = ?1 AND a.call_sid = ?2
         ON CONFLICT (appointment_id) DO UPDATE SET
           method = 'speech', transcript = excluded.transcript, transcription_status = 'done',
           red_flags = excluded.red_flags, language = excluded.language, updated_at = ?6
         RETURNING appointment_id`,
      )
      .bind(reason.appointmentId, reason.callSid, reason.language, transcript, JSON.stringify(flags), nowIso()),
    markUrgent(db, reason.appointmentId, reason.callSid, flags),
  ]);
  return inserted!.results.length > 0 ? { flags } : null;
}

function markUrgent(db: Db, appointmentId: number, callSid: string, flags: readonly RedFlag[]) {
  // `AND ?3 > 0` keeps the statement in the batch when there is nothing to mark.
  return db.$client
    .prepare("UPDATE appointments SET urgent = 1 WHERE id = ?1 AND call_sid = ?2 AND ?3 > 0")
    .bind(appointmentId, callSid, flags.length);
}

/** A recording Twilio finished: its SID only (never its URL); transcribed by a queue job. */
export async function saveRecordedReason(
  db: Db,
  reason: { appointmentId: number; callSid: string; language: string; recordingSid: string; seconds: number },
): Promise<boolean> {
  const row = await db.$client
    .prepare(
      `INSERT INTO visit_reasons (appointment_id, clinic_id, patient_id, language, method, transcription_status, recording_sid, recording_seconds, created_at)
       SELECT a.id, a.clinic_id, a.patient_id, ?3, 'recording', 'pending', ?4, ?5, ?6 FROM appointments a
        WHERE a.id = ?1 AND a.call_sid = ?2
       ON CONFLICT (appointment_id) DO NOTHING
       RETURNING appointment_id`,
    )
    .bind(reason.appointmentId, reason.callSid, reason.language, reason.recordingSid, reason.seconds, nowIso())
    .first();
  return row !== null;
}

/** Stores a recording's transcript and its flags; the urgent mark only ever goes up. */
export async function saveTranscript(db: Db, appointmentId: number, transcript: string): Promise<{ flags: RedFlag[] }> {
  const text = clipTranscript(transcript);
  const flags = redFlagsIn(text);
  const d1 = db.$client;
  await d1.batch([
    d1
      .prepare(
        "UPDATE visit_reasons SET transcript = ?2, transcription_status = 'done', red_flags = ?3, updated_at = ?4 WHERE appointment_id = ?1",
      )
      .bind(appointmentId, text, JSON.stringify(flags), nowIso()),
    d1.prepare("UPDATE appointments SET urgent = 1 WHERE id = ?1 AND ?2 > 0").bind(appointmentId, flags.length),
  ]);
  return { flags };
}

export async function setTranscriptionStatus(
  db: Db,
  appointmentId: number,
  status: "failed" | "unavailable",
): Promise<void> {
  await db.$client
    .prepare(
      "UPDATE visit_reasons SET transcription_status = ?2, updated_at = ?3 WHERE appointment_id = ?1 AND transcription_status = 'pending'",
    )
    .bind(appointmentId, status, nowIso())
    .run();
}

/** Flags a model added: stored apart from the deterministic ones, and they can only raise urgency. */
export async function addAiFlags(db: Db, appointmentId: number, flags: readonly RedFlag[]): Promise<void> {
  if (flags.length === 0) return;
  const d1 = db.$client;
  await d1.batch([
    d1
      .prepare("UPDATE visit_reasons SET ai_red_flags = ?2, updated_at = ?3 WHERE appointment_id = ?1")
      .bind(appointmentId, JSON.stringify(flags), nowIso()),
    d1.prepare("UPDATE appointments SET urgent = 1 WHERE id = ?1").bind(appointmentId),
  ]);
}

/**
 * The 108 advice by SMS, for a red flag found only after the call (a recording's transcript).
 * Once per appointment; returns the outbox row to queue, or null when one was already written.
 */
export async function writeAdviceSms(db: Db, appointmentId: number, sms: RenderedSms): Promise<number | null> {
  const row = await insertOutbox(
    db.$client,
    { to: "", sms, purpose: "advice", createdAt: nowIso() },
    {
      from: "appointments a JOIN patients p ON p.id = a.patient_id",
      where:
        "a.id = ? AND NOT EXISTS (SELECT 1 FROM sms_outbox s WHERE s.appointment_id = a.id AND s.purpose = 'advice')",
      params: [appointmentId],
      appointmentColumn: "a.id",
      toColumn: "p.phone",
    },
  ).first<{ id: number }>();
  return row?.id ?? null;
}
