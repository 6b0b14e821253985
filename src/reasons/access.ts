/**
 * Who may read health data (reasons, notes, recordings, summaries). The one place that
 * decides; every read function takes a viewer and checks it against the appointment's own
 * clinic and doctor, so an id from another clinic (tampered or guessed) reads nothing.
 *
 *   doctor: their own appointments at their clinics (and, through them, that patient's
 *           history at that clinic)
 *   admin:  every appointment of their clinics
 *   desk:   the urgent mark and its red-flag labels only (to put urgent patients first); notes
 *           too when NOTE_WRITERS includes "desk"
 *
 * "Not allowed" and "not found" give the same answer (null), so ids cannot be probed.
 * Sessions and roles come from the desk; these functions never log what they return.
 */
import type { StaffRole } from "../config.ts";
import type { Db } from "../db/client.ts";
import { appointmentParties } from "../stores/appointments.ts";

export interface Viewer {
  role: StaffRole;
  clinicIds: number[];
  /** Set for a doctor: the doctor they are. */
  doctorId?: number;
}

export interface AppointmentScope {
  id: number;
  clinicId: number;
  doctorId: number;
  patientId: number;
}

export async function appointmentScope(db: Db, appointmentId: number): Promise<AppointmentScope | null> {
  if (!Number.isInteger(appointmentId) || appointmentId <= 0) return null;
  const row = await appointmentParties(db, appointmentId);
  return row ? { id: row.id, clinicId: row.clinicId, doctorId: row.doctorId, patientId: row.patientId } : null;
}

function ofClinic(viewer: Viewer, scope: AppointmentScope): boolean {
  return viewer.clinicIds.includes(scope.clinicId);
}

/** Reasons, summaries and recordings: the appointment's doctor, or an admin of its clinic. */
export function mayReadHealth(viewer: Viewer, scope: AppointmentScope): boolean {
  if (!ofClinic(viewer, scope)) return false;
  if (viewer.role === "admin") return true;
  return viewer.role === "doctor" && viewer.doctorId !== undefined && viewer.doctorId === scope.doctorId;
}

/** Reading notes: as health data, plus the desk when the clinic lets the desk write notes. */
export function mayReadNotes(viewer: Viewer, scope: AppointmentScope, noteWriters: readonly StaffRole[]): boolean {
  if (mayReadHealth(viewer, scope)) return true;
  return viewer.role === "desk" && noteWriters.includes("desk") && ofClinic(viewer, scope);
}

/** Writing notes: the appointment's doctor always; the desk or an admin of the clinic when NOTE_WRITERS names them. */
export function mayWriteNotes(viewer: Viewer, scope: AppointmentScope, noteWriters: readonly StaffRole[]): boolean {
  if (!ofClinic(viewer, scope)) return false;
  if (viewer.role === "doctor") return viewer.doctorId !== undefined && viewer.doctorId === scope.doctorId;
  return noteWriters.includes(viewer.role);
}

/** The urgent mark: any staff of the clinic (the desk sorts by it). */
export function mayReadUrgency(viewer: Viewer, scope: AppointmentScope): boolean {
  return ofClinic(viewer, scope);
}
