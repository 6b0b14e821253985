/**
 * The health-data tables' statements: visit reasons (what a caller said or recorded), visit notes
 * and the doctors' summaries. Who may read or write them is decided above (reasons/access.ts);
 * nothing here checks a viewer or logs what it reads.
 *
 * drizzle by default. Raw where drizzle cannot say it: a reason's INSERT takes its clinic and
 * patient from the appointment the call booked (INSERT ... SELECT) and upserts with `excluded.`,
 * and the urgent mark that travels with it must ride in the same raw batch; the summary's upsert
 * uses `excluded.` too.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client.ts";
import { idsFromJson } from "./json-ids.ts";
import { appointments, visitNotes, visitReasons, visitSummaries, type StaffRole } from "../db/schema.ts";

// Reasons

/** Marks the booked call's appointment urgent when `flags` > 0; `AND ?3 > 0` keeps it in the batch when there is nothing to mark. */
function markUrgentStatement(d1: D1Database, appointmentId: number, callSid: string, flags: number) {
  return d1
    .prepare("UPDATE appointments SET urgent = 1 WHERE id = ?1 AND call_sid = ?2 AND ?3 > 0")
    .bind(appointmentId, callSid, flags);
}

export interface SpokenReason {
  appointmentId: number;
  callSid: string;
  language: string;
  transcript: string;
  /** The red flags as stored (a JSON array) and how many there are. */
  flags: { json: string; count: number };
  at: string;
}

/** A reason heard during the call, written (or rewritten) on the appointment that call booked, with its urgent mark. False when no such booked call exists. */
export async function upsertSpokenReason(d1: D1Database, reason: SpokenReason): Promise<boolean> {
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
      .bind(reason.appointmentId, reason.callSid, reason.language, reason.transcript, reason.flags.json, reason.at),
    markUrgentStatement(d1, reason.appointmentId, reason.callSid, reason.flags.count),
  ]);
  return inserted!.results.length > 0;
}

export interface RecordedReason {
  appointmentId: number;
  callSid: string;
  language: string;
  recordingSid: string;
  seconds: number;
  at: string;
}

/** A recording's SID on the appointment its call booked, unless a reason is there already. False when nothing was written. */
export async function insertRecordedReason(d1: D1Database, reason: RecordedReason): Promise<boolean> {
  const row = await d1
    .prepare(
      `INSERT INTO visit_reasons (appointment_id, clinic_id, patient_id, language, method, transcription_status, recording_sid, recording_seconds, created_at)
       SELECT a.id, a.clinic_id, a.patient_id, ?3, 'recording', 'pending', ?4, ?5, ?6 FROM appointments a
        WHERE a.id = ?1 AND a.call_sid = ?2
       ON CONFLICT (appointment_id) DO NOTHING
       RETURNING appointment_id`,
    )
    .bind(reason.appointmentId, reason.callSid, reason.language, reason.recordingSid, reason.seconds, reason.at)
    .first();
  return row !== null;
}

/** Sets the urgent mark (it only ever goes up), as a statement for a batch. */
function markUrgent(db: Db, appointmentId: number) {
  return db.update(appointments).set({ urgent: true }).where(eq(appointments.id, appointmentId));
}

/** A recording's transcript and its flags; marks the appointment urgent when there are any. */
export async function writeTranscript(
  db: Db,
  appointmentId: number,
  transcript: string,
  flags: readonly string[],
  at: string,
): Promise<void> {
  const update = db
    .update(visitReasons)
    .set({ transcript, transcriptionStatus: "done", redFlags: JSON.stringify(flags), updatedAt: at })
    .where(eq(visitReasons.appointmentId, appointmentId));
  if (flags.length > 0) await db.batch([update, markUrgent(db, appointmentId)]);
  else await db.batch([update]);
}

/** Gives up on a pending transcription; a finished one stays as it is. */
export async function writeTranscriptionStatus(
  db: Db,
  appointmentId: number,
  status: "failed" | "unavailable",
  at: string,
): Promise<void> {
  await db
    .update(visitReasons)
    .set({ transcriptionStatus: status, updatedAt: at })
    .where(and(eq(visitReasons.appointmentId, appointmentId), eq(visitReasons.transcriptionStatus, "pending")));
}

