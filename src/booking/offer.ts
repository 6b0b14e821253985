/**
 * Finding and holding the earliest free slot among some doctors of one clinic: today after
 * now (plus the lead time, to the second), then the following days up to the horizon. The
 * calendar says which slots exist; each doctor-day object says which are free and holds one
 * atomically. A hold is not an appointment: only the booking service turns one into one.
 */
import { nameIn } from "../db/display-names.ts";
import type { SmsAppointment } from "../sms/texts.ts";
import type { Language } from "../words/index.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { loadCalendars, type Clinic, type Doctor, type DoctorCalendar } from "../db/directory.ts";
import { bookedCountsQuery } from "../stores/appointments.ts";
import {
  earliestStart,
  horizonDates,
  localClock,
  localToInstant,
  scheduleFor,
  slotsOf,
  type DaySchedule,
  type HeldSlot,
  type Slot,
} from "../slots/calendar.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import type { BookingContext } from "./context.ts";

export interface Offer {
  doctor: Doctor;
  date: string;
  startMinute: number;
  endMinute: number;
  startsAt: Date;
  endsAt: Date;
}

/** A slot that this call holds (or last held), as carried in the offer's action URL: a doctor, a date, a time. */
export type { HeldSlot };

/** An offered (or booked) slot as its SMS names it, with the clinic's name in the patient's language. */
export function offerSms(
  offer: { doctor: { name: string }; date: string; startMinute: number },
  clinic: { name: string; displayNames?: string | null },
  token: string,
  language: Language,
): SmsAppointment {
  return {
    token,
    doctor: offer.doctor.name,
    clinic: nameIn(clinic, language),
    date: offer.date,
    startMinute: offer.startMinute,
  };
}

/** The offer a claimed slot stands for. */
export function offerFor(doctor: Doctor, date: string, slot: Slot, timeZone: string): Offer {
  return {
    doctor,
    date,
    startMinute: slot.startMinute,
    endMinute: slot.endMinute,
    startsAt: localToInstant(date, slot.startMinute, timeZone),
    endsAt: localToInstant(date, slot.endMinute, timeZone),
  };
}

interface Candidate {
  date: string;
  grid: DaySchedule;
  notBefore: number;
}

/** One doctor's days still worth asking about, earliest first, and what their object answered. */
interface Lane {
  doctor: Doctor;
  days: Candidate[];
  /** The earliest free slot the object reported on days[0]; undefined until asked. */
  found?: Slot;
}

/** Live appointments per doctor and day from `threshold` on: "3:2026-11-25" -> 32. */
export type BookedCounts = Map<string, number>;

/**
 * How many live appointments each of the clinic's doctors has per day, from the earliest time
 * still bookable: one query, independent of how many days are full. It lets the offer skip a
 * full day without asking its object. A count can only make a day look fuller than the object
 * knows it is when appointments lie outside the doctor's present hours (they are reported to
 * the clinic); it never makes a taken time look free, the object decides that.
 */
export async function bookedCounts(
  db: Db,
  clinicId: number,
  now: Date,
  config: Pick<Config, "leadMinutes" | "horizonDays">,
): Promise<BookedCounts> {
  return countsFromRows(await bookedCountsQuery(db, clinicId, now, config));
}

export function countsFromRows(rows: { doctorId: number; date: string; n: number }[]): BookedCounts {
  return new Map(rows.map((r) => [`${r.doctorId}:${r.date}`, r.n]));
}

/** The days a doctor could be offered on, earliest first; full days (by count) are left out. */
function laneOf(
  doctor: Doctor,
  dates: readonly string[],
  calendar: DoctorCalendar,
  counts: BookedCounts,
  ctx: BookingContext,
  clinic: Clinic,
  after: { date: string; minute: number } | undefined,
): Lane {
  const now = localClock(ctx.now, clinic.timezone);
  const days: Candidate[] = [];
  for (const date of dates) {
    const earliest = earliestStart(date, now, ctx.config);
    const grid = earliest === null ? null : scheduleFor(calendar.hours, calendar.daysOff, date);
    if (earliest === null || !grid) continue;
    // Only slots starting strictly after the time just offered.
    const notBefore = after && after.date === date ? Math.max(earliest, after.minute + 1e-6) : earliest;
    const open = slotsOf(grid).filter((s) => s.startMinute >= notBefore).length;
    if (open === 0) continue;
    // A day whose count fills what is open is skipped without asking its object. The count
    // covers the same window (from now + lead), except on the day just offered, whose count
    // includes times before it: that day is always asked.
    if (notBefore === earliest && (counts.get(`${doctor.id}:${date}`) ?? 0) >= open) continue;
    days.push({ date, grid, notBefore });
  }
  return { doctor, days };
}

