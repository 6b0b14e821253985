/**
 * The reconcile: every minute (the cron trigger), doctor-day objects in the horizon are compared
 * with D1's live appointments of that day and repaired both ways:
 * - a live appointment the object does not know is marked booked (D1 is the record);
 * - a booking the object has with no live appointment is freed, once it is older than the
 *   grace period (a confirm writes D1 within one request, so a younger one may be in flight).
 * Each object is also given the day's calendar with the doctor's calendar version (an older
 * version never replaces a newer).
 * A run's work is bounded whatever the number of doctors. It visits:
 * - the whole horizon of the next few doctors in id order (a cursor kept in reconcile_cursor,
 *   wrapping round): enough that a full pass takes about PASS_RUNS runs, between SLICE_DOCTORS
 *   and MAX_SLICE_DOCTORS a run (`sliceSize`), so every doctor-day is visited within about three
 *   hours up to 8,640 doctors, as long as the slice fits in SLICE_TIME_MS of a run;
 * - the doctor-days with appointments created or cancelled since the last run (what a failed
 *   free() after a cancel leaves behind is repaired within a minute);
 * - the whole horizon of doctors whose last calendar change did not reach every object
 *   (calendar_pushed_version behind), so the push arrives this way.
 * Drift comes from cancels whose free() failed, Workers that died between the object's
 * confirm and D1's write, objects that lost their storage, and hand edits in D1; those not
 * seen as a change wait for the slice. Every statement binds at most CHUNK ids (D1 refuses
 * more than 100 bound parameters). Idempotent: a second run finds nothing to repair.
 */
import { asc, eq, gt, inArray, lt, lte, max, type SQL } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { loadCalendars, withValidTimeZone, type DoctorCalendar } from "../db/directory.ts";
import { clinics, doctors, reconcileCursor } from "../db/schema.ts";
import { addDays, formatMinute, horizonDates, localClock, scheduleFor, type Slot } from "../slots/calendar.ts";
import { doctorDayStub, type DoctorDay } from "../slots/doctor-day.ts";
import { dayCalendar } from "./calendar-push.ts";
import { markDelivered } from "../stores/directory.ts";
import {
  appointmentsCancelledBetween,
  appointmentsCreatedAfter,
  doctorsAppointmentsBetween,
  newestAppointmentId,
} from "../stores/appointments.ts";
import { log } from "../log.ts";

/** Longer than any confirm takes between the object's claim and D1's write. */
export const RECONCILE_GRACE_MS = 60_000;
/** Objects reconciled at once: enough to finish a clinic group within the minute, gentle on D1. */
const CONCURRENCY = 8;
/** Doctors whose whole horizon each run visits at least: the demo's six, so a small line is whole every run. */
export const SLICE_DOCTORS = 6;
/**
 * ... and at most: 48 horizons of 32 dates are about 1,500 object calls, with the undelivered and
 * the changes under 2,000 a run: a fifth of a paid Worker's 10,000 subrequests, and a few seconds
 * of the minute at CONCURRENCY calls at a time (each a small RPC; the Worker's own CPU per call is
 * well under a millisecond, against the cron's 30 s).
 */
export const MAX_SLICE_DOCTORS = 48;
/** Runs (minutes) a full pass over every doctor aims at: three hours. */
export const PASS_RUNS = 180;
/**
 * Wall time a run gives the slice, after the changes and undelivered calendars (always done):
 * it stops between doctors once this is spent, and the next run goes on from there, so a run
 * ends within its minute however slow the objects answer (a fresh object's first call is the
 * slowest), and the pass takes longer rather than runs piling up.
 */
export const SLICE_TIME_MS = 20_000;

/**
 * Doctors a run visits whole, from the highest doctor id (ids are allocated in turn, so it
 * stands for the number of doctors without counting them, which would read every row).
 */
export const sliceSize = (highestDoctorId: number) =>
  Math.min(MAX_SLICE_DOCTORS, Math.max(SLICE_DOCTORS, Math.ceil(highestDoctorId / PASS_RUNS)));