/** Flags a model added (kept apart from the deterministic ones), with the urgent mark. */
export async function writeAiFlags(db: Db, appointmentId: number, flags: readonly string[], at: string): Promise<void> {
  await db.batch([
    db
      .update(visitReasons)
      .set({ aiRedFlags: JSON.stringify(flags), updatedAt: at })
      .where(eq(visitReasons.appointmentId, appointmentId)),
    markUrgent(db, appointmentId),
  ]);
}

/** The recording's SID of an appointment's reason, or null when it has none (or it was deleted). */
export async function recordingSidOf(db: Db, appointmentId: number): Promise<string | null> {
  const row = await db
    .select({ sid: visitReasons.recordingSid })
    .from(visitReasons)
    .where(and(eq(visitReasons.appointmentId, appointmentId), isNotNull(visitReasons.recordingSid)))
    .get();
  return row?.sid ?? null;
}

/** A recorded reason, as its transcription job needs it. */
export function recordedReasonOf(db: Db, appointmentId: number) {
  return db
    .select({
      recordingSid: visitReasons.recordingSid,
      language: visitReasons.language,
      transcriptionStatus: visitReasons.transcriptionStatus,
    })
    .from(visitReasons)
    .where(and(eq(visitReasons.appointmentId, appointmentId), eq(visitReasons.method, "recording")))
    .get();
}

