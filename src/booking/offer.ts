/**
 * Finding and holding the earliest free slot among some doctors of one clinic: today after
 * now (plus the lead time, to the second), then the following days up to the horizon. The
 * calendar says which slots exist; each doctor-day object says which are free and holds one
 * atomically. A hold is not an appointment: only the booking service turns one into one.
 */
import { loadCalendars, type Clinic, type Doctor, type DoctorCalendar } from "../db/directory.ts";
import {
  earliestStart,
  horizonDates,
  localClock,
  localToInstant,
  scheduleFor,
  slotsOf,
  type DaySchedule,
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
export interface HeldSlot {
  doctorId: number;
  date: string;
  startMinute: number;
}

interface Candidate {
  doctor: Doctor;
  grid: DaySchedule;
  notBefore: number;
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

function candidatesOn(
  date: string,
  doctors: readonly Doctor[],
  calendars: Map<number, DoctorCalendar>,
  ctx: BookingContext,
  clinic: Clinic,
  after: { date: string; minute: number } | undefined,
): Candidate[] {
  const earliest = earliestStart(date, localClock(ctx.now, clinic.timezone), ctx.config);
  if (earliest === null) return [];
  // Only slots starting strictly after the time just offered.
  const notBefore = after && after.date === date ? Math.max(earliest, after.minute + 1e-6) : earliest;
  const out: Candidate[] = [];
  for (const doctor of doctors) {
    const calendar = calendars.get(doctor.id);
    const grid = calendar && scheduleFor(calendar.hours, calendar.daysOff, date);
    if (!grid || !slotsOf(grid).some((s) => s.startMinute >= notBefore)) continue;
    out.push({ doctor, grid, notBefore });
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
        ? [{ ...candidates[0]!, first: candidates[0]!.notBefore }]
        : (
            await Promise.all(
              candidates.map(async (c) => ({
                ...c,
                first:
                  (
                    await doctorDayStub(ctx.doctorDays, c.doctor.id, date).peek(
                      { grid: c.grid, notBefore: c.notBefore },
                      nowMs,
                    )
                  )?.startMinute ?? null,
              })),
            )
          )
            .filter((c): c is Candidate & { first: number } => c.first !== null)
            .sort((a, b) => a.first - b.first || a.doctor.id - b.doctor.id);

    for (const c of peeked) {
      const claim = await doctorDayStub(ctx.doctorDays, c.doctor.id, date).hold({
        callSid,
        grid: c.grid,
        notBefore: Math.max(c.notBefore, c.first),
        nowMs,
        holdMs: ctx.config.holdMs,
        ...(holder ? { limit: { holder, maxHolds: ctx.config.maxActivePerPhone } } : {}),
      });
      if (!claim) continue; // taken meanwhile, or this phone holds enough here: try the next doctor
      offer = offerFor(c.doctor, date, claim, clinic.timezone);
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
 * a slot starting at that time (a tampered or stale URL yields null). The object's claim,
 * not today's hours, says how long the slot is.
 */
export async function currentHold(
  ctx: BookingContext,
  clinic: Clinic,
  doctor: Doctor,
  held: HeldSlot,
  callSid: string,
): Promise<Offer | null> {
  const claim = await doctorDayStub(ctx.doctorDays, doctor.id, held.date).claimOf(callSid, ctx.now.getTime());
  if (!claim || claim.startMinute !== held.startMinute) return null;
  const offer = offerFor(doctor, held.date, claim, clinic.timezone);
  if (offer.startsAt.getTime() <= ctx.now.getTime() && claim.state === "held") return null;
  return offer;
}
