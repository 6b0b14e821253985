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
import { upcomingAtClinic } from "../stores/appointments.ts";
import { deleteNote, insertNote, ownLatestNote, patientNotes, updateNoteBody } from "../stores/health.ts";
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
  const upcoming = await upcomingAtClinic(deps.db, clinicId, patientId, new Date().toISOString(), 10);
  const ids = [...new Set([appointmentId, ...upcoming])];
  try {
    await deps.enqueue(ids.map((id) => ({ summarise: id })));
  } catch (error) {
    log.error("re-summarising after a note not queued", { appointmentId, error });
  }
}

/** A new note on an appointment, by this author. */
function addNoteRow(db: Db, scope: AppointmentScope, role: StaffRole, doctorId: number | null, text: string) {
  return insertNote(db, {
    appointmentId: scope.id,
    clinicId: scope.clinicId,
    patientId: scope.patientId,
    authorRole: role,
    authorDoctorId: doctorId,
    body: text,
    createdAt: new Date().toISOString(),
  });
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
  const row = await addNoteRow(deps.db, scope, viewer.role, viewer.doctorId ?? null, text);
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
  const own = await ownLatestNote(deps.db, scope.id, scope.doctorId);
  const text = cleanBody(body);
  if (!text) {
    if (own) await deleteNote(deps.db, own.id);
  } else if (own) {
    await updateNoteBody(deps.db, own.id, text, new Date().toISOString());
  } else {
    await addNoteRow(deps.db, scope, "doctor", scope.doctorId, text);
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
  return patientNotes(deps.db, scope.clinicId, scope.patientId, limit);
}
