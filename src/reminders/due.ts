/**
 * When an appointment's reminders are due, in the clinic's own time (pure, so the edges are
 * tested without a clock):
 * - "evening": 18:00 clinic-local the day before, or the booking time when booked after that;
 * - "soon": 2 hours before the start, unless the appointment was booked less than 3 hours ahead.
 * A reminder stays due until the next one is (the evening one gives way to the 2-hour one, so a
 * cron that was down for hours sends one text, not two at once) or the appointment starts.
 */
import { addDays, localToInstant } from "../slots/calendar.ts";
import type { ReminderKind } from "../db/schema.ts";

export const EVENING_MINUTE = 18 * 60;
const SOON_MS = 2 * 3_600_000;
const SOON_NEEDS_LEAD_MS = 3 * 3_600_000;

export interface Remindable {
  /** Clinic-local date of the appointment. */
  date: string;
  startsAt: Date;
  /** When it was booked. */
  bookedAt: Date;
  timezone: string;
}

export interface ReminderTimes {
  evening: Date;
  /** Null when booked less than 3 hours ahead. */
  soon: Date | null;
}

export function reminderTimes(a: Remindable): ReminderTimes {
  const eveningBefore = localToInstant(addDays(a.date, -1), EVENING_MINUTE, a.timezone);
  const evening = new Date(Math.max(eveningBefore.getTime(), a.bookedAt.getTime()));
  const ahead = a.startsAt.getTime() - a.bookedAt.getTime();
  const soon = ahead < SOON_NEEDS_LEAD_MS ? null : new Date(a.startsAt.getTime() - SOON_MS);
  return { evening, soon };
}

/** The kind of reminder due at `now`, if any (at most one at a time). */
export function dueReminder(a: Remindable, now: Date): ReminderKind | null {
  const t = now.getTime();
  if (t >= a.startsAt.getTime()) return null;
  const { evening, soon } = reminderTimes(a);
  if (soon && t >= soon.getTime()) return "soon";
  if (t >= evening.getTime()) return "evening";
  return null;
}

/**
 * When the cron next has something to send, once `sent` went out (null: nothing left). What
 * it stores on the appointment, so a run reads only the appointments due by then. The evening
 * reminder is skipped once the 2-hour one went, as `dueReminder` gives way to it.
 */
export function nextReminderAt(a: Remindable, now: Date, sent: readonly ReminderKind[]): Date | null {
  if (now.getTime() >= a.startsAt.getTime()) return null;
  const { evening, soon } = reminderTimes(a);
  const left: Date[] = [];
  if (!sent.includes("evening") && !sent.includes("soon")) left.push(evening);
  if (soon && !sent.includes("soon")) left.push(soon);
  const ahead = left.filter((at) => at.getTime() > now.getTime());
  return ahead.length > 0 ? new Date(Math.min(...ahead.map((at) => at.getTime()))) : null;
}
