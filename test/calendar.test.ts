/**
 * The slot calendar: clinic-local dates and minutes, and which slots may still be offered.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TIMEZONE,
  addDays,
  daysBetween,
  earliestStart,
  formatMinute,
  horizonDates,
  localClock,
  localToInstant,
  parseDate,
  scheduleFor,
  slotsOf,
  weekdayOf,
  type DaySchedule,
  type LocalClock,
  type Slot,
  type WorkingHours,
} from "../src/slots/calendar.ts";

const IST = DEFAULT_TIMEZONE;
const NEW_YORK = "America/New_York";
// Wednesday 25 November 2026.
const WEDNESDAY = "2026-11-25";
const NO_DAYS_OFF = new Set<string>();
const DEFAULT_DAY: DaySchedule = { startMinute: 540, endMinute: 1020, slotMinutes: 15 };
const LIMITS = { leadMinutes: 15, horizonDays: 30 };

describe("localClock", () => {
  it("puts 23:50 UTC on 24 November in Kolkata at 05:20 on the 25th", () => {
    expect(localClock(new Date("2026-11-24T23:50:00Z"), IST)).toEqual({ date: "2026-11-25", minute: 320, second: 0 });
  });

  it("reads local midnight as minute 0, never 24:00", () => {
    expect(localClock(new Date("2026-11-24T18:30:00Z"), IST)).toEqual({ date: "2026-11-25", minute: 0, second: 0 });
  });

  it("follows the zone, not UTC", () => {
    expect(localClock(new Date("2026-11-25T03:30:00Z"), "UTC")).toEqual({ date: WEDNESDAY, minute: 210, second: 0 });
    expect(localClock(new Date("2026-11-25T03:30:00Z"), NEW_YORK)).toEqual({
      date: "2026-11-24",
      minute: 22 * 60 + 30,
      second: 0,
    });
  });
});

describe("localToInstant", () => {
  it("turns 09:00 in Kolkata on the 25th into 03:30 UTC", () => {
    expect(localToInstant(WEDNESDAY, 540, IST).toISOString()).toBe("2026-11-25T03:30:00.000Z");
  });

  it("is the inverse of localClock", () => {
    for (const iso of ["2026-11-24T23:50:00Z", "2026-01-01T00:00:00Z", "2026-12-31T18:29:00Z"]) {
      const { date, minute } = localClock(new Date(iso), IST);
      expect(localToInstant(date, minute, IST).toISOString()).toBe(new Date(iso).toISOString());
    }
  });

  it("honours a DST change on the day itself (New York, 8 March 2026, 02:00 -> 03:00)", () => {
    expect(localToInstant("2026-03-08", 30, NEW_YORK).toISOString()).toBe("2026-03-08T05:30:00.000Z"); // EST
    expect(localToInstant("2026-03-08", 3 * 60 + 30, NEW_YORK).toISOString()).toBe("2026-03-08T07:30:00.000Z"); // EDT
    expect(localToInstant("2026-03-08", 540, NEW_YORK).toISOString()).toBe("2026-03-08T13:00:00.000Z");
    expect(localToInstant("2026-03-07", 540, NEW_YORK).toISOString()).toBe("2026-03-07T14:00:00.000Z");
  });

  it("and on the way back (New York, 1 November 2026)", () => {
    expect(localToInstant("2026-11-01", 540, NEW_YORK).toISOString()).toBe("2026-11-01T14:00:00.000Z");
    expect(localToInstant("2026-10-31", 540, NEW_YORK).toISOString()).toBe("2026-10-31T13:00:00.000Z");
  });

  it("throws on a date that does not exist", () => {
    expect(() => localToInstant("2026-02-30", 540, IST)).toThrow(RangeError);
  });
});

describe("scheduleFor", () => {
  it("gives Mon-Sat 09:00-17:00 in 15-minute slots by default: 32 slots", () => {
    for (const date of ["2026-11-23", "2026-11-25", "2026-11-28"]) {
      expect(scheduleFor([], NO_DAYS_OFF, date)).toEqual(DEFAULT_DAY);
    }
  });

  it("has no schedule on a Sunday by default", () => {
    expect(weekdayOf("2026-11-29")).toBe(0);
    expect(scheduleFor([], NO_DAYS_OFF, "2026-11-29")).toBeNull();
  });

  it("has no schedule on a day off", () => {
    expect(scheduleFor([], new Set([WEDNESDAY]), WEDNESDAY)).toBeNull();
    expect(scheduleFor([], new Set([WEDNESDAY]), "2026-11-26")).toEqual(DEFAULT_DAY);
  });

  it("uses the doctor's own hours, and none on the days they do not list", () => {
    const hours: WorkingHours[] = [{ weekday: 3, startMinute: 14 * 60, endMinute: 18 * 60 + 10, slotMinutes: 20 }];
    expect(scheduleFor(hours, NO_DAYS_OFF, WEDNESDAY)).toEqual({ startMinute: 840, endMinute: 1090, slotMinutes: 20 });
    expect(scheduleFor(hours, NO_DAYS_OFF, "2026-11-26")).toBeNull();
  });

  it("has no schedule for hours too short for one slot, or a zero slot length", () => {
    expect(
      scheduleFor([{ weekday: 3, startMinute: 540, endMinute: 550, slotMinutes: 15 }], NO_DAYS_OFF, WEDNESDAY),
    ).toBeNull();
    expect(
      scheduleFor([{ weekday: 3, startMinute: 540, endMinute: 600, slotMinutes: 0 }], NO_DAYS_OFF, WEDNESDAY),
    ).toBeNull();
  });
});

describe("slots are times", () => {
  it("a 09:00-17:00 day of 15-minute slots has 32, 10:30 is the 7th and 16:45 the last", () => {
    const slots = slotsOf(DEFAULT_DAY);
    expect(slots).toHaveLength(32);
    expect(slots[0]).toEqual({ startMinute: 540, endMinute: 555 });
    expect(formatMinute(slots[6]!.startMinute)).toBe("10:30 AM");
    expect(formatMinute(slots[31]!.startMinute)).toBe("4:45 PM");
  });

  it("a new start time or slot length gives other times, never renumbered old ones", () => {
    const later = slotsOf({ startMinute: 570, endMinute: 1020, slotMinutes: 15 });
    expect(later[0]!.startMinute).toBe(570);
    expect(slotsOf({ startMinute: 540, endMinute: 600, slotMinutes: 20 }).map((s) => s.startMinute)).toEqual([
      540, 560, 580,
    ]);
  });
});

/** The slots on `date` that may still be offered at `now`: the day's grid from the earliest start the offer allows. */
function bookableSlots(
  schedule: DaySchedule,
  date: string,
  now: LocalClock,
  limits: { leadMinutes: number; horizonDays: number },
): Slot[] {
  const earliest = earliestStart(date, now, limits);
  return earliest === null ? [] : slotsOf(schedule).filter((s) => s.startMinute >= earliest);
}

