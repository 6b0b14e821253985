/**
 * Holding again a time this call was offered before ("the previous time"): exactly that slot,
 * if it is still free, in one object call (the previous hold is let go beside it).
 */
import { loadCalendars, type Clinic, type Doctor, type DoctorCalendar } from "../db/directory.ts";
import { earliestStart, localClock, scheduleFor } from "../slots/calendar.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import type { BookingContext } from "./context.ts";
import { offerFor, type HeldSlot, type Offer } from "./offer.ts";

export async function holdAgain(
  ctx: BookingContext,
  clinic: Clinic,
  doctor: Doctor,
  slot: HeldSlot,
  callSid: string,
  options: { holder?: string; calendars?: Map<number, DoctorCalendar>; previous?: HeldSlot } = {},
): Promise<Offer | null> {
  const now = localClock(ctx.now, clinic.timezone);
  const calendars = options.calendars ?? (await loadCalendars(ctx.db, [doctor.id], now.date));
  const calendar = calendars.get(doctor.id);
  const grid = calendar ? scheduleFor(calendar.hours, calendar.daysOff, slot.date) : null;
  const notBefore = earliestStart(slot.date, now, ctx.config);
  // A day off since, or a time now too close or past: not offered again.
  if (!grid || notBefore === null) return null;
  const { previous, holder } = options;
  // The object the new hold lands in drops the call's older hold there by itself.
  const elsewhere = previous && (previous.doctorId !== doctor.id || previous.date !== slot.date);
  const [claim] = await Promise.all([
    doctorDayStub(ctx.doctorDays, doctor.id, slot.date).holdAt({
      callSid,
      grid,
      notBefore,
      startMinute: slot.startMinute,
      nowMs: ctx.now.getTime(),
      holdMs: ctx.config.holdMs,
      ...(holder ? { limit: { holder, maxHolds: ctx.config.maxActivePerPhone } } : {}),
    }),
    elsewhere ? doctorDayStub(ctx.doctorDays, previous.doctorId, previous.date).release(callSid, holder) : undefined,
  ]);
  return claim ? offerFor(doctor, slot.date, claim, clinic.timezone) : null;
}