const earlier = (a: Lane, b: Lane) =>
  a.days[0]!.date.localeCompare(b.days[0]!.date) ||
  a.found!.startMinute - b.found!.startMinute ||
  a.doctor.id - b.doctor.id;

/**
 * Holds the earliest free slot for this call among `doctors`, strictly after `after` when
 * given, and lets go of `previous` (one hold per call). Null when nothing is free in the horizon.
 *
 * Round trips: the booked counts (one D1 query, skipping full days), then one peek per doctor
 * at that doctor's first open day (all at once), then one hold: three, however many days are
 * full. Only when concurrent callers' holds fill a day does a doctor's lane move on a day.
 */
export async function holdEarliest(
  ctx: BookingContext,
  clinic: Clinic,
  doctors: readonly Doctor[],
  callSid: string,
  options: {
    after?: { date: string; minute: number };
    previous?: HeldSlot;
    holder?: string;
    calendars?: Map<number, DoctorCalendar>;
    counts?: Promise<BookedCounts>;
  } = {},
): Promise<Offer | null> {
  const { after, previous, holder } = options;
  const today = localClock(ctx.now, clinic.timezone).date;
  const ids = doctors.map((d) => d.id);
  const [calendars, counts] = await Promise.all([
    options.calendars ?? loadCalendars(ctx.db, ids, today),
    options.counts ?? bookedCounts(ctx.db, clinic.id, ctx.now, ctx.config),
  ]);
  const dates = horizonDates(today, ctx.config.horizonDays).filter((d) => !after || d >= after.date);
  const lanes = doctors
    .map((doctor) => laneOf(doctor, dates, calendars.get(doctor.id)!, counts, ctx, clinic, after))
    .filter((lane) => lane.days.length > 0);
  const nowMs = ctx.now.getTime();
  const stub = (doctorId: number, date: string) => doctorDayStub(ctx.doctorDays, doctorId, date);
  let offer: Offer | null = null;
  let released = false;
  const releasePrevious = async (unless?: { doctorId: number; date: string }) => {
    if (!previous || released) return;
    // The object a new hold lands in drops the call's older hold there by itself.
    if (unless && unless.doctorId === previous.doctorId && unless.date === previous.date) return;
    released = true;
    await stub(previous.doctorId, previous.date).release(callSid, holder);
  };

  for (let guard = 0; guard < 10 * (dates.length + 1) * Math.max(1, lanes.length); guard++) {
    const open = lanes.filter((lane) => lane.days.length > 0);
    const best = open.filter((lane) => lane.found).sort(earlier)[0];
    // Ask every doctor whose first open day could still beat the best time known.
    const toAsk = open.filter((lane) => !lane.found && (!best || lane.days[0]!.date <= best.days[0]!.date));
    if (toAsk.length > 1 || (toAsk.length === 1 && open.length > 1)) {
      const answers = await Promise.all(
        toAsk.map((lane) => stub(lane.doctor.id, lane.days[0]!.date).peek(lane.days[0]!, nowMs)),
      );
      toAsk.forEach((lane, i) => {
        if (answers[i]) lane.found = answers[i]!;
        else lane.days.shift(); // that day is full (held by other callers): the next one
      });
      continue;
    }
    // One doctor left to ask (hold there directly), or the best time is known: hold it.
    const target = toAsk[0] ?? best;
    if (!target) break;
    const day = target.days[0]!;
    const [claim] = await Promise.all([
      stub(target.doctor.id, day.date).hold({
        callSid,
        grid: day.grid,
        notBefore: Math.max(day.notBefore, target.found?.startMinute ?? 0),
        nowMs,
        holdMs: ctx.config.holdMs,
        ...(holder ? { limit: { holder, maxHolds: ctx.config.maxActivePerPhone } } : {}),
      }),
      releasePrevious({ doctorId: target.doctor.id, date: day.date }),
    ]);
    if (claim) {
      offer = offerFor(target.doctor, day.date, claim, clinic.timezone);
      break;
    }
    // Taken meanwhile from there on, or this phone holds its share of that day: move on.
    target.days.shift();
    delete target.found;
  }
  if (!offer) await releasePrevious();
  return offer;
}