/** Doctors with an undelivered calendar taken a run (normally none: a push failed). */
export const UNDELIVERED_DOCTORS = 6;
/** Created and, separately, cancelled appointments looked at a run; more wait for the next. */
export const CHANGES_PER_RUN = 100;
/** How far back a first run (or one whose clock went back) looks for cancels. */
const FIRST_LOOK_BACK_MS = 10 * 60_000;
/** Ids bound in one statement: D1 refuses more than 100 bound parameters. */
const CHUNK = 90;

/** The most object calls one run makes: a doctor's horizon spans at most horizonDays + 2 dates. */
export const reconcileCallBudget = (horizonDays: number) =>
  (MAX_SLICE_DOCTORS + UNDELIVERED_DOCTORS) * (horizonDays + 2) + 2 * CHANGES_PER_RUN;

export interface ReconcileSummary {
  doctorDays: number;
  marked: number;
  freed: number;
  /** The times freed, for the waitlist. */
  freedTimes: { doctorId: number; date: string; startMinute: number }[];
}

interface DoctorRow {
  id: number;
  clinicId: number;
  active: boolean;
  calendarVersion: number;
  calendarPushedVersion: number;
  timezone: string;
}

interface ReconciledDay {
  doctorId: number;
  date: string;
  live: Slot[];
  timezone: string;
}

