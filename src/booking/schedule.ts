/**
 * A clinic's changes to who works when: weekly hours, days off, doctors joining and leaving.
 * Each is written to D1 and then pushed to the doctor-day objects it affects before it returns
 * (calendar-push.ts): holds it leaves outside the hours are released, and nothing is held or
 * confirmed there again. None of them moves or frees a booked time by itself: slots are times, so existing
 * appointments keep theirs. An appointment a change leaves outside the doctor's hours (or with
 * a doctor who left) is reported (`strandedAppointments`), never silently dropped; days off
 * can cancel the appointments they cover, each with an SMS, when the clinic asks for that.
 */
import { and, asc, eq, gte } from "drizzle-orm";
import { loadCalendars } from "../db/directory.ts";
import { appointments, clinics, doctors } from "../db/schema.ts";
import type { Catalogue } from "../words/index.ts";
import { isValidTimeZone, localClock, parseDate, scheduleFor, type WorkingHours } from "../slots/calendar.ts";
import { selectAppointments, bookedOnDates } from "../stores/appointments.ts";
import { appointmentById, type PatientAppointment } from "../stores/patients.ts";
import { cancelBooked } from "./cancel.ts";
import type { BookingContext } from "./context.ts";
import { violatedUniqueIndex } from "./conflicts.ts";
import { choosePrefix } from "./token.ts";
import { log } from "../log.ts";
import { pushCalendars as push } from "./calendar-push.ts";
import {
  deleteDayOff,
  insertDaysOff,
  insertDoctor,
  replaceWeeklyHours,
  writeDoctorActive,
} from "../stores/directory.ts";

export class ScheduleError extends Error {}

/**
 * Pushes the saved change to the doctor-day objects; if they cannot be reached the desk is told
 * the truth (saved, not yet on the line) rather than "done". The reconcile delivers it within a minute.
 */
async function pushCalendars(ctx: BookingContext, doctorIds: number[], dates?: readonly string[]): Promise<void> {
  try {
    await push(ctx, doctorIds, dates);
  } catch (error) {
    log.error("a schedule change was saved but not pushed to its doctor-days", {
      doctorIds: doctorIds.join(", "),
      error,
    });
    throw new ScheduleError(
      "Saved, but the phone line has not taken the change yet (it will within a minute); until then a caller may still be offered these times. Look at the schedule again in a minute.",
    );
  }
}

/** Hours must lie within the day and be a whole number of slots. */
export function validateHours(hours: readonly WorkingHours[]): void {
  const weekdays = new Set<number>();
  for (const h of hours) {
    if (!Number.isInteger(h.weekday) || h.weekday < 0 || h.weekday > 6) throw new ScheduleError("weekday must be 0-6");
    if (weekdays.has(h.weekday)) throw new ScheduleError(`weekday ${h.weekday} is listed twice`);
    weekdays.add(h.weekday);
    if (![h.startMinute, h.endMinute, h.slotMinutes].every(Number.isInteger))
      throw new ScheduleError("times must be whole minutes");
    if (h.startMinute < 0 || h.endMinute > 24 * 60 || h.startMinute >= h.endMinute)
      throw new ScheduleError("hours must lie within 00:00-24:00 and end after they start");
    if (h.slotMinutes < 5 || h.slotMinutes > 240) throw new ScheduleError("a slot lasts 5 to 240 minutes");
    if ((h.endMinute - h.startMinute) % h.slotMinutes !== 0)
      throw new ScheduleError("the slot length must divide the working hours");
  }
}

/** Replaces a doctor's weekly hours (an empty list means the default Mon-Sat 09:00-17:00). */
export async function setWeeklyHours(
  ctx: BookingContext,
  doctorId: number,
  hours: readonly WorkingHours[],
): Promise<PatientAppointment[]> {
  validateHours(hours);
  const doctor = await ctx.db
    .select({ clinicId: doctors.clinicId })
    .from(doctors)
    .where(eq(doctors.id, doctorId))
    .get();
  if (!doctor) throw new ScheduleError(`no doctor ${doctorId}`);
  await replaceWeeklyHours(ctx.db, doctorId, hours);
  await pushCalendars(ctx, [doctorId]);
  return (await strandedAppointments(ctx, doctor.clinicId)).filter((a) => a.doctorId === doctorId);
}

/**
 * Marks days off (leave, a holiday). The live appointments on those days are returned; with
 * `cancelAffected` they are cancelled, each with an SMS asking the patient to book again.
 */
