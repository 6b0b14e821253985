/**
 * The reconcile: every minute (the cron trigger), each doctor-day object in the horizon is
 * compared with D1's live appointments of that day and repaired both ways:
 * - a live appointment the object does not know is marked booked (D1 is the record);
 * - a booking the object has with no live appointment is freed, once it is older than the
 *   grace period (a confirm writes D1 within one request, so a younger one may be in flight).
 * Each object is also given the day's calendar with the doctor's calendar version; a doctor whose
 * last change did not reach every object (calendar_pushed_version behind) has every day of the
 * horizon visited, so the push arrives this way (an older version never replaces a newer).
 * Drift comes from cancels whose free() failed, Workers that died between the object's
 * confirm and D1's write, objects that lost their storage, and hand edits in D1.
 * Idempotent: a second run finds nothing to repair.
 */
import { and, gte, inArray, lte } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { loadCalendars, withValidTimeZone } from "../db/directory.ts";
import { appointments, clinics, doctors } from "../db/schema.ts";
import { addDays, formatMinute, horizonDates, localClock, scheduleFor, type Slot } from "../slots/calendar.ts";
import { doctorDayStub, type DoctorDay } from "../slots/doctor-day.ts";
import { dayCalendar, markDelivered } from "./calendar-push.ts";
import { log } from "../log.ts";

/** Longer than any confirm takes between the object's claim and D1's write. */
export const RECONCILE_GRACE_MS = 60_000;
/** Objects reconciled at once: enough to finish a clinic group within the minute, gentle on D1. */
const CONCURRENCY = 8;

export interface ReconcileSummary {
  doctorDays: number;
  marked: number;
  freed: number;
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
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
  const [doctorRows, clinicRows] = await db.batch([
    db
      .select({
        id: doctors.id,
        clinicId: doctors.clinicId,
        active: doctors.active,
        calendarVersion: doctors.calendarVersion,
        calendarPushedVersion: doctors.calendarPushedVersion,
      })
      .from(doctors),
    db.select({ id: clinics.id, timezone: clinics.timezone }).from(clinics),
  ]);
  const zones = new Map(clinicRows.map((c) => [c.id, withValidTimeZone(c).timezone]));
  const todayOf = (clinicId: number) => localClock(now, zones.get(clinicId) ?? "Asia/Kolkata").date;
  const firstDay = [...zones.keys()].map(todayOf).sort()[0];
  if (!firstDay) return { doctorDays: 0, marked: 0, freed: 0 };
  const lastDay = addDays(firstDay, config.horizonDays + 1);

  const rows = await db
    .select({
      doctorId: appointments.doctorId,
      clinicId: appointments.clinicId,
      date: appointments.localDate,
      startsAt: appointments.startsAt,
      endsAt: appointments.endsAt,
      status: appointments.status,
    })
    .from(appointments)
    .where(
      and(
        gte(appointments.localDate, firstDay),
        lte(appointments.localDate, lastDay),
        inArray(
          appointments.doctorId,
          doctorRows.map((d) => d.id),
        ),
      ),
    );
  const calendars = await loadCalendars(
    db,
    doctorRows.filter((d) => d.active).map((d) => d.id),
    firstDay,
  );

  // Every day an active doctor works, every day D1 has any appointment row on, and every day
  // in the horizon of a doctor whose last calendar change did not reach all its objects.
  const undelivered = new Set(doctorRows.filter((d) => d.calendarPushedVersion < d.calendarVersion).map((d) => d.id));
  const doctorById = new Map(doctorRows.map((d) => [d.id, d]));
  const days = new Map<string, { doctorId: number; date: string; live: Slot[]; timezone: string }>();
  const dayOf = (doctorId: number, clinicId: number, date: string) => {
    const key = `${doctorId}:${date}`;
    let day = days.get(key);
    if (!day) {
      day = { doctorId, date, live: [], timezone: zones.get(clinicId) ?? "Asia/Kolkata" };
      days.set(key, day);
    }
    return day;
  };
  for (const doctor of doctorRows) {
    const calendar = calendars.get(doctor.id);
    for (const date of horizonDates(todayOf(doctor.clinicId), config.horizonDays))
      if (
        undelivered.has(doctor.id) ||
        (doctor.active && calendar && scheduleFor(calendar.hours, calendar.daysOff, date))
      )
        dayOf(doctor.id, doctor.clinicId, date);
  }
  for (const row of rows) {
    if (row.date < todayOf(row.clinicId)) continue;
    const day = dayOf(row.doctorId, row.clinicId, row.date);
    if (row.status === "cancelled") continue;
    const start = localClock(new Date(row.startsAt), day.timezone).minute;
    const length = Math.max(1, Math.round((Date.parse(row.endsAt) - Date.parse(row.startsAt)) / 60_000) || 1);
    day.live.push({ startMinute: start, endMinute: start + length });
  }

  const summary: ReconcileSummary = { doctorDays: days.size, marked: 0, freed: 0 };
  const failed = new Set<number>();
  await inBatches([...days.values()], CONCURRENCY, async (day) => {
    try {
      const doctor = doctorById.get(day.doctorId)!;
      const report = await doctorDayStub(doctorDays, day.doctorId, day.date).reconcile(
        day.live,
        readAtMs,
        graceMs,
        now.getTime(),
        dayCalendar(doctor, calendars.get(doctor.id), day.date),
      );
      summary.marked += report.marked.length;
      summary.freed += report.freed.length;
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
  });
  // Every object of these doctors' horizons has taken the calendar read above.
  await markDelivered(
    db.$client,
    [...undelivered]
      .filter((id) => !failed.has(id))
      .map((id) => ({ id, version: doctorById.get(id)!.calendarVersion })),
    true,
  );
  return summary;
}
