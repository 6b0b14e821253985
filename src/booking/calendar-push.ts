/**
 * Telling the doctor-day objects what the calendar now allows. A change of hours, leave, a
 * holiday or a doctor switched off or on is written to D1 (with the doctor's calendar_version
 * bumped in the same batch), then read back and pushed to each affected day's object before the
 * desk hears it is done. The object releases the holds the change leaves outside the hours and
 * from then on holds and confirms nothing there, whatever grid a stale directory copy passes.
 * A push that fails fails the change's request; the reconcile pushes the same calendar within a
 * minute, and the version keeps an older read from undoing a newer push.
 */
import { eq, inArray } from "drizzle-orm";
import { loadCalendars, withValidTimeZone } from "../db/directory.ts";
import { clinics, doctors } from "../db/schema.ts";
import { horizonDates, localClock, scheduleFor } from "../slots/calendar.ts";
import { doctorDayStub, type CalendarReport, type DayCalendar } from "../slots/doctor-day.ts";
import type { DoctorCalendar } from "../db/directory.ts";
import type { BookingContext } from "./context.ts";
import { markDelivered } from "../stores/directory.ts";

/** The day's calendar for the object: closed when the doctor takes no bookings. */
export function dayCalendar(
  doctor: { active: boolean; calendarVersion: number },
  calendar: DoctorCalendar | undefined,
  date: string,
): DayCalendar {
  const schedule = doctor.active && calendar ? scheduleFor(calendar.hours, calendar.daysOff, date) : null;
  return { schedule, version: doctor.calendarVersion };
}

/**
 * Pushes the doctors' current calendars to their objects on `dates` (every day in the horizon
 * when not given; dates outside it hold nothing and are skipped). Read after the change's batch.
 */
export async function pushCalendars(
  ctx: BookingContext,
  doctorIds: readonly number[],
  dates?: readonly string[],
): Promise<CalendarReport[]> {
  if (doctorIds.length === 0) return [];
  const rows = await ctx.db
    .select({
      id: doctors.id,
      active: doctors.active,
      calendarVersion: doctors.calendarVersion,
      clinicId: clinics.id,
      timezone: clinics.timezone,
    })
    .from(doctors)
    .innerJoin(clinics, eq(clinics.id, doctors.clinicId))
    .where(inArray(doctors.id, [...doctorIds]));
  const todayOf = (r: (typeof rows)[number]) =>
    localClock(ctx.now, withValidTimeZone({ id: r.clinicId, timezone: r.timezone }).timezone).date;
  const calendars = await loadCalendars(ctx.db, [...doctorIds], rows.map(todayOf).sort()[0] ?? "0000-00-00");
  const nowMs = ctx.now.getTime();
  const pushes = rows.flatMap((doctor) => {
    const horizon = horizonDates(todayOf(doctor), ctx.config.horizonDays);
    const days = dates ? horizon.filter((d) => dates.includes(d)) : horizon;
    return days.map(
      (date) => () =>
        doctorDayStub(ctx.doctorDays, doctor.id, date).setCalendar(
          dayCalendar(doctor, calendars.get(doctor.id), date),
          nowMs,
        ),
    );
  });
  // One retry for an object that did not answer (an eviction, a blip), then the change fails.
  const reports = await Promise.all(pushes.map((push) => push().catch(() => push())));
  await markDelivered(
    ctx.db.$client,
    rows.map((r) => ({ id: r.id, version: r.calendarVersion })),
  );
  return reports;
}