export async function addDaysOff(
  ctx: BookingContext,
  /** The words of each patient's SMS (each in the patient's own language). */
  wordsFor: (phone: string) => Promise<Catalogue>,
  doctorId: number,
  dates: readonly string[],
  { reason, cancelAffected }: { reason?: string; cancelAffected: boolean },
): Promise<{ affected: PatientAppointment[]; smsIds: number[] }> {
  const doctor = await ctx.db
    .select({ clinicId: doctors.clinicId, timezone: clinics.timezone })
    .from(doctors)
    .innerJoin(clinics, eq(clinics.id, doctors.clinicId))
    .where(eq(doctors.id, doctorId))
    .get();
  if (!doctor) throw new ScheduleError(`no doctor ${doctorId}`);
  const today = localClock(ctx.now, isValidTimeZone(doctor.timezone) ? doctor.timezone : "Asia/Kolkata").date;
  for (const date of dates) {
    if (!parseDate(date)) throw new ScheduleError(`not a date: ${date}`);
    if (date < today) throw new ScheduleError(`${date} is in the past`);
  }
  if (dates.length === 0) return { affected: [], smsIds: [] };
  await insertDaysOff(ctx.db, doctorId, dates, reason?.slice(0, 200) ?? null);
  // Before the appointments are read: a caller holding a time on these days can no longer
  // book it, so every appointment the days get is among those read below.
  await pushCalendars(ctx, [doctorId], dates);
  const rows = await bookedOnDates(ctx.db, doctorId, dates);
  const affected = (await Promise.all(rows.map((r) => appointmentById(ctx.db, r.id)))).filter(
    (a): a is NonNullable<typeof a> => a !== null && a.status === "booked",
  );
  const smsIds: number[] = [];
  if (cancelAffected) {
    for (const appointment of affected) {
      const result = await cancelBooked(ctx, appointment, {
        words: await wordsFor(appointment.patientPhone),
        // The text says why: the doctor is on leave that day.
        text: "cancelledForLeave",
      });
      smsIds.push(...result.smsIds);
    }
  }
  return { affected, smsIds };
}

export async function removeDayOff(ctx: BookingContext, doctorId: number, date: string): Promise<void> {
  await deleteDayOff(ctx.db, doctorId, date);
  await pushCalendars(ctx, [doctorId], [date]);
}

/** Adds a doctor with a token prefix chosen now, unique in the clinic for good. */
export async function addDoctor(
  ctx: BookingContext,
  doctor: { clinicId: number; name: string; specializationId: number },
): Promise<{ id: number; tokenPrefix: string }> {
  const name = doctor.name.trim().slice(0, 120);
  if (!name) throw new ScheduleError("a doctor needs a name");
  for (let attempt = 0; attempt < 5; attempt++) {
    const taken = await ctx.db
      .select({ prefix: doctors.tokenPrefix })
      .from(doctors)
      .where(eq(doctors.clinicId, doctor.clinicId));
    const prefix = choosePrefix(name, new Set(taken.map((t) => t.prefix).filter((p): p is string => !!p)));
    if (!prefix) throw new ScheduleError("the clinic has used every token prefix");
    try {
      const id = await insertDoctor(ctx.db, { ...doctor, name, tokenPrefix: prefix });
      return { id, tokenPrefix: prefix };
    } catch (error) {
      if (violatedUniqueIndex(error) !== "doctors_clinic_prefix") throw error;
    }
  }
  throw new ScheduleError("could not choose a token prefix");
}

/** A doctor stops (or resumes) taking bookings; their booked appointments are reported, not cancelled. */
export async function setDoctorActive(ctx: BookingContext, doctorId: number, active: boolean): Promise<void> {
  await writeDoctorActive(ctx.db, doctorId, active);
  await pushCalendars(ctx, [doctorId]);
}

/**
 * The clinic's upcoming live appointments that no longer fit their doctor's schedule: on a
 * day off, outside the hours, or with a doctor who no longer takes bookings.
 * The clinic must call these patients; the line never drops them on its own.
 */
export async function strandedAppointments(ctx: BookingContext, clinicId: number): Promise<PatientAppointment[]> {
  const clinic = await ctx.db.select().from(clinics).where(eq(clinics.id, clinicId)).get();
  if (!clinic) return [];
  const timezone = isValidTimeZone(clinic.timezone) ? clinic.timezone : "Asia/Kolkata";
  const today = localClock(ctx.now, timezone).date;
  const rows = (
    await selectAppointments(ctx.db)
      .where(
        and(eq(appointments.clinicId, clinicId), eq(appointments.status, "booked"), gte(appointments.localDate, today)),
      )
      .orderBy(asc(appointments.startsAt))
  ).map(({ id, token, doctorId, doctorName, doctorActive, clinicId, date, startsAt, endsAt, patientPhone }) => ({
    id,
    token,
    doctorId,
    doctorName,
    doctorActive,
    clinicId,
    date,
    startsAt,
    endsAt,
    patientPhone,
  }));
  const calendars = await loadCalendars(ctx.db, [...new Set(rows.map((r) => r.doctorId))], today);
  return rows
    .map((r) => ({
      ...r,
      clinicName: clinic.name,
      clinicDisplayNames: clinic.displayNames,
      timezone,
      startMinute: localClock(new Date(r.startsAt), timezone).minute,
      // An appointment ending at midnight ends at minute 1440 of its own day.
      endMinute:
        localClock(new Date(r.startsAt), timezone).minute + (Date.parse(r.endsAt) - Date.parse(r.startsAt)) / 60_000,
    }))
    .filter((r) => {
      if (!r.doctorActive) return true;
      const calendar = calendars.get(r.doctorId)!;
      const schedule = scheduleFor(calendar.hours, calendar.daysOff, r.date);
      // Off the new slot grid but within the hours is fine: the object keeps the time blocked.
      return !schedule || r.startMinute < schedule.startMinute || r.endMinute > schedule.endMinute;
    })
    .map(({ doctorActive: _a, endsAt: _e, endMinute: _m, ...rest }) => rest);
}