interface Change {
  id: number;
  doctorId: number;
  date: string;
  cancelledAt: string | null;
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const doctorColumns = {
  id: doctors.id,
  clinicId: doctors.clinicId,
  active: doctors.active,
  calendarVersion: doctors.calendarVersion,
  calendarPushedVersion: doctors.calendarPushedVersion,
  timezone: clinics.timezone,
};

function doctorsWhere(db: Db, where: SQL | undefined, limit: number) {
  return db
    .select(doctorColumns)
    .from(doctors)
    .innerJoin(clinics, eq(clinics.id, doctors.clinicId))
    .where(where)
    .orderBy(asc(doctors.id))
    .limit(limit);
}

/** What this run visits, read from the cursor: the slice, the undelivered and the changes. */
async function readWork(db: Db, now: Date, graceMs: number) {
  const cursor = await db.select().from(reconcileCursor).where(eq(reconcileCursor.id, 1)).get();
  const after = cursor?.doctorId ?? 0;
  // A first run, or a clock that went back (a faked one), looks back a few minutes for cancels.
  const nowIso = now.toISOString();
  const fallback = new Date(now.getTime() - FIRST_LOOK_BACK_MS).toISOString();
  const since = cursor && cursor.cancelledSince && cursor.cancelledSince <= nowIso ? cursor.cancelledSince : fallback;
  const [highest, slice, wrapped, undelivered, created, cancelled, newest] = await db.batch([
    db.select({ id: max(doctors.id) }).from(doctors),
    doctorsWhere(db, gt(doctors.id, after), MAX_SLICE_DOCTORS),
    doctorsWhere(db, lte(doctors.id, after), MAX_SLICE_DOCTORS),
    doctorsWhere(db, lt(doctors.calendarPushedVersion, doctors.calendarVersion), UNDELIVERED_DOCTORS),
    appointmentsCreatedAfter(db, cursor?.appointmentId ?? 0, cursor ? CHANGES_PER_RUN : 0),
    appointmentsCancelledBetween(db, since, nowIso, CHANGES_PER_RUN),
    newestAppointmentId(db),
  ]);
  const sliceDoctors = [...slice, ...wrapped].slice(0, sliceSize(highest[0]?.id ?? 0));
  const next = {
    doctorId: sliceDoctors.at(-1)?.id ?? 0,
    // A first run starts after the newest appointment: older ones are the slice's.
    appointmentId: cursor ? (created.at(-1)?.id ?? cursor.appointmentId) : (newest[0]?.id ?? 0),
    // A full page resumes at its last cancel; else from a grace before now, since a cancel's
    // time is taken before its write lands.
    cancelledSince:
      cancelled.length === CHANGES_PER_RUN
        ? cancelled.at(-1)!.cancelledAt!
        : new Date(now.getTime() - graceMs).toISOString(),
  };
  const previous = cursor ? { appointmentId: cursor.appointmentId, cancelledSince: since } : next;
  const changes = [...created, ...cancelled] as Change[];
  return { sliceDoctors, sliceFrom: after, undelivered, changes, next, previous };
}

/** The doctors the changes are about, and every involved doctor's calendar (chunked). */
async function readDoctorsAndCalendars(
  db: Db,
  known: DoctorRow[],
  changes: Change[],
  fromDate: (ids: DoctorRow[]) => string,
) {
  const byId = new Map(known.map((d) => [d.id, d]));
  const missing = [...new Set(changes.map((c) => c.doctorId))].filter((id) => !byId.has(id));
  for (const ids of chunks(missing))
    for (const d of await doctorsWhere(db, inArray(doctors.id, ids), ids.length)) byId.set(d.id, d);
  const all = [...byId.values()];
  const calendars = new Map<number, DoctorCalendar>();
  const first = fromDate(all);
  for (const ids of chunks(all.filter((d) => d.active).map((d) => d.id)))
    for (const [id, calendar] of await loadCalendars(db, ids, first)) calendars.set(id, calendar);
  return { byId, calendars };
}

async function liveRows(db: Db, doctorIds: number[], firstDay: string, lastDay: string) {
  const rows = [];
  for (const ids of chunks(doctorIds)) rows.push(...(await doctorsAppointmentsBetween(db, ids, firstDay, lastDay)));
  return rows;
}

export async function reconcileSlots(
  db: Db,
  doctorDays: DurableObjectNamespace<DoctorDay>,
  config: Pick<Config, "horizonDays">,
  now: Date,
  graceMs = RECONCILE_GRACE_MS,
): Promise<ReconcileSummary> {
  // Taken before D1 is read: a booking confirmed before this instant minus the grace has
  // had its D1 write committed before the read below, or never will.
  const readAtMs = now.getTime();
  const startedMs = Date.now();
  const work = await readWork(db, now, graceMs);
  const todayOf = (d: DoctorRow) =>
    localClock(now, withValidTimeZone({ id: d.clinicId, timezone: d.timezone }).timezone).date;
  const firstOf = (rows: DoctorRow[]) => rows.map(todayOf).sort()[0] ?? "9999-12-31";
  const { byId, calendars } = await readDoctorsAndCalendars(
    db,
    [...work.sliceDoctors, ...work.undelivered],
    work.changes,
    firstOf,
  );
  const firstDay = firstOf([...byId.values()]);
  const lastDay = addDays(firstDay, config.horizonDays + 1);

  // Whole horizons: every day an active doctor works and every day D1 has a row on (all days
  // for an undelivered calendar). Changes: just their own day.
  const undelivered = new Set(work.undelivered.map((d) => d.id));
  const whole = new Set([...work.sliceDoctors.map((d) => d.id), ...undelivered]);
  const days = new Map<string, ReconciledDay>();
  const dayOf = (doctor: DoctorRow, date: string) => {
    const key = `${doctor.id}:${date}`;
    let day = days.get(key);
    if (!day) {
      day = {
        doctorId: doctor.id,
        date,
        live: [],
        timezone: withValidTimeZone({ id: doctor.clinicId, timezone: doctor.timezone }).timezone,
      };
      days.set(key, day);
    }
    return day;
  };
  for (const id of whole) {
    const doctor = byId.get(id)!;
    const calendar = calendars.get(id);
    for (const date of horizonDates(todayOf(doctor), config.horizonDays))
      if (undelivered.has(id) || (doctor.active && calendar && scheduleFor(calendar.hours, calendar.daysOff, date)))
        dayOf(doctor, date);
  }
  for (const change of work.changes) {
    const doctor = byId.get(change.doctorId);
    if (doctor && change.date >= todayOf(doctor) && change.date <= lastDay) dayOf(doctor, change.date);
  }
  const rows = firstDay <= lastDay ? await liveRows(db, [...byId.keys()], firstDay, lastDay) : [];
  for (const row of rows) {
    const doctor = byId.get(row.doctorId)!;
    if (row.date < todayOf(doctor)) continue;
    const key = `${row.doctorId}:${row.date}`;
    if (!whole.has(row.doctorId) && !days.has(key)) continue;
    const day = dayOf(doctor, row.date);
    if (row.status === "cancelled") continue;
    const start = localClock(new Date(row.startsAt), day.timezone).minute;
    const length = Math.max(1, Math.round((Date.parse(row.endsAt) - Date.parse(row.startsAt)) / 60_000) || 1);
    day.live.push({ startMinute: start, endMinute: start + length });
  }

  const summary: ReconcileSummary = { doctorDays: 0, marked: 0, freed: 0, freedTimes: [] };
  const failed = new Set<number>();
  const visit = async (day: ReconciledDay) => {
    summary.doctorDays++;
    try {
      const doctor = byId.get(day.doctorId)!;
      const report = await doctorDayStub(doctorDays, day.doctorId, day.date).reconcile(
        day.live,
        readAtMs,
        graceMs,
        now.getTime(),
        dayCalendar(doctor, calendars.get(doctor.id), day.date),
      );
      summary.marked += report.marked.length;
      summary.freed += report.freed.length;
      for (const slot of report.freed)
        summary.freedTimes.push({ doctorId: day.doctorId, date: day.date, startMinute: slot.startMinute });
      // One line per repaired doctor-day: which times, never whose.
      const times = (slots: Slot[]) => slots.map((slot) => formatMinute(slot.startMinute)).join(", ");
      if (report.marked.length + report.freed.length > 0)
        log.warn("reconcile repaired a doctor-day", {
          doctorId: day.doctorId,
          date: day.date,
          markedBooked: times(report.marked),
          freed: times(report.freed),
        });
    } catch (error) {
      // One unreachable object must not stop the others; the next run tries it again.
      failed.add(day.doctorId);
      log.error("reconcile failed for a doctor-day", { doctorId: day.doctorId, date: day.date, error });
    }
  };
  // The changes and the undelivered calendars first, whatever the time; then the slice, doctor
  // by doctor, while its time lasts.
  const changed = new Set(work.changes.map((c) => `${c.doctorId}:${c.date}`));
  const first: ReconciledDay[] = [];
  const sliceDays = new Map<number, ReconciledDay[]>();
  for (const [key, day] of days)
    if (undelivered.has(day.doctorId) || changed.has(key)) first.push(day);
    else sliceDays.set(day.doctorId, [...(sliceDays.get(day.doctorId) ?? []), day]);
  await inBatches(first, CONCURRENCY, visit);
  let reached = work.sliceFrom;
  for (const doctor of work.sliceDoctors) {
    if (Date.now() - startedMs >= SLICE_TIME_MS) break;
    await inBatches(sliceDays.get(doctor.id) ?? [], CONCURRENCY, visit);
    reached = doctor.id;
  }
  // Every object of these doctors' horizons has taken the calendar read above.
  await markDelivered(
    db.$client,
    work.undelivered.filter((d) => !failed.has(d.id)).map((d) => ({ id: d.id, version: d.calendarVersion })),
    true,
  );
  // The slice moves on regardless (a broken object must not stall the pass); the changes are
  // looked at again if any object failed.
  const next = { ...(failed.size === 0 ? work.next : { ...work.next, ...work.previous }), doctorId: reached };
  await db
    .insert(reconcileCursor)
    .values({ id: 1, ...next })
    .onConflictDoUpdate({ target: reconcileCursor.id, set: next });
  return summary;
}
