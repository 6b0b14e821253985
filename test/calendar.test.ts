/**
 * The slot calendar: clinic-local dates and minutes, and which slots may still be offered.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TIMEZONE,
  addDays,
  bookableRange,
  daysBetween,
  formatMinute,
  horizonDates,
  localClock,
  localToInstant,
  parseDate,
  scheduleFor,
  slotStartMinute,
  weekdayOf,
  type DaySchedule,
  type WorkingHours,
} from "../src/slots/calendar.ts";

const IST = DEFAULT_TIMEZONE;
const NEW_YORK = "America/New_York";
// Wednesday 25 November 2026.
const WEDNESDAY = "2026-11-25";
const NO_DAYS_OFF = new Set<string>();
const DEFAULT_DAY: DaySchedule = { startMinute: 540, slotMinutes: 15, slotCount: 32 };
const LIMITS = { leadMinutes: 15, horizonDays: 30 };

describe("localClock", () => {
  it("puts 23:50 UTC on 24 November in Kolkata at 05:20 on the 25th", () => {
    expect(localClock(new Date("2026-11-24T23:50:00Z"), IST)).toEqual({ date: "2026-11-25", minute: 320 });
  });

  it("reads local midnight as minute 0, never 24:00", () => {
    expect(localClock(new Date("2026-11-24T18:30:00Z"), IST)).toEqual({ date: "2026-11-25", minute: 0 });
  });

  it("follows the zone, not UTC", () => {
    expect(localClock(new Date("2026-11-25T03:30:00Z"), "UTC")).toEqual({ date: WEDNESDAY, minute: 210 });
    expect(localClock(new Date("2026-11-25T03:30:00Z"), NEW_YORK)).toEqual({
      date: "2026-11-24",
      minute: 22 * 60 + 30,
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
    expect(scheduleFor(hours, NO_DAYS_OFF, WEDNESDAY)).toEqual({ startMinute: 840, slotMinutes: 20, slotCount: 12 });
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

describe("slot numbers", () => {
  it("count from 1 at the day's start: slot 7 of a 09:00 day is 10:30 (token K-7)", () => {
    expect(slotStartMinute(DEFAULT_DAY, 1)).toBe(540);
    expect(formatMinute(slotStartMinute(DEFAULT_DAY, 7))).toBe("10:30 AM");
    expect(formatMinute(slotStartMinute(DEFAULT_DAY, 32))).toBe("4:45 PM");
  });
});

describe("bookableRange", () => {
  const today = (minute: number) => ({ date: WEDNESDAY, minute });

  it("at 09:00 today with a 15-minute lead starts at slot 2 (09:15)", () => {
    expect(bookableRange(DEFAULT_DAY, WEDNESDAY, today(540), LIMITS)).toEqual({ first: 2, last: 32 });
  });

  it("never offers a slot starting before now + lead", () => {
    for (let minute = 0; minute < 24 * 60; minute++) {
      const range = bookableRange(DEFAULT_DAY, WEDNESDAY, today(minute), LIMITS);
      if (!range) continue;
      expect(slotStartMinute(DEFAULT_DAY, range.first)).toBeGreaterThanOrEqual(minute + 15);
      // ... and the slot before it is really too soon (nothing bookable is skipped).
      if (range.first > 1) expect(slotStartMinute(DEFAULT_DAY, range.first - 1)).toBeLessThan(minute + 15);
    }
  });

  it("early in the morning offers the whole day", () => {
    expect(bookableRange(DEFAULT_DAY, WEDNESDAY, today(320), LIMITS)).toEqual({ first: 1, last: 32 });
  });

  it("just between slots rounds up: 09:01 + 15 -> 09:30 (slot 3)", () => {
    expect(bookableRange(DEFAULT_DAY, WEDNESDAY, today(541), LIMITS)).toEqual({ first: 3, last: 32 });
  });

  it("at 16:30 offers only the last slot (16:45)", () => {
    expect(bookableRange(DEFAULT_DAY, WEDNESDAY, today(16 * 60 + 30), LIMITS)).toEqual({ first: 32, last: 32 });
  });

  it("at 16:50 offers nothing today", () => {
    expect(bookableRange(DEFAULT_DAY, WEDNESDAY, today(16 * 60 + 50), LIMITS)).toBeNull();
  });

  it("at 23:50 offers nothing today", () => {
    expect(bookableRange(DEFAULT_DAY, WEDNESDAY, today(23 * 60 + 50), LIMITS)).toBeNull();
  });

  it("offers nothing on a past date", () => {
    expect(bookableRange(DEFAULT_DAY, "2026-11-24", today(540), LIMITS)).toBeNull();
  });

  it("offers the whole day on a future date, whatever the time now", () => {
    expect(bookableRange(DEFAULT_DAY, "2026-11-26", today(23 * 60 + 50), LIMITS)).toEqual({ first: 1, last: 32 });
  });

  it("counts today as day one of the horizon", () => {
    expect(bookableRange(DEFAULT_DAY, addDays(WEDNESDAY, 29), today(540), LIMITS)).toEqual({ first: 1, last: 32 });
    expect(bookableRange(DEFAULT_DAY, addDays(WEDNESDAY, 30), today(540), LIMITS)).toBeNull();
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

  it("the horizon's last date is the last one bookableRange accepts", () => {
    const last = horizonDates(WEDNESDAY, 30).at(-1)!;
    expect(bookableRange(DEFAULT_DAY, last, { date: WEDNESDAY, minute: 540 }, LIMITS)).not.toBeNull();
    expect(bookableRange(DEFAULT_DAY, addDays(last, 1), { date: WEDNESDAY, minute: 540 }, LIMITS)).toBeNull();
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
