/**
 * The directory a caller moves through (states, districts, clinics, specialities, doctors)
 * changes rarely, and every menu step needs it: it is read from D1 in one batch and kept in the
 * isolate. The doctors' hours and days off (most of a district's directory rows: six a doctor
 * and their leave) are read per clinic, beside the booked counts of the first offer a call hears
 * there, and kept with the copy; so a cold isolate reads one row per clinic and doctor.
 *
 * Invalidation rule: an isolate reloads the directory when its copy is older than
 * DIRECTORY_CACHE_SECONDS (default 10), and at once after any write through the directory
 * store in that isolate (stores/directory.ts calls `invalidateDirectory`). So a change made
 * elsewhere reaches every caller within that many seconds; a slot is never double-booked by a
 * stale copy (the doctor-day object decides), at worst a caller hears a doctor or a day that
 * changed seconds ago.
 */
import { asc } from "drizzle-orm";
import type { Db } from "./client.ts";
import { withValidTimeZone, type Clinic, type Doctor, type DoctorCalendar, type Named } from "./directory.ts";
import { clinics, districts, doctors, specializations, states } from "./schema.ts";

type DirectoryDoctor = Doctor & { active: boolean };

export class Directory {
  readonly loadedAt: number;
  private readonly stateList: Named[];
  private readonly districtList: (Named & { stateId: number })[];
  private readonly clinicList: Clinic[];
  private readonly specializationList: Named[];
  /** Each clinic's doctors' calendars, once a call there needed them (as old as this copy). */
  private readonly calendarsByClinic = new Map<number, Map<number, DoctorCalendar>>();
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
    },
  ) {
    this.loadedAt = loadedAt;
    this.stateList = rows.states;
    this.districtList = rows.districts;
    this.clinicList = rows.clinics.map(withValidTimeZone);
    this.specializationList = rows.specializations;
    for (const d of rows.doctors) {
      const list = this.doctorsByClinic.get(d.clinicId);
      if (list) list.push(d);
      else this.doctorsByClinic.set(d.clinicId, [d]);
    }
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

  hasCalendars(clinicId: number): boolean {
    return this.calendarsByClinic.has(clinicId);
  }

  /** Keeps a clinic's calendars read for a call, for the next calls while this copy lasts. */
  rememberCalendars(clinicId: number, calendars: Map<number, DoctorCalendar>): void {
    this.calendarsByClinic.set(clinicId, calendars);
  }

  /** Calendars of some of a clinic's doctors (read before: `hasCalendars`); no rows = the default hours. */
  calendars(clinicId: number, doctorIds: readonly number[]): Map<number, DoctorCalendar> {
    const known = this.calendarsByClinic.get(clinicId);
    return new Map(doctorIds.map((id) => [id, known?.get(id) ?? { hours: [], daysOff: new Set() }]));
  }
}

/** Everything the menus need, in one batch (one round trip): a row per clinic and per doctor. */
export async function loadDirectory(db: Db, now: Date): Promise<Directory> {
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
      })
      .from(doctors)
      .orderBy(asc(doctors.id)),
  ]);
  return new Directory(now.getTime(), {
    states: stateRows,
    districts: districtRows,
    clinics: clinicRows,
    specializations: specializationRows,
    doctors: doctorRows,
  });
}

let cached: Directory | null = null;

/** Whether this isolate's copy can be used at `now` without reading D1. */
export function directoryIsFresh(now: Date, maxAgeMs: number): boolean {
  return (
    cached !== null && maxAgeMs > 0 && now.getTime() >= cached.loadedAt && now.getTime() - cached.loadedAt < maxAgeMs
  );
}

/** This isolate's copy if it can be used at `now`, without waiting (null: a request reads D1). */
export function freshDirectory(now: Date, maxAgeMs: number): Directory | null {
  return directoryIsFresh(now, maxAgeMs) ? cached : null;
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
