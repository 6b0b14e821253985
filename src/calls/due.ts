/**
 * When an appointment's reminder call is due, in the clinic's own time (pure, so the edges are
 * tested without a clock): the evening before at REMINDER_CALL_TIME, or at booking time when
 * booked later that evening, and never from the end of calling hours (20:00) on. An appointment
 * booked after that evening's calling hours gets no call: its evening SMS goes as before.
 */
import { addDays, localToInstant } from "../slots/calendar.ts";
import type { Remindable } from "../reminders/due.ts";
import { CALLING_HOURS } from "./settings.ts";

export interface CallWindow {
  /** The first moment the call may be placed. */
  from: Date;
  /** No call (nor its retry) is placed from this moment on: 20:00 the evening before. */
  to: Date;
}

/** The evening before: from the configured minute (or the booking) until calling hours end. */
export function reminderCallWindow(a: Remindable, reminderMinute: number): CallWindow {
  const eve = addDays(a.date, -1);
  const from = localToInstant(eve, reminderMinute, a.timezone);
  const to = localToInstant(eve, CALLING_HOURS.to, a.timezone);
  return { from: new Date(Math.max(from.getTime(), a.bookedAt.getTime())), to };
}

/** Whether the appointment gets a reminder call at all (then the call, not the evening SMS, reminds). */
export function reminderCallApplies(a: Remindable, reminderMinute: number): boolean {
  const { from, to } = reminderCallWindow(a, reminderMinute);
  return from < to && to <= a.startsAt;
}

/** What the reminder call of an appointment is at `now`: not yet, due, missed (the cron was away), or none. */
export function reminderCallState(
  a: Remindable,
  reminderMinute: number,
  now: Date,
): "none" | "wait" | "due" | "missed" {
  if (!reminderCallApplies(a, reminderMinute) || now >= a.startsAt) return "none";
  const { from, to } = reminderCallWindow(a, reminderMinute);
  if (now < from) return "wait";
  return now < to ? "due" : "missed";
}
