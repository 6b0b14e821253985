import { describe, expect, it } from "vitest";
import {
  addDays,
  bookableRange,
  formatMinute,
  horizonDates,
  localClock,
  localToInstant,
  parseDate,
  scheduleFor,
  slotStartMinute,
  type WorkingHours,
} from "../src/slots/calendar.ts";

const KOLKATA = "Asia/Kolkata";
const WORKDAY = scheduleFor([], new Set(), "2026-11-25")!; // a Wednesday
const RULES = { leadMinutes: 15, horizonDays: 30 };

describe("clinic-local time", () => {
  it("a call at 23:50 UTC is 05:20 the next day in Kolkata", () => {
    expect(localClock(new Date("2026-11-24T23:50:00Z"), KOLKATA)).toEqual({ date: "2026-11-25", minute: 5 * 60 + 20 });
  });

  it("turns a clinic-local date and minute into the UTC instant, and back", () => {
    const instant = localToInstant("2026-11-25", 9 * 60, KOLKATA);
    expect(instant.toISOString()).toBe("2026-11-25T03:30:00.000Z");
    expect(localClock(instant, KOLKATA)).toEqual({ date: "2026-11-25", minute: 540 });
    expect(localToInstant("2026-11-26", 2 * 60, KOLKATA).toISOString()).toBe("2026-11-25T20:30:00.000Z");
  });

  it("honours daylight saving where a zone has it", () => {
    // New York: UTC-5 in winter, UTC-4 from 8 March 2026.
    expect(localToInstant("2026-03-07", 9 * 60, "America/New_York").toISOString()).toBe("2026-03-07T14:00:00.000Z");
    expect(localToInstant("2026-03-09", 9 * 60, "America/New_York").toISOString()).toBe("2026-03-09T13:00:00.000Z");
  });
});

describe("schedules", () => {
  it("defaults to Monday-Saturday 09:00-17:00 in 32 slots of 15 minutes", () => {
    expect(WORKDAY).toEqual({ startMinute: 540, slotMinutes: 15, slotCount: 32 });
    expect(scheduleFor([], new Set(), "2026-11-28")).not.toBeNull(); // Saturday
    expect(scheduleFor([], new Set(), "2026-11-29")).toBeNull(); // Sunday
  });

  it("knows days off and the doctor's own hours", () => {
    expect(scheduleFor([], new Set(["2026-11-25"]), "2026-11-25")).toBeNull();
    const mornings: WorkingHours[] = [{ weekday: 3, startMinute: 600, endMinute: 780, slotMinutes: 15 }];
    expect(scheduleFor(mornings, new Set(), "2026-11-25")).toEqual({
      startMinute: 600,
      slotMinutes: 15,
      slotCount: 12,
    });
    expect(scheduleFor(mornings, new Set(), "2026-11-26")).toBeNull(); // no Thursday hours
  });

  it("numbers slots from the day's start: slot 7 is 10:30 for a 09:00 start, slot 32 is 16:45", () => {
    expect(formatMinute(slotStartMinute(WORKDAY, 7))).toBe("10:30 AM");
    expect(formatMinute(slotStartMinute(WORKDAY, 32))).toBe("4:45 PM");
  });
});

describe("bookable slots: never in the past", () => {
  it("today at 09:00 with a 15-minute lead starts at 09:15 (slot 2)", () => {
    expect(bookableRange(WORKDAY, "2026-11-25", { date: "2026-11-25", minute: 540 }, RULES)).toEqual({
      first: 2,
      last: 32,
    });
  });

  it("a slot that starts exactly at now + lead is still offered; one a minute earlier is not", () => {
    expect(bookableRange(WORKDAY, "2026-11-25", { date: "2026-11-25", minute: 600 }, RULES)).toEqual({
      first: 6,
      last: 32,
    });
    expect(bookableRange(WORKDAY, "2026-11-25", { date: "2026-11-25", minute: 601 }, RULES)).toEqual({
      first: 7,
      last: 32,
    });
  });

  it("before opening, the whole day; after the last slot, nothing today", () => {
    expect(bookableRange(WORKDAY, "2026-11-25", { date: "2026-11-25", minute: 320 }, RULES)).toEqual({
      first: 1,
      last: 32,
    });
    expect(bookableRange(WORKDAY, "2026-11-25", { date: "2026-11-25", minute: 16 * 60 + 31 }, RULES)).toBeNull();
    expect(bookableRange(WORKDAY, "2026-11-25", { date: "2026-11-25", minute: 23 * 60 + 50 }, RULES)).toBeNull();
  });

  it("a past date is never bookable; the horizon is 30 days with today as day one", () => {
    const now = { date: "2026-11-25", minute: 540 };
    expect(bookableRange(WORKDAY, "2026-11-24", now, RULES)).toBeNull();
    expect(bookableRange(WORKDAY, "2026-12-24", now, RULES)).toEqual({ first: 1, last: 32 }); // day 30
    expect(bookableRange(WORKDAY, "2026-12-25", now, RULES)).toBeNull(); // day 31
  });

  it("horizonDates crosses months and years", () => {
    const days = horizonDates("2026-12-20", 30);
    expect(days).toHaveLength(30);
    expect(days[0]).toBe("2026-12-20");
    expect(days[12]).toBe("2027-01-01");
    expect(days[29]).toBe("2027-01-18");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
  });
});

describe("parsing and formatting", () => {
  it("parseDate accepts only real calendar dates", () => {
    expect(parseDate("2026-11-25")).toEqual({ year: 2026, month: 11, day: 25 });
    for (const bad of ["2026-02-30", "2026-13-01", "26-11-25", "2026-11-25T00:00", "", "tomorrow"]) {
      expect(parseDate(bad), bad).toBeNull();
    }
  });

  it("formats times as they are spoken", () => {
    expect([0, 5, 555, 720, 1005].map(formatMinute)).toEqual([
      "12:00 AM",
      "12:05 AM",
      "9:15 AM",
      "12:00 PM",
      "4:45 PM",
    ]);
  });
});
