/**
 * The directory a caller moves through (states, districts, clinics, specialities, doctors,
 * their hours and days off) changes rarely, and every menu step needs it: it is read from D1
 * in one batch and kept in the isolate.
 *
 * Invalidation rule: an isolate reloads the directory when its copy is older than
 * DIRECTORY_CACHE_SECONDS (default 10), and at once after any write through the directory
 * store in that isolate (stores/directory.ts calls `invalidateDirectory`). So a change made
 * elsewhere reaches every caller within that many seconds; a slot is never double-booked by a
 * stale copy (the doctor-day object decides), at worst a caller hears a doctor or a day that
 * changed seconds ago.
 */
import { asc, sql } from "drizzle-orm";
import type { WorkingHours } from "../slots/calendar.ts";
import type { Db } from "./client.ts";
import { withValidTimeZone, type Clinic, type Doctor, type DoctorCalendar, type Named } from "./directory.ts";
import { clinics, districts, doctorDaysOff, doctorHours, doctors, specializations, states } from "./schema.ts";

type DirectoryDoctor = Doctor & { active: boolean };

export class Directory {
  readonly loadedAt: number;
  private readonly stateList: Named[];
  private readonly districtList: (Named & { stateId: number })[];
  private readonly clinicList: Clinic[];
  private readonly specializationList: Named[];
  private readonly calendarMap: Map<number, DoctorCalendar>;
  /** Each clinic's doctors, active or not, in id order: a menu step never walks every doctor. */
  private readonly doctorsByClinic = new Map<number, DirectoryDoctor[]>();

  constructor(
    loadedAt: number,
    rows: {
      states: Named[];
      districts: (Named & { stateId: number })[];
      clinics: Clinic[];
      specializations: Named[];
      doctors: DirectoryDoctor[];
      hours: (WorkingHours & { doctorId: number })[];
      daysOff: { doctorId: number; localDate: string }[];
    },
  ) {
    this.loadedAt = loadedAt;
    this.stateList = rows.states;
    this.districtList = rows.districts;
    this.clinicList = rows.clinics.map(withValidTimeZone);
    this.specializationList = rows.specializations;
    this.calendarMap = new Map(rows.doctors.map((d) => [d.id, { hours: [], daysOff: new Set<string>() }]));
    for (const d of rows.doctors) {
      const list = this.doctorsByClinic.get(d.clinicId);
      if (list) list.push(d);
      else this.doctorsByClinic.set(d.clinicId, [d]);
    }
    for (const h of rows.hours) this.calendarMap.get(h.doctorId)?.hours.push(h);
    for (const d of rows.daysOff) this.calendarMap.get(d.doctorId)?.daysOff.add(d.localDate);
  }

  states(): Named[] {
    return this.stateList;
  }

  districts(stateId: number): Named[] {
    return this.districtList
      .filter((d) => d.stateId === stateId)
      .map(({ id, name, displayNames }) => ({ id, name, displayNames }));
  }

  /** The district's clinics that have at least one active doctor: nothing else can be booked. */
  clinics(districtId: number): Named[] {
    return this.clinicList
      .filter((c) => c.districtId === districtId && this.clinicDoctors(c.id).some((d) => d.active))
      .map(({ id, name, displayNames }) => ({ id, name, displayNames }));
  }

  clinic(clinicId: number): Clinic | undefined {
    return this.clinicList.find((c) => c.id === clinicId);
  }

  /** Specialities that at least one active doctor of the clinic has. */
  specializations(clinicId: number): Named[] {
    const ids = new Set(
      this.clinicDoctors(clinicId)
        .filter((d) => d.active)
        .map((d) => d.specializationId),
    );
    return this.specializationList.filter((s) => ids.has(s.id));
  }

  /** The clinic's active doctors, optionally of one speciality, in id order. */
  doctors(clinicId: number, specializationId?: number): Doctor[] {
    return this.clinicDoctors(clinicId)
      .filter((d) => d.active && (specializationId === undefined || d.specializationId === specializationId))
      .map(({ active: _active, ...doctor }) => doctor);
  }

