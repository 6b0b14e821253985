/**
 * The admin directory's reads, a page at a time: a district's database holds thousands of
 * clinics, doctors and accounts, so the page reads what it shows (a page of clinics with their
 * doctors, a page of accounts with the names they refer to), never whole tables.
 */
import { asc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { clinics, districts, doctors, specializations, staffClinics, staffUsers } from "../db/schema.ts";

/** Clinics, and separately accounts, a page. */
export const DIRECTORY_PAGE = 25;

export interface DirectoryCursor {
  /** Show clinics with a greater id. */
  afterClinic: number;
  /** Show accounts whose username sorts after this one. */
  afterUser: string;
}

/** An id list for IN (...): never empty, so the plan is a key search, not a scan under WHERE false. */
const ids = (list: number[]) => (list.length > 0 ? list : [0]);

const staffColumns = {
  id: staffUsers.id,
  username: staffUsers.username,
  role: staffUsers.role,
  active: staffUsers.active,
  doctorId: staffUsers.doctorId,
};

/** One page of the directory, with the cursors of the next pages (null on the last). */
export async function directoryPage(db: Db, cursor: DirectoryCursor) {
  const [districtRows, clinicPage, specialityRows, staffPage] = await db.batch([
    db.select({ id: districts.id, name: districts.name }).from(districts).orderBy(asc(districts.id)),
    db
      .select()
      .from(clinics)
      .where(gt(clinics.id, cursor.afterClinic))
      .orderBy(asc(clinics.id))
      .limit(DIRECTORY_PAGE + 1),
    db.select().from(specializations).orderBy(asc(specializations.id)),
    db
      .select(staffColumns)
      .from(staffUsers)
      .where(gt(staffUsers.username, cursor.afterUser))
      .orderBy(asc(staffUsers.username))
      .limit(DIRECTORY_PAGE + 1),
  ]);
  const clinicRows = clinicPage.slice(0, DIRECTORY_PAGE);
  const staffRows = staffPage.slice(0, DIRECTORY_PAGE);
  const userIds = ids(staffRows.map((u) => u.id));
  const doctorUserIds = ids(staffRows.flatMap((u) => (u.doctorId === null ? [] : [u.doctorId])));
  const [doctorRows, links, linkedClinics, linkedDoctors] = await db.batch([
    db
      .select()
      .from(doctors)
      .where(inArray(doctors.clinicId, ids(clinicRows.map((x) => x.id))))
      .orderBy(asc(doctors.clinicId), asc(doctors.id)),
    db.select().from(staffClinics).where(inArray(staffClinics.userId, userIds)),
    db
      .select({ id: clinics.id, name: clinics.name })
      .from(clinics)
      .where(
        inArray(
          clinics.id,
          db.select({ id: staffClinics.clinicId }).from(staffClinics).where(inArray(staffClinics.userId, userIds)),
        ),
      ),
    db.select({ id: doctors.id, name: doctors.name }).from(doctors).where(inArray(doctors.id, doctorUserIds)),
  ]);
  return {
    districts: districtRows,
    clinics: clinicRows,
    specialities: specialityRows,
    doctors: doctorRows,
    staff: staffRows.map((u) => ({ ...u, clinicIds: links.filter((l) => l.userId === u.id).map((l) => l.clinicId) })),
    names: {
      clinics: Object.fromEntries(linkedClinics.map((x) => [x.id, x.name])),
      doctors: Object.fromEntries(linkedDoctors.map((d) => [d.id, d.name])),
    },
    next: {
      afterClinic: clinicPage.length > DIRECTORY_PAGE ? clinicRows.at(-1)!.id : null,
      afterUser: staffPage.length > DIRECTORY_PAGE ? staffRows.at(-1)!.username : null,
    },
  };
}

export const listDistricts = (db: Db) =>
  db.select({ id: districts.id, name: districts.name }).from(districts).orderBy(asc(districts.id));

export const findClinic = (db: Db, id: number) => db.select().from(clinics).where(eq(clinics.id, id)).get();

export const findSpeciality = (db: Db, id: number) =>
  db.select().from(specializations).where(eq(specializations.id, id)).get();

export const findStaffUser = (db: Db, id: number) =>
  db.select(staffColumns).from(staffUsers).where(eq(staffUsers.id, id)).get();

/** Of these ids, the clinics and the doctor that exist (a form's choices, checked). */
export async function existing(db: Db, clinicIds: number[], doctorId: number | null) {
  const wanted = clinicIds.slice(0, 90);
  const [clinicRows, doctorRows] = await db.batch([
    db
      .select({ id: clinics.id })
      .from(clinics)
      .where(inArray(clinics.id, ids(wanted))),
    db
      .select({ id: doctors.id })
      .from(doctors)
      .where(eq(doctors.id, doctorId ?? 0)),
  ]);
  return { clinicIds: clinicRows.map((x) => x.id), doctorIds: doctorRows.map((d) => d.id) };
}