describe("bookableSlots", () => {
  const today = (minute: number, second = 0) => ({ date: WEDNESDAY, minute, second });
  const firstOf = (minute: number, second = 0) =>
    bookableSlots(DEFAULT_DAY, WEDNESDAY, today(minute, second), LIMITS)[0]?.startMinute ?? null;

  it("at 09:00 today with a 15-minute lead starts at 09:15", () => {
    expect(firstOf(540)).toBe(555);
  });

  it("never offers a slot starting before now + lead, and skips nothing bookable", () => {
    for (let minute = 0; minute < 24 * 60; minute++) {
      const first = firstOf(minute);
      if (first === null) continue;
      expect(first).toBeGreaterThanOrEqual(minute + 15);
      if (first > 540) expect(first - 15).toBeLessThan(minute + 15);
    }
  });

  it("measures the lead to the second: 09:00:30 + 15 minutes is past 09:15", () => {
    expect(firstOf(540, 0)).toBe(555);
    expect(firstOf(540, 30)).toBe(570);
  });

  it("early in the morning offers the whole day", () => {
    expect(bookableSlots(DEFAULT_DAY, WEDNESDAY, today(320), LIMITS)).toHaveLength(32);
  });

  it("just between slots rounds up: 09:01 + 15 -> 09:30", () => {
    expect(firstOf(541)).toBe(570);
  });

  it("at 16:30 offers only the last slot (16:45); at 16:50 and 23:50 nothing", () => {
    expect(bookableSlots(DEFAULT_DAY, WEDNESDAY, today(16 * 60 + 30), LIMITS)).toEqual([
      { startMinute: 1005, endMinute: 1020 },
    ]);
    expect(firstOf(16 * 60 + 50)).toBeNull();
    expect(firstOf(23 * 60 + 50)).toBeNull();
  });

  it("offers nothing on a past date, the whole day on a future one", () => {
    expect(bookableSlots(DEFAULT_DAY, "2026-11-24", today(540), LIMITS)).toEqual([]);
    expect(bookableSlots(DEFAULT_DAY, "2026-11-26", today(23 * 60 + 50), LIMITS)).toHaveLength(32);
  });

  it("counts today as day one of the horizon", () => {
    expect(bookableSlots(DEFAULT_DAY, addDays(WEDNESDAY, 29), today(540), LIMITS)).toHaveLength(32);
    expect(bookableSlots(DEFAULT_DAY, addDays(WEDNESDAY, 30), today(540), LIMITS)).toEqual([]);
  });
});

