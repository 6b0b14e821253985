/**
 * Finding and holding the earliest free slot among some doctors of one clinic: today after
 * now (plus the lead time), then the following days up to the horizon. The calendar says
 * which slots exist; each doctor-day object says which are free and holds one atomically.
 */
import { loadCalendars, type Clinic, type Doctor, type DoctorCalendar } from "../db/directory.ts";
import type { Db } from "../db/client.ts";
import type { Config } from "../config.ts";
import {
  bookableRange,
  horizonDates,
  localClock,
  localToInstant,
  scheduleFor,
  slotStartMinute,
  type DaySchedule,
  type SlotRange,
} from "../slots/calendar.ts";
import { doctorDayStub, type DoctorDay } from "../slots/doctor-day.ts";

export interface Offer {
  doctor: Doctor;
  date: string;
  slot: number;
  startMinute: number;
  startsAt: Date;
}

/** A slot that this call holds (or last held), as carried in the offer's action URL. */
export interface HeldSlot {
  doctorId: number;
  date: string;
  slot: number;
}

export interface BookingContext {
  db: Db;
  config: Config;
  doctorDays: DurableObjectNamespace<DoctorDay>;
  now: Date;
  /** The public origin Twilio reached us on; SMS delivery reports go back there. */
  origin: string;
}

interface Candidate {
  doctor: Doctor;
  schedule: DaySchedule;
  range: SlotRange;
}

function candidatesOn(
  date: string,
  doctors: readonly Doctor[],
  calendars: Map<number, DoctorCalendar>,
  ctx: BookingContext,
  clinic: Clinic,
  after: { date: string; minute: number } | undefined,
): Candidate[] {
  const now = localClock(ctx.now, clinic.timezone);
  const out: Candidate[] = [];
  for (const doctor of doctors) {
    const calendar = calendars.get(doctor.id);
    const schedule = calendar && scheduleFor(calendar.hours, calendar.daysOff, date);
    if (!schedule) continue;
    const range = bookableRange(schedule, date, now, ctx.config);
    if (!range) continue;
    if (after && after.date === date) {
      // Only slots starting strictly after the time just offered.
      range.first = Math.max(range.first, Math.floor((after.minute - schedule.startMinute) / schedule.slotMinutes) + 2);
      if (range.first > range.last) continue;
    }
    out.push({ doctor, schedule, range });
  }
  return out;
}

/**
 * Holds the earliest free slot for this call among `doctors`, strictly after `after` when
 * given, and lets go of `previous` (one hold per call). Null when nothing is free in the horizon.
 */
export async function holdEarliest(
  ctx: BookingContext,
  clinic: Clinic,
  doctors: readonly Doctor[],
  callSid: string,
  { after, previous, holder }: { after?: { date: string; minute: number }; previous?: HeldSlot; holder?: string } = {},
): Promise<Offer | null> {
  const today = localClock(ctx.now, clinic.timezone).date;
  const calendars = await loadCalendars(
    ctx.db,
    doctors.map((d) => d.id),
    today,
  );
  const nowMs = ctx.now.getTime();
  let offer: Offer | null = null;

  for (const date of horizonDates(today, ctx.config.horizonDays)) {
    if (after && date < after.date) continue;
    const candidates = candidatesOn(date, doctors, calendars, ctx, clinic, after);
    if (candidates.length === 0) continue;

    // With several doctors, ask each object for its earliest free slot (no claim), then hold
    // at the best; a single doctor is held at directly.
    const peeked =
      candidates.length === 1
        ? [{ ...candidates[0]!, first: candidates[0]!.range.first }]
        : (
            await Promise.all(
              candidates.map(async (c) => ({
                ...c,
                first: await doctorDayStub(ctx.doctorDays, c.doctor.id, date).peek(c.range, nowMs),
              })),
            )
          )
            .filter((c): c is Candidate & { first: number } => c.first !== null)
            .sort(
              (a, b) =>
                slotStartMinute(a.schedule, a.first) - slotStartMinute(b.schedule, b.first) ||
                a.doctor.id - b.doctor.id,
            );

    for (const c of peeked) {
      const claim = await doctorDayStub(ctx.doctorDays, c.doctor.id, date).hold(
        callSid,
        { first: c.first, last: c.range.last },
        nowMs,
        ctx.config.holdMs,
        holder ? { holder, maxHolds: ctx.config.maxActivePerPhone } : undefined,
      );
      if (!claim) continue; // taken meanwhile, or this phone holds enough here: try the next doctor
      const startMinute = slotStartMinute(c.schedule, claim.slot);
      offer = {
        doctor: c.doctor,
        date,
        slot: claim.slot,
        startMinute,
        startsAt: localToInstant(date, startMinute, clinic.timezone),
      };
      break;
    }
    if (offer) break;
  }

  // The object that now holds for this call already dropped its older hold; any other one must too.
  if (previous && (!offer || previous.doctorId !== offer.doctor.id || previous.date !== offer.date)) {
    await doctorDayStub(ctx.doctorDays, previous.doctorId, previous.date).release(callSid);
  }
  return offer;
}

/**
 * Re-reads a hold named in an action URL: the offer it stands for when this call still holds
 * that slot (a tampered or stale URL yields null).
 */
export async function currentHold(
  ctx: BookingContext,
  clinic: Clinic,
  doctor: Doctor,
  held: HeldSlot,
  callSid: string,
): Promise<Offer | null> {
  const calendars = await loadCalendars(ctx.db, [doctor.id], held.date);
  const calendar = calendars.get(doctor.id)!;
  const schedule = scheduleFor(calendar.hours, calendar.daysOff, held.date);
  if (!schedule || held.slot < 1 || held.slot > schedule.slotCount) return null;
  const claim = await doctorDayStub(ctx.doctorDays, doctor.id, held.date).claimOf(callSid, ctx.now.getTime());
  if (!claim || claim.slot !== held.slot) return null;
  const startMinute = slotStartMinute(schedule, held.slot);
  const startsAt = localToInstant(held.date, startMinute, clinic.timezone);
  if (startsAt.getTime() <= ctx.now.getTime() && claim.state === "held") return null;
  return { doctor, date: held.date, slot: held.slot, startMinute, startsAt };
}
