/**
 * Writing reasons for visits. A reason belongs to the appointment its call booked: every
 * write names both the appointment and the call's SID, so a URL pointing at someone else's
 * appointment writes nothing. A red flag sets the appointment's urgent mark in the same
 * batch; nothing here ever clears it.
 */
import type { Db } from "../db/client.ts";
import {
  insertRecordedReason,
  upsertSpokenReason,
  writeAiFlags,
  writeTranscript,
  writeTranscriptionStatus,
} from "../stores/health.ts";
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
  const flagsJson = { json: JSON.stringify(flags), count: flags.length };
  const saved = await upsertSpokenReason(db.$client, { ...reason, transcript, flags: flagsJson, at: nowIso() });
  return saved ? { flags } : null;
}

/** A recording Twilio finished: its SID only (never its URL); transcribed by a queue job. */
export async function saveRecordedReason(
  db: Db,
  reason: { appointmentId: number; callSid: string; language: string; recordingSid: string; seconds: number },
): Promise<boolean> {
  return insertRecordedReason(db.$client, { ...reason, at: nowIso() });
}

/** Stores a recording's transcript and its flags; the urgent mark only ever goes up. */
export async function saveTranscript(db: Db, appointmentId: number, transcript: string): Promise<{ flags: RedFlag[] }> {
  const text = clipTranscript(transcript);
  const flags = redFlagsIn(text);
  await writeTranscript(db, appointmentId, text, flags, nowIso());
  return { flags };
}

export async function setTranscriptionStatus(
  db: Db,
  appointmentId: number,
  status: "failed" | "unavailable",
): Promise<void> {
  await writeTranscriptionStatus(db, appointmentId, status, nowIso());
}

/** Flags a model added: stored apart from the deterministic ones, and they can only raise urgency. */
export async function addAiFlags(db: Db, appointmentId: number, flags: readonly RedFlag[]): Promise<void> {
  if (flags.length === 0) return;
  await writeAiFlags(db, appointmentId, flags, nowIso());
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
