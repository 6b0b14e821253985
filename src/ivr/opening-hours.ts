/**
 * A clinic's reception hours, stored as "1-6 0830-1800": weekdays from-to (0 is Sunday) and
 * clinic-local times. Anything else reads as unknown, which the line treats as "always open"
 * (Twilio's Dial timeout and the no-answer path cover a reception that does not pick up).
 */
import { parseHhmm, weekdayOf, type LocalClock } from "../slots/calendar.ts";

export interface OpeningHours {
  fromWeekday: number;
  toWeekday: number;
  opens: number;
  closes: number;
}

export function parseOpeningHours(text: string | null | undefined): OpeningHours | null {
  const match = /^([0-6])-([0-6]) (\d{4})-(\d{4})$/.exec((text ?? "").trim());
  if (!match) return null;
  const opens = parseHhmm(match[3]!);
  const closes = parseHhmm(match[4]!);
  if (opens === null || closes === null || opens >= closes) return null;
  return { fromWeekday: Number(match[1]), toWeekday: Number(match[2]), opens, closes };
}

export function isOpen(hours: OpeningHours, now: LocalClock): boolean {
  const weekday = weekdayOf(now.date);
  const { fromWeekday: from, toWeekday: to } = hours;
  // A range may wrap the week ("6-1": Saturday to Monday).
  const onDay = from <= to ? weekday >= from && weekday <= to : weekday >= from || weekday <= to;
  return onDay && now.minute >= hours.opens && now.minute < hours.closes;
}