describe("dates", () => {
  it("horizonDates lists the given number of days from today, across months and years", () => {
    const dates = horizonDates("2026-12-20", 30);
    expect(dates).toHaveLength(30);
    expect(dates[0]).toBe("2026-12-20");
    expect(dates).toContain("2026-12-31");
    expect(dates).toContain("2027-01-01");
    expect(dates[29]).toBe("2027-01-18");
    expect(new Set(dates).size).toBe(30);
    expect(horizonDates("2028-02-27", 3)).toEqual(["2028-02-27", "2028-02-28", "2028-02-29"]);
    expect(horizonDates("2026-02-27", 3)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
    expect(horizonDates(WEDNESDAY, 0)).toEqual([]);
  });

  it("the horizon's last date is the last one bookableSlots accepts", () => {
    const last = horizonDates(WEDNESDAY, 30).at(-1)!;
    const now = { date: WEDNESDAY, minute: 540, second: 0 };
    expect(bookableSlots(DEFAULT_DAY, last, now, LIMITS)).not.toEqual([]);
    expect(bookableSlots(DEFAULT_DAY, addDays(last, 1), now, LIMITS)).toEqual([]);
  });

  it("daysBetween counts whole days, negative backwards", () => {
    expect(daysBetween("2026-12-31", "2027-01-01")).toBe(1);
    expect(daysBetween(WEDNESDAY, "2026-11-20")).toBe(-5);
  });

  it("parseDate accepts real dates only", () => {
    expect(parseDate("2026-11-25")).toEqual({ year: 2026, month: 11, day: 25 });
    expect(parseDate("2028-02-29")).toEqual({ year: 2028, month: 2, day: 29 });
    for (const junk of [
      "2026-02-30",
      "2026-02-29",
      "2026-13-01",
      "2026-00-10",
      "2026-11-00",
      "2026-1-5",
      "26-11-25",
      "2026-11-25x",
      " 2026-11-25",
      "",
      "abc",
    ]) {
      expect(parseDate(junk), junk).toBeNull();
    }
  });
});

describe("formatMinute", () => {
  it.each([
    [9 * 60 + 15, "9:15 AM"],
    [12 * 60, "12:00 PM"],
    [16 * 60 + 45, "4:45 PM"],
    [5, "12:05 AM"],
    [0, "12:00 AM"],
    [23 * 60 + 59, "11:59 PM"],
  ])("minute %i is %s", (minute, text) => {
    expect(formatMinute(minute)).toBe(text);
  });
});
