/**
 * Which day a caller means by the keys they entered at "another day": 1 today, 2 tomorrow, or
 * a day of the month as two digits (the next such date from today on). Pure, so every edge
 * (month ends, past days, the horizon) is tested without a call.
 */
import { addDays, horizonDates, parseDate } from "../slots/calendar.ts";

export type DayChoice =
  | { kind: "date"; date: string }
  | { kind: "silent" }
  /** Not 1, 2 or a day of the month (00, 32, 31 in a 30-day month, three digits). */
  | { kind: "invalid" }
  /** A day of the month already gone this month, and next month's is beyond the horizon. */
  | { kind: "passed" }
  | { kind: "too-far" };

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const iso = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

export function dayFromKeys(keys: string | undefined, today: string, horizonDays: number): DayChoice {
  // Twilio leaves the finishing # out of Digits; a local tool may send it.
  const entered = (keys ?? "").replace(/#+$/, "");
  if (entered === "") return { kind: "silent" };
  const open = new Set(horizonDates(today, horizonDays));
  const within = (date: string): DayChoice => (open.has(date) ? { kind: "date", date } : { kind: "too-far" });
  if (entered === "1") return within(today);
  if (entered === "2") return within(addDays(today, 1));
  if (!/^\d\d$/.test(entered)) return { kind: "invalid" };
  const wanted = Number(entered);
  const { year, month, day } = parseDate(today)!;
  if (wanted < 1 || wanted > 31) return { kind: "invalid" };
  if (wanted >= day) {
    if (wanted > daysInMonth(year, month)) return { kind: "invalid" };
    return within(iso(year, month, wanted));
  }
  // Earlier than today's day of the month: next month's, if that is within the horizon.
  const [nextYear, nextMonth] = month === 12 ? [year + 1, 1] : [year, month + 1];
  if (wanted > daysInMonth(nextYear, nextMonth)) return { kind: "invalid" };
  const next = iso(nextYear, nextMonth, wanted);
  return open.has(next) ? { kind: "date", date: next } : { kind: "passed" };
}