  private clinicDoctors(clinicId: number): DirectoryDoctor[] {
    return this.doctorsByClinic.get(clinicId) ?? [];
  }

  calendars(doctorIds: readonly number[]): Map<number, DoctorCalendar> {
    return new Map(doctorIds.map((id) => [id, this.calendarMap.get(id) ?? { hours: [], daysOff: new Set() }]));
  }
}

/**
 * Everything the menus and offers need, in one batch (one round trip). Each doctor comes as one
 * row carrying its weekly hours and coming days off as JSON: with thousands of doctors a cold
 * isolate then moves a row per doctor instead of one per doctor and weekday (D1 still reads, and
 * bills, the rows behind them).
 */
export async function loadDirectory(db: Db, now: Date): Promise<Directory> {
  // Days off in the past never matter to an offer; a day of margin covers every time zone.
  const since = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const [stateRows, districtRows, clinicRows, specializationRows, doctorRows] = await db.batch([
    db
      .select({ id: states.id, name: states.name, displayNames: states.displayNames })
      .from(states)
      .orderBy(asc(states.id)),
    db
      .select({
        id: districts.id,
        name: districts.name,
        displayNames: districts.displayNames,
        stateId: districts.stateId,
      })
      .from(districts)
      .orderBy(asc(districts.id)),
    db.select().from(clinics).orderBy(asc(clinics.id)),
    db
      .select({ id: specializations.id, name: specializations.name, displayNames: specializations.displayNames })
      .from(specializations)
      .orderBy(asc(specializations.id)),
    db
      .select({
        id: doctors.id,
        name: doctors.name,
        clinicId: doctors.clinicId,
        specializationId: doctors.specializationId,
        tokenPrefix: doctors.tokenPrefix,
        active: doctors.active,
        hours: sql<string>`(SELECT json_group_array(json_array(h.weekday, h.start_minute, h.end_minute, h.slot_minutes))
                              FROM ${doctorHours} h WHERE h.doctor_id = "doctors"."id")`,
        daysOff: sql<string>`(SELECT json_group_array(o.local_date) FROM ${doctorDaysOff} o
                               WHERE o.doctor_id = "doctors"."id" AND o.local_date >= ${since})`,
      })
      .from(doctors)
      .orderBy(asc(doctors.id)),
  ]);
  const hours: (WorkingHours & { doctorId: number })[] = [];
  const daysOff: { doctorId: number; localDate: string }[] = [];
  for (const d of doctorRows) {
    for (const [weekday, startMinute, endMinute, slotMinutes] of JSON.parse(d.hours) as number[][])
      hours.push({
        doctorId: d.id,
        weekday: weekday!,
        startMinute: startMinute!,
        endMinute: endMinute!,
        slotMinutes: slotMinutes!,
      });
    for (const localDate of JSON.parse(d.daysOff) as string[]) daysOff.push({ doctorId: d.id, localDate });
  }
  return new Directory(now.getTime(), {
    states: stateRows,
    districts: districtRows,
    clinics: clinicRows,
    specializations: specializationRows,
    doctors: doctorRows.map(({ hours: _hours, daysOff: _daysOff, ...doctor }) => doctor),
    hours,
    daysOff,
  });
}

let cached: Directory | null = null;

/** Whether this isolate's copy can be used at `now` without reading D1. */
export function directoryIsFresh(now: Date, maxAgeMs: number): boolean {
  return (
    cached !== null && maxAgeMs > 0 && now.getTime() >= cached.loadedAt && now.getTime() - cached.loadedAt < maxAgeMs
  );
}

/** The isolate's directory, reloaded when older than `maxAgeMs` (0: on every call). */
export async function directory(db: Db, now: Date, maxAgeMs: number): Promise<Directory> {
  if (cached && directoryIsFresh(now, maxAgeMs)) return cached;
  cached = await loadDirectory(db, now);
  return cached;
}

/** After a change through the booking service: this isolate's next request reads D1 again. */
export function invalidateDirectory(): void {
  cached = null;
}
