/**
 * Visit notes: short notes per appointment, written by its doctor (or the desk/admin when
 * NOTE_WRITERS says so). Together they are the patient's history at that clinic: a note
 * never travels to another clinic. Writing one re-queues the summaries it feeds (this
 * appointment and the patient's upcoming ones at the clinic).
 */
import { log } from "../log.ts";
import type { StaffRole } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { ReasonJob } from "../jobs/queue.ts";
import { appointmentScope, mayReadNotes, mayWriteNotes, type AppointmentScope, type Viewer } from "./access.ts";

export const MAX_NOTE_CHARS = 2000;

export interface VisitNote {
  id: number;
  appointmentId: number;
  visitDate: string;
  authorRole: StaffRole;
  body: string;
  createdAt: string;
  updatedAt: string | null;
}

export interface NoteDeps {
  db: Db;
  noteWriters: readonly StaffRole[];
  /** Queues the summaries a note feeds; a failure is logged, never the note's undoing. */
  enqueue: (jobs: ReasonJob[]) => Promise<void>;
}

function cleanBody(body: string): string | null {
  const text = body
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .trim()
    .slice(0, MAX_NOTE_CHARS);
  return text ? text : null;
}

/** The summaries a change to this patient's notes at this clinic affects. */
async function resummarise(deps: NoteDeps, appointmentId: number, clinicId: number, patientId: number) {
  const { results } = await deps.db.$client
    .prepare(
      `SELECT id FROM appointments WHERE clinic_id = ?1 AND patient_id = ?2 AND status = 'booked' AND starts_at > ?3
        ORDER BY starts_at LIMIT 10`,
    )
    .bind(clinicId, patientId, new Date().toISOString())
    .all<{ id: number }>();
  const ids = [...new Set([appointmentId, ...results.map((r) => r.id)])];
  try {
    await deps.enqueue(ids.map((id) => ({ summarise: id })));
  } catch (error) {
    log.error("re-summarising after a note not queued", { appointmentId, error });
  }
}

/** A new note on an appointment, by this author. */
function insertNote(d1: D1Database, scope: AppointmentScope, role: StaffRole, doctorId: number | null, text: string) {
  return d1
    .prepare(
      `INSERT INTO visit_notes (appointment_id, clinic_id, patient_id, author_role, author_doctor_id, body, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id`,
    )
    .bind(scope.id, scope.clinicId, scope.patientId, role, doctorId, text, new Date().toISOString());
}

/** A note's new text. */
function updateNoteBody(d1: D1Database, noteId: number, text: string) {
  return d1
    .prepare("UPDATE visit_notes SET body = ?2, updated_at = ?3 WHERE id = ?1")
    .bind(noteId, text, new Date().toISOString());
}

/** Adds a note to an appointment. Null when the viewer may not, the appointment is unknown, or the note is empty. */
export async function addNote(
  deps: NoteDeps,
  viewer: Viewer,
  appointmentId: number,
  body: string,
): Promise<{ id: number } | null> {
  const scope = await appointmentScope(deps.db, appointmentId);
  const text = cleanBody(body);
  if (!scope || !text || !mayWriteNotes(viewer, scope, deps.noteWriters)) return null;
  const row = await insertNote(deps.db.$client, scope, viewer.role, viewer.doctorId ?? null, text).first<{
    id: number;
  }>();
  await resummarise(deps, scope.id, scope.clinicId, scope.patientId);
  return row;
}

/**
 * The doctor's own note on an appointment, as the queue shows it beside the row: their latest
 * visit note on it is written (or made), and an empty one deletes it. One notes feature: these
 * are visit notes like any other (the summary reads them, retention deletes them).
 * "saved" or "cleared"; null when the viewer is not the appointment's doctor.
 */
export async function saveOwnNote(
  deps: NoteDeps,
  viewer: Viewer,
  appointmentId: number,
  body: string,
): Promise<"saved" | "cleared" | null> {
  const scope = await appointmentScope(deps.db, appointmentId);
  if (!scope || viewer.role !== "doctor" || viewer.doctorId !== scope.doctorId) return null;
  if (!mayWriteNotes(viewer, scope, deps.noteWriters)) return null;
  const d1 = deps.db.$client;
  const own = await d1
    .prepare(
      `SELECT id FROM visit_notes WHERE appointment_id = ?1 AND author_role = 'doctor' AND author_doctor_id = ?2
        ORDER BY id DESC LIMIT 1`,
    )
    .bind(scope.id, viewer.doctorId)
    .first<{ id: number }>();
  const text = cleanBody(body);
  if (!text) {
    if (own) await d1.prepare("DELETE FROM visit_notes WHERE id = ?").bind(own.id).run();
  } else if (own) {
    await updateNoteBody(d1, own.id, text).run();
  } else {
    await insertNote(d1, scope, "doctor", scope.doctorId, text).run();
  }
  if (text || own) await resummarise(deps, scope.id, scope.clinicId, scope.patientId);
  return text ? "saved" : "cleared";
}

/**
 * The notes a viewer sees for an appointment: its own, and the patient's history at that
 * clinic (newest first, at most `limit`). Null when not allowed or not found.
 */
export async function readNotes(
  deps: Pick<NoteDeps, "db" | "noteWriters">,
  viewer: Viewer,
  appointmentId: number,
  limit = 50,
): Promise<VisitNote[] | null> {
  const scope = await appointmentScope(deps.db, appointmentId);
  if (!scope || !mayReadNotes(viewer, scope, deps.noteWriters)) return null;
  const { results } = await deps.db.$client
    .prepare(
      `SELECT n.id, n.appointment_id, a.local_date, n.author_role, n.body, n.created_at, n.updated_at
         FROM visit_notes n JOIN appointments a ON a.id = n.appointment_id
        WHERE n.clinic_id = ?1 AND n.patient_id = ?2
        ORDER BY a.starts_at DESC, n.id DESC LIMIT ?3`,
    )
    .bind(scope.clinicId, scope.patientId, limit)
    .all<{
      id: number;
      appointment_id: number;
      local_date: string;
      author_role: StaffRole;
      body: string;
      created_at: string;
      updated_at: string | null;
    }>();
  return results.map((r) => ({
    id: r.id,
    appointmentId: r.appointment_id,
    visitDate: r.local_date,
    authorRole: r.author_role,
    body: r.body,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
