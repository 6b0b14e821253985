/**
 * Writes to the directory a caller moves through (clinics, specialities, and the doctors'
 * calendars through the booking service). Every write here has this isolate's cached copy
 * (db/directory-cache.ts) read afresh, so no caller has to remember to; other isolates follow
 * within DIRECTORY_CACHE_SECONDS.
 */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { invalidateDirectory } from "../db/directory-cache.ts";
import { clinics, doctors, specializations } from "../db/schema.ts";

/** Runs a change to what can be booked, then has this isolate read the directory afresh (even if it failed part-way). */
export async function changingDirectory<T>(change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    invalidateDirectory();
  }
}

export type NewClinic = typeof clinics.$inferInsert;

/** Adds a clinic; its id. */
export async function addClinic(db: Db, value: NewClinic): Promise<number> {
  const row = await changingDirectory(db.insert(clinics).values(value).returning({ id: clinics.id }).get());
  return row.id;
}

export async function updateClinic(db: Db, id: number, value: Partial<NewClinic>): Promise<void> {
  await changingDirectory(db.update(clinics).set(value).where(eq(clinics.id, id)).run());
}

/** Adds a speciality; throws when the name is taken (a unique index). */
export async function addSpeciality(db: Db, name: string): Promise<void> {
  await changingDirectory(db.insert(specializations).values({ name }).run());
}

/** A clinic's doctors, active or not, in id order (their names as stored). */
export function clinicDoctorNames(db: Db, clinicId: number): Promise<{ id: number; name: string }[]> {
  return db
    .select({ id: doctors.id, name: doctors.name })
    .from(doctors)
    .where(eq(doctors.clinicId, clinicId))
    .orderBy(asc(doctors.id));
}
