/**
 * Reading the schedule forms: weekly hours (one row per weekday) and leave or holiday ranges.
 * Every problem is reported against the field it belongs to, and nothing is saved unless the
 * whole form is right.
 */
import type { WorkingHours } from "../slots/calendar.ts";
import { addDays, daysBetween, parseDate } from "../slots/calendar.ts";

type Form = Record<string, string | File | (string | File)[]>;
const text = (form: Form, name: string) => (typeof form[name] === "string" ? (form[name] as string).trim() : "");

/** "09:30" -> 570; "24:00" is the end of the day. */
export function parseClock(value: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  if (minute > 59 || hour > 24 || (hour === 24 && minute > 0)) return null;
  return hour * 60 + minute;
}

export function clockText(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

export interface FormResult<T> {
  value: T | null;
  /** Field name -> message. */
  errors: Record<string, string>;
}

/** Fields `works-N`, `start-N`, `end-N`, `slot-N` for weekday N (0 = Sunday). */
export function readWeeklyHours(form: Form): FormResult<WorkingHours[]> {
  const errors: Record<string, string> = {};
  const hours: WorkingHours[] = [];
  for (let weekday = 0; weekday < 7; weekday++) {
    if (!text(form, `works-${weekday}`)) continue;
    const start = parseClock(text(form, `start-${weekday}`));
    const end = parseClock(text(form, `end-${weekday}`));
    const slotText = text(form, `slot-${weekday}`);
    const slot = /^\d{1,3}$/.test(slotText) ? Number(slotText) : null;
    const key = `hours-${weekday}`;
    if (start === null || end === null) errors[key] = "Times are HH:MM between 00:00 and 24:00.";
    else if (start >= end) errors[key] = "The day must end after it starts.";
    else if (slot === null || slot < 5 || slot > 240) errors[key] = "A slot lasts 5 to 240 minutes.";
    else if ((end - start) % slot !== 0)
      errors[key] = `${slot}-minute slots do not divide ${clockText(start)}-${clockText(end)}.`;
    else hours.push({ weekday, startMinute: start, endMinute: end, slotMinutes: slot });
  }
  if (Object.keys(errors).length === 0 && hours.length === 0)
    errors["hours-all"] = "Tick at least one working day (use leave for time off).";
  return { value: Object.keys(errors).length ? null : hours, errors };
}

export interface LeaveRange {
  dates: string[];
  reason: string;
}

/** The longest leave or holiday one form may add. */
export const MAX_LEAVE_DAYS = 90;

/** Fields `from`, `to` (optional: one day), `reason`; dates already off are an overlap. */
export function readLeave(form: Form, today: string, alreadyOff: ReadonlySet<string>): FormResult<LeaveRange> {
  const errors: Record<string, string> = {};
  const from = text(form, "from");
  const to = text(form, "to") || from;
  const reason = text(form, "reason").slice(0, 200);
  if (!parseDate(from)) errors.from = "Choose the first day (YYYY-MM-DD).";
  else if (from < today) errors.from = "The first day is in the past.";
  if (!parseDate(to)) errors.to = "Choose the last day (YYYY-MM-DD).";
  if (Object.keys(errors).length) return { value: null, errors };
  const span = daysBetween(from, to);
  if (span < 0) errors.to = "The last day is before the first.";
  else if (span >= MAX_LEAVE_DAYS) errors.to = `At most ${MAX_LEAVE_DAYS} days at a time.`;
  if (Object.keys(errors).length) return { value: null, errors };
  const dates = Array.from({ length: span + 1 }, (_, i) => addDays(from, i));
  const overlap = dates.filter((d) => alreadyOff.has(d));
  if (overlap.length) errors.from = `Already off on ${overlap.slice(0, 3).join(", ")}${overlap.length > 3 ? "…" : ""}.`;
  return { value: Object.keys(errors).length ? null : { dates, reason }, errors };
}
