/**
 * Read-only lookups of clinics, doctors and their calendars straight from D1 (the desk and the
 * booking service). The call's menus read the cached copy in directory-cache.ts instead.
 */
import { and, asc, eq, gte, inArray } from "drizzle-orm";
import { DEFAULT_TIMEZONE, isValidTimeZone, type WorkingHours } from "../slots/calendar.ts";
import type { Db } from "./client.ts";
import { clinics, doctorDaysOff, doctorHours, doctors } from "./schema.ts";
import { log } from "../log.ts";

export interface Named {
  id: number;
  name: string;
  /** JSON of names in other languages (db/display-names.ts); absent for doctors. */
  displayNames?: string | null;
}

export type Clinic = typeof clinics.$inferSelect;
export type Doctor = {
  id: number;
  name: string;
  clinicId: number;
  specializationId: number;
  /** Null until the doctor's first booking (or creation through the booking service) chooses it. */
  tokenPrefix: string | null;
};

const doctorColumns = {
  id: doctors.id,
  name: doctors.name,
  clinicId: doctors.clinicId,
  specializationId: doctors.specializationId,
  tokenPrefix: doctors.tokenPrefix,
};

/** Zones already checked: a directory of thousands of clinics shares a handful of zones. */
const checkedZones = new Map<string, boolean>();

function knownZone(zone: string): boolean {
  let valid = checkedZones.get(zone);
  if (valid === undefined) {
    valid = isValidTimeZone(zone);
    if (checkedZones.size < 1000) checkedZones.set(zone, valid);
  }
  return valid;
}

/** A stored time zone Intl does not know would fail every call: fall back, and say so. */
export function withValidTimeZone<T extends { id: number; timezone: string }>(clinic: T): T {
  if (knownZone(clinic.timezone)) return clinic;
  log.warn("clinic has an invalid time zone; using the default", { clinicId: clinic.id, fallback: DEFAULT_TIMEZONE });
  return { ...clinic, timezone: DEFAULT_TIMEZONE };
}

export async function getClinic(db: Db, clinicId: number): Promise<Clinic | undefined> {
  const clinic = await db.select().from(clinics).where(eq(clinics.id, clinicId)).get();
  return clinic && withValidTimeZone(clinic);
}

/** The clinic's active doctors, optionally of one specialization. */
export function listDoctors(db: Db, clinicId: number, specializationId?: number): Promise<Doctor[]> {
  return db
    .select(doctorColumns)
    .from(doctors)
    .where(
      and(
        eq(doctors.clinicId, clinicId),
        eq(doctors.active, true),
        specializationId === undefined ? undefined : eq(doctors.specializationId, specializationId),
      ),
    )
    .orderBy(asc(doctors.id));
}

export interface DoctorCalendar {
  hours: WorkingHours[];
  daysOff: Set<string>;
}

/** Working hours and days off of several doctors, in two queries sent as one batch. */
export async function loadCalendars(
  db: Db,
  doctorIds: number[],
  fromDate: string,
): Promise<Map<number, DoctorCalendar>> {
  const calendars = new Map<number, DoctorCalendar>(doctorIds.map((id) => [id, { hours: [], daysOff: new Set() }]));
  if (doctorIds.length === 0) return calendars;
  const [hours, daysOff] = await db.batch([
    db.select().from(doctorHours).where(inArray(doctorHours.doctorId, doctorIds)),
    db.select().from(doctorDaysOff).where(inArray(doctorDaysOff.doctorId, doctorIds)),
  ]);
  for (const h of hours) calendars.get(h.doctorId)?.hours.push(h);
  for (const d of daysOff) if (d.localDate >= fromDate) calendars.get(d.doctorId)?.daysOff.add(d.localDate);
  return calendars;
}

/** One doctor, active or not. */
export function getDoctor(db: Db, doctorId: number): Promise<Doctor | undefined> {
  return db.select(doctorColumns).from(doctors).where(eq(doctors.id, doctorId)).get();
}

/** Days off before this date never matter to an offer; a day of margin covers every time zone. */
export const daysOffSince = (now: Date) => new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);

/**
 * One clinic's doctors' weekly hours and coming days off, as two statements to send in a batch
 * (beside the offer's booked counts): a call reads the calendars of the clinic it reached only.
 */
export function clinicCalendarQueries(db: Db, clinicId: number, now: Date) {
  return [
    db
      .select({
        doctorId: doctorHours.doctorId,
        weekday: doctorHours.weekday,
        startMinute: doctorHours.startMinute,
        endMinute: doctorHours.endMinute,
        slotMinutes: doctorHours.slotMinutes,
      })
      .from(doctorHours)
      .innerJoin(doctors, eq(doctors.id, doctorHours.doctorId))
      .where(eq(doctors.clinicId, clinicId)),
    db
      .select({ doctorId: doctorDaysOff.doctorId, localDate: doctorDaysOff.localDate })
      .from(doctorDaysOff)
      .innerJoin(doctors, eq(doctors.id, doctorDaysOff.doctorId))
      .where(and(eq(doctors.clinicId, clinicId), gte(doctorDaysOff.localDate, daysOffSince(now)))),
  ] as const;
}

/** The calendars those two statements read, by doctor (a doctor with no rows is absent). */
export function calendarsFromRows(
  hours: (WorkingHours & { doctorId: number })[],
  daysOff: { doctorId: number; localDate: string }[],
): Map<number, DoctorCalendar> {
  const calendars = new Map<number, DoctorCalendar>();
  const of = (doctorId: number) => {
    let calendar = calendars.get(doctorId);
    if (!calendar) calendars.set(doctorId, (calendar = { hours: [], daysOff: new Set() }));
    return calendar;
  };
  for (const { doctorId, ...h } of hours) of(doctorId).hours.push(h);
  for (const d of daysOff) of(d.doctorId).daysOff.add(d.localDate);
  return calendars;
}

/** One clinic's calendars, read now (when nothing read them beside the counts). */
export async function loadClinicCalendars(db: Db, clinicId: number, now: Date): Promise<Map<number, DoctorCalendar>> {
  const [hours, daysOff] = await db.batch(clinicCalendarQueries(db, clinicId, now));
  return calendarsFromRows(hours, daysOff);
}
