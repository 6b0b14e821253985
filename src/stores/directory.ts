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
import type { WorkingHours } from "../slots/calendar.ts";

/** Runs a change to what can be booked, then has this isolate read the directory afresh (even if it failed part-way). */
async function changingDirectory<T>(change: Promise<T>): Promise<T> {
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

/*
 * A doctor's calendar (hours, days off, whether they take bookings). Each change is one batch
 * with the doctor's calendar_version bumped, so the objects can tell a newer calendar from an
 * older one (booking/calendar-push.ts). Raw: the bump is an expression on the column itself,
 * and these batches are sent as D1 statements.
 */

/** The statement that bumps a doctor's calendar version, for the batch that changes the calendar. */
function bumpCalendarVersion(d1: D1Database, doctorId: number): D1PreparedStatement {
  return d1.prepare("UPDATE doctors SET calendar_version = calendar_version + 1 WHERE id = ?").bind(doctorId);
}

/**
 * Records that every object has taken these versions, unless an earlier change is still
 * undelivered (the pushed version lags more than one behind): then the reconcile pushes the
 * whole horizon and records it.
 */
export async function markDelivered(
  d1: D1Database,
  delivered: readonly { id: number; version: number }[],
  whole = false,
): Promise<void> {
  if (delivered.length === 0) return;
  const condition = whole
    ? "calendar_version = ?2"
    : "calendar_pushed_version >= ?2 - 1 AND calendar_pushed_version < ?2";
  await d1.batch(
    delivered.map(({ id, version }) =>
      d1.prepare(`UPDATE doctors SET calendar_pushed_version = ?2 WHERE id = ?1 AND ${condition}`).bind(id, version),
    ),
  );
}

/** Replaces a doctor's weekly hours: the doctor never has half of the old week and half of the new. */
export async function replaceWeeklyHours(db: Db, doctorId: number, hours: readonly WorkingHours[]): Promise<void> {
  const d1 = db.$client;
  await changingDirectory(
    d1.batch([
      bumpCalendarVersion(d1, doctorId),
      d1.prepare("DELETE FROM doctor_hours WHERE doctor_id = ?").bind(doctorId),
      ...hours.map((h) =>
        d1
          .prepare(
            "INSERT INTO doctor_hours (doctor_id, weekday, start_minute, end_minute, slot_minutes) VALUES (?, ?, ?, ?, ?)",
          )
          .bind(doctorId, h.weekday, h.startMinute, h.endMinute, h.slotMinutes),
      ),
    ]),
  );
}

/** Marks days off (a day already off stays as it was). */
export async function insertDaysOff(
  db: Db,
  doctorId: number,
  dates: readonly string[],
  reason: string | null,
): Promise<void> {
  const d1 = db.$client;
  await changingDirectory(
    d1.batch([
      bumpCalendarVersion(d1, doctorId),
      ...dates.map((date) =>
        d1
          .prepare(
            "INSERT INTO doctor_days_off (doctor_id, local_date, reason) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
          )
          .bind(doctorId, date, reason),
      ),
    ]),
  );
}

export async function deleteDayOff(db: Db, doctorId: number, date: string): Promise<void> {
  const d1 = db.$client;
  await changingDirectory(
    d1.batch([
      bumpCalendarVersion(d1, doctorId),
      d1.prepare("DELETE FROM doctor_days_off WHERE doctor_id = ? AND local_date = ?").bind(doctorId, date),
    ]),
  );
}

/** Whether the doctor takes bookings. */
export async function writeDoctorActive(db: Db, doctorId: number, active: boolean): Promise<void> {
  const d1 = db.$client;
  await changingDirectory(
    d1.batch([
      bumpCalendarVersion(d1, doctorId),
      d1.prepare("UPDATE doctors SET active = ? WHERE id = ?").bind(active ? 1 : 0, doctorId),
    ]),
  );
}

/** Adds a doctor with this token prefix; its id. Throws on a prefix the clinic has used (a unique index). */
export async function insertDoctor(
  db: Db,
  doctor: { clinicId: number; name: string; specializationId: number; tokenPrefix: string },
): Promise<number> {
  const row = await changingDirectory(db.insert(doctors).values(doctor).returning({ id: doctors.id }).get());
  return row.id;
}

/** Whether the doctor takes no bookings on the date (a day off, or switched off). Raw: one read of two tables' existence. */
export async function dayClosed(db: Db, doctorId: number, date: string): Promise<boolean> {
  const row = await db.$client
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM doctor_days_off WHERE doctor_id = ?1 AND local_date = ?2)
              OR NOT EXISTS (SELECT 1 FROM doctors WHERE id = ?1 AND active = 1) AS closed`,
    )
    .bind(doctorId, date)
    .first<{ closed: number }>();
  return row?.closed === 1;
}
