/**
 * Who is signed in to the desk and what they may see. Every desk route and API call asks
 * these questions of the resource it names (a clinic, a doctor, an appointment), so an id
 * edited in a URL reaches nothing the user could not reach through the pages.
 */
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { clinics, doctors, staffClinics, staffUsers, type StaffRole } from "../db/schema.ts";

export interface StaffUser {
  id: number;
  username: string;
  role: StaffRole;
  /** The doctor a doctor-role user is. */
  doctorId: number | null;
  /** The clinics the user works for; "all" for an admin. */
  clinicIds: number[] | "all";
}

/** An active user and their clinics, or null (unknown or switched off). */
export async function loadStaffUser(db: Db, userId: number): Promise<StaffUser | null> {
  const user = await db
    .select({ id: staffUsers.id, username: staffUsers.username, role: staffUsers.role, doctorId: staffUsers.doctorId })
    .from(staffUsers)
    .where(and(eq(staffUsers.id, userId), eq(staffUsers.active, true)))
    .get();
  if (!user) return null;
  if (user.role === "admin") return { ...user, clinicIds: "all" };
  if (user.role === "doctor") {
    if (user.doctorId === null) return null;
    const doctor = await db
      .select({ clinicId: doctors.clinicId })
      .from(doctors)
      .where(eq(doctors.id, user.doctorId))
      .get();
    return doctor ? { ...user, clinicIds: [doctor.clinicId] } : null;
  }
  const rows = await db
    .select({ clinicId: staffClinics.clinicId })
    .from(staffClinics)
    .where(eq(staffClinics.userId, user.id));
  return { ...user, clinicIds: rows.map((r) => r.clinicId).sort((a, b) => a - b) };
}

export function canSeeClinic(user: StaffUser, clinicId: number): boolean {
  return user.clinicIds === "all" || user.clinicIds.includes(clinicId);
}

/** A doctor sees only their own queue; desk and admin see every doctor of their clinics. */
export function canSeeDoctor(user: StaffUser, doctor: { id: number; clinicId: number }): boolean {
  if (!canSeeClinic(user, doctor.clinicId)) return false;
  return user.role !== "doctor" || user.doctorId === doctor.id;
}

/** Schedules, walk-ins and cancelling are the desk's and the admin's; a doctor runs their own queue. */
export const canManageClinic = (user: StaffUser, clinicId: number) =>
  user.role !== "doctor" && canSeeClinic(user, clinicId);

export const actorOf = (user: StaffUser) => `staff:${user.id} ${user.username}`;

/** Clinics a page of the desk's clinic list shows. */
export const CLINIC_LIST_PAGE = 50;

/**
 * A page of the clinics the user may open, in id order, after clinic `after`, and whether more
 * follow. Reads the rows it shows: an admin's line may have thousands of clinics.
 */
export async function visibleClinics(
  db: Db,
  user: StaffUser,
  after = 0,
): Promise<{ clinics: { id: number; name: string }[]; more: boolean }> {
  const columns = { id: clinics.id, name: clinics.name };
  const rows =
    user.clinicIds === "all"
      ? await db
          .select(columns)
          .from(clinics)
          .where(gt(clinics.id, after))
          .orderBy(asc(clinics.id))
          .limit(CLINIC_LIST_PAGE + 1)
      : await clinicsById(db, user.clinicIds.filter((id) => id > after).slice(0, CLINIC_LIST_PAGE + 1));
  return { clinics: rows.slice(0, CLINIC_LIST_PAGE), more: rows.length > CLINIC_LIST_PAGE };
}

function clinicsById(db: Db, ids: number[]) {
  return db
    .select({ id: clinics.id, name: clinics.name })
    .from(clinics)
    .where(inArray(clinics.id, ids.length > 0 ? ids : [0]))
    .orderBy(asc(clinics.id));
}

/**
 * The clinics the page header names: all the user's when they have two or fewer, else only the
 * one on screen (`many`: the header links to the list instead). At most three rows read.
 */
export async function headerClinics(
  db: Db,
  user: StaffUser,
  current: number,
): Promise<{ clinics: { id: number; name: string }[]; many: boolean }> {
  if (user.clinicIds !== "all") {
    const many = user.clinicIds.length > 2;
    const shown = many ? user.clinicIds.filter((id) => id === current) : user.clinicIds;
    return { clinics: await clinicsById(db, shown), many };
  }
  const [first, here] = await db.batch([
    db.select({ id: clinics.id, name: clinics.name }).from(clinics).orderBy(asc(clinics.id)).limit(3),
    db.select({ id: clinics.id, name: clinics.name }).from(clinics).where(eq(clinics.id, current)),
  ]);
  return first.length > 2 ? { clinics: here, many: true } : { clinics: first, many: false };
}

/** A doctor with its clinic, for access checks on doctor-level routes. */
export function doctorOwner(db: Db, doctorId: number) {
  return db
    .select({ id: doctors.id, clinicId: doctors.clinicId, name: doctors.name, active: doctors.active })
    .from(doctors)
    .where(eq(doctors.id, doctorId))
    .get();
}
