/**
 * The slot calendar: pure functions over clinic-local dates and minutes.
 * Dates are "YYYY-MM-DD" in the clinic's IANA time zone; minutes count from local midnight.
 * Instants (what is stored and compared with the clock) are UTC. The seed system compared
 * IST slot times with the UTC clock and offered slots hours in the past: every conversion
 * between the two goes through this file.
 */

export const DEFAULT_TIMEZONE = "Asia/Kolkata";

export interface WorkingHours {
  /** 0 = Sunday ... 6 = Saturday, as Date.getUTCDay() counts. */
  weekday: number;
  startMinute: number;
  endMinute: number;
  slotMinutes: number;
}

/** Mon-Sat 09:00-17:00 in 15-minute slots, for doctors with no hours of their own. */
export const DEFAULT_WORKING_HOURS: readonly WorkingHours[] = [1, 2, 3, 4, 5, 6].map((weekday) => ({
  weekday,
  startMinute: 9 * 60,
  endMinute: 17 * 60,
  slotMinutes: 15,
}));

export interface LocalClock {
  date: string;
  /** Whole minutes from local midnight. */
  minute: number;
  second: number;
}

/**
 * One doctor's working day: slots of `slotMinutes` from `startMinute`, the last one ending at
 * or before `endMinute`. A slot is its start time: nothing is numbered from the day's start,
 * so changing hours never renames a slot that is already booked.
 */
export interface DaySchedule {
  startMinute: number;
  endMinute: number;
  slotMinutes: number;
}

/** A slot: its clinic-local start and end, in minutes from midnight. */
/** A slot a call holds (or held) in a doctor-day object: the doctor, the clinic-local date and the start. */
export interface HeldSlot {
  doctorId: number;
  date: string;
  startMinute: number;
}

export interface Slot {
  startMinute: number;
  endMinute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function zonedParts(instant: Date, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return parts;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The clinic-local date and minute of an instant. */
export function localClock(instant: Date, timeZone: string): LocalClock {
  const p = zonedParts(instant, timeZone);
  return {
    date: `${pad(p.year!, 4)}-${pad(p.month!)}-${pad(p.day!)}`,
    minute: p.hour! * 60 + p.minute!,
    second: p.second!,
  };
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses "YYYY-MM-DD" strictly (no 2026-02-30), or returns null. */
export function parseDate(date: string): { year: number; month: number; day: number } | null {
  const match = DATE_PATTERN.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

function dateToUtcMidnight(date: string): Date {
  const parsed = parseDate(date);
  if (!parsed) throw new RangeError(`not a calendar date: ${date}`);
  return new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day));
}

export function addDays(date: string, days: number): string {
  const d = dateToUtcMidnight(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateToUtcMidnight(to).getTime() - dateToUtcMidnight(from).getTime()) / 86_400_000);
}

export function weekdayOf(date: string): number {
  return dateToUtcMidnight(date).getUTCDay();
}

/**
 * The UTC instant of a clinic-local date and minute. Found by correcting a first guess with
 * the zone's offset at that guess (twice, so a DST change between guess and answer is honoured).
 */
export function localToInstant(date: string, minute: number, timeZone: string): Date {
  const target = dateToUtcMidnight(date).getTime() + minute * 60_000;
  let guess = target;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(new Date(guess), timeZone);
    const asIfUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    guess += target - asIfUtc;
  }
  return new Date(guess);
}

/** The doctor's schedule on a date, or null on a day off or a day without hours. */
export function scheduleFor(
  hours: readonly WorkingHours[],
  daysOff: ReadonlySet<string>,
  date: string,
): DaySchedule | null {
  if (daysOff.has(date)) return null;
  const source = hours.length > 0 ? hours : DEFAULT_WORKING_HOURS;
  const day = source.find((h) => h.weekday === weekdayOf(date));
  if (!day || day.slotMinutes <= 0 || day.startMinute + day.slotMinutes > day.endMinute) return null;
  return { startMinute: day.startMinute, endMinute: day.endMinute, slotMinutes: day.slotMinutes };
}

/** Every slot of a working day, in time order. */
export function slotsOf(schedule: DaySchedule): Slot[] {
  const slots: Slot[] = [];
  for (
    let start = schedule.startMinute;
    start + schedule.slotMinutes <= schedule.endMinute;
    start += schedule.slotMinutes
  )
    slots.push({ startMinute: start, endMinute: start + schedule.slotMinutes });
  return slots;
}

/**
 * The earliest start (minutes from local midnight, possibly fractional) a slot on `date` may
 * have at `now`: 0 on a later day, now + lead to the second today, null for a past day or
 * one beyond the horizon (today counts as day one).
 */
export function earliestStart(
  date: string,
  now: LocalClock,
  { leadMinutes, horizonDays }: { leadMinutes: number; horizonDays: number },
): number | null {
  const offset = daysBetween(now.date, date);
  if (offset < 0 || offset >= horizonDays) return null;
  return offset === 0 ? now.minute + now.second / 60 + leadMinutes : 0;
}

/** The dates from `today` on, `horizonDays` of them. */
export function horizonDates(today: string, horizonDays: number): string[] {
  return Array.from({ length: Math.max(0, horizonDays) }, (_, i) => addDays(today, i));
}

/** "1030" for 10:30: how a slot's time travels in a URL. */
export function hhmm(minute: number): string {
  return `${pad(Math.floor(minute / 60))}${pad(minute % 60)}`;
}

/** Parses "HHMM" (00:00-23:59) to minutes, or null. */
export function parseHhmm(text: string): number | null {
  const match = /^(\d{2})(\d{2})$/.exec(text);
  if (!match) return null;
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  return hour < 24 && minute < 60 ? hour * 60 + minute : null;
}

/** A stored zone name that Intl knows, else the default (logged once by the caller). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}

/** "10:30 AM": how a time is spoken and texted. */
export function formatMinute(minute: number): string {
  const hour = Math.floor(minute / 60);
  const suffix = hour < 12 ? "AM" : "PM";
  return `${hour % 12 === 0 ? 12 : hour % 12}:${pad(minute % 60)} ${suffix}`;
}