/** Appointments whose transcription is still pending, created between `after` and `before`, oldest first. */
export async function pendingTranscriptions(db: Db, before: string, after: string, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: visitReasons.appointmentId })
    .from(visitReasons)
    .where(
      and(
        eq(visitReasons.transcriptionStatus, "pending"),
        lt(visitReasons.createdAt, before),
        gt(visitReasons.createdAt, after),
      ),
    )
    .orderBy(asc(visitReasons.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The reason's fields a summary is made from. */
export function reasonForSummary(db: Db, appointmentId: number) {
  return db
    .select({
      transcript: visitReasons.transcript,
      method: visitReasons.method,
      transcriptionStatus: visitReasons.transcriptionStatus,
      redFlags: visitReasons.redFlags,
      aiRedFlags: visitReasons.aiRedFlags,
    })
    .from(visitReasons)
    .where(eq(visitReasons.appointmentId, appointmentId));
}

// Notes

/** The patient's notes at a clinic with their visit's date, latest visit first: the history a doctor reads and a summary is made from. */
export function patientNotes(db: Db, clinicId: number, patientId: number, limit: number) {
  return db
    .select({
      id: visitNotes.id,
      appointmentId: visitNotes.appointmentId,
      visitDate: appointments.localDate,
      authorRole: visitNotes.authorRole,
      body: visitNotes.body,
      createdAt: visitNotes.createdAt,
      updatedAt: visitNotes.updatedAt,
    })
    .from(visitNotes)
    .innerJoin(appointments, eq(appointments.id, visitNotes.appointmentId))
    .where(and(eq(visitNotes.clinicId, clinicId), eq(visitNotes.patientId, patientId)))
    .orderBy(desc(appointments.startsAt), desc(visitNotes.id))
    .limit(limit);
}

export interface NewNote {
  appointmentId: number;
  clinicId: number;
  patientId: number;
  authorRole: StaffRole;
  authorDoctorId: number | null;
  body: string;
  createdAt: string;
}

export async function insertNote(db: Db, note: NewNote): Promise<{ id: number }> {
  const [row] = await db.insert(visitNotes).values(note).returning({ id: visitNotes.id });
  return row!;
}

export async function updateNoteBody(db: Db, noteId: number, body: string, at: string): Promise<void> {
  await db.update(visitNotes).set({ body, updatedAt: at }).where(eq(visitNotes.id, noteId));
}

export async function deleteNote(db: Db, noteId: number): Promise<void> {
  await db.delete(visitNotes).where(eq(visitNotes.id, noteId));
}

/** The latest note this doctor wrote on the appointment, if any. */
export function ownLatestNote(db: Db, appointmentId: number, doctorId: number) {
  return db
    .select({ id: visitNotes.id })
    .from(visitNotes)
    .where(
      and(
        eq(visitNotes.appointmentId, appointmentId),
        eq(visitNotes.authorRole, "doctor"),
        eq(visitNotes.authorDoctorId, doctorId),
      ),
    )
    .orderBy(desc(visitNotes.id))
    .limit(1)
    .get();
}

// Summaries

export type NewSummary = typeof visitSummaries.$inferInsert;

/** Writes (or rewrites) an appointment's summary. Raw: an upsert with `excluded.`. */
export async function upsertSummary(d1: D1Database, summary: NewSummary): Promise<void> {
  await d1
    .prepare(
      `INSERT INTO visit_summaries (appointment_id, clinic_id, text, method, model, fallback_cause, generated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (appointment_id) DO UPDATE SET text = excluded.text, method = excluded.method,
         model = excluded.model, fallback_cause = excluded.fallback_cause, generated_at = excluded.generated_at`,
    )
    .bind(
      summary.appointmentId,
      summary.clinicId,
      summary.text,
      summary.method,
      summary.model ?? null,
      summary.fallbackCause ?? null,
      summary.generatedAt,
    )
    .run();
}

/** Each appointment's owner, urgent mark, reason flags and summary (of its own clinic): a desk queue's health data in one read. */
export function queueHealthRows(db: Db, appointmentIds: readonly number[]) {
  return db
    .select({
      id: appointments.id,
      clinicId: appointments.clinicId,
      doctorId: appointments.doctorId,
      patientId: appointments.patientId,
      urgent: appointments.urgent,
      redFlags: visitReasons.redFlags,
      aiRedFlags: visitReasons.aiRedFlags,
      hasRecording: sql<number | null>`${visitReasons.recordingSid} IS NOT NULL`,
      text: visitSummaries.text,
      method: visitSummaries.method,
      model: visitSummaries.model,
      fallbackCause: visitSummaries.fallbackCause,
      generatedAt: visitSummaries.generatedAt,
    })
    .from(appointments)
    .leftJoin(visitReasons, eq(visitReasons.appointmentId, appointments.id))
    .leftJoin(
      visitSummaries,
      and(eq(visitSummaries.appointmentId, appointments.id), eq(visitSummaries.clinicId, appointments.clinicId)),
    )
    .where(inArray(appointments.id, idsFromJson(appointmentIds)));
}

// Retention

/** Recordings made before `cutoff`, oldest first, at most `limit`. */
export function recordingsBefore(db: Db, cutoff: string, limit: number) {
  return db
    .select({ appointmentId: visitReasons.appointmentId, recordingSid: visitReasons.recordingSid })
    .from(visitReasons)
    .where(and(isNotNull(visitReasons.recordingSid), lt(visitReasons.createdAt, cutoff)))
    .orderBy(asc(visitReasons.createdAt))
    .limit(limit) as Promise<{ appointmentId: number; recordingSid: string }[]>;
}

/** Forgets a recording deleted at its provider. */
export async function forgetRecording(db: Db, appointmentId: number, at: string): Promise<void> {
  await db
    .update(visitReasons)
    .set({ recordingSid: null, recordingDeletedAt: at })
    .where(eq(visitReasons.appointmentId, appointmentId));
}

/** Deletes at most `limit` rows matching `where`, oldest (by `age`) first, picked by their key. */
function deleteOldest(
  db: Db,
  table: SQLiteTable,
  key: SQLiteColumn,
  where: SQL | undefined,
  age: SQLiteColumn,
  limit: number,
) {
  return db
    .delete(table)
    .where(inArray(key, db.select({ key }).from(table).where(where).orderBy(asc(age)).limit(limit)));
}

/** Deletes at most `limit` each of the notes, reasons and summaries older than `cutoff`; returns how many of each. */
export async function deleteHealthBefore(
  db: Db,
  cutoff: string,
  limit: number,
): Promise<{ notes: number; reasons: number; summaries: number }> {
  const [notes, reasons, summaries] = await db.batch([
    deleteOldest(db, visitNotes, visitNotes.id, lt(visitNotes.createdAt, cutoff), visitNotes.createdAt, limit),
    // A reason whose recording is still at its provider waits for the recording's deletion first.
    deleteOldest(
      db,
      visitReasons,
      visitReasons.appointmentId,
      and(lt(visitReasons.createdAt, cutoff), isNull(visitReasons.recordingSid)),
      visitReasons.createdAt,
      limit,
    ),
    deleteOldest(
      db,
      visitSummaries,
      visitSummaries.appointmentId,
      lt(visitSummaries.generatedAt, cutoff),
      visitSummaries.generatedAt,
      limit,
    ),
  ]);
  return { notes: notes.meta.changes, reasons: reasons.meta.changes, summaries: summaries.meta.changes };
}
