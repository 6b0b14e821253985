/**
 * Choosing a day and a part of the day at the offer: 4 the previous time, 5 another day
 * (1# today, 2# tomorrow, or the day of the month as two digits and #), 6 morning,
 * 7 afternoon. Past days, days beyond the horizon, days off and full days get a clear answer.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dayFromKeys } from "../src/ivr/day-choice.ts";
import { heard, lineWith, newCallOn } from "./support/line.ts";

const line = lineWith({});
const call = (from: string) => newCallOn(line, from);
// Thursday 21 January 2027, 09:00 in Kolkata (D1 and the objects are shared by the test files: a day of its own).
const THURSDAY_9AM_IST = new Date("2027-01-21T03:30:00Z");
const PUTTUR = "2"; // Dr. Anil Bhat, Monday to Saturday 09:00-17:00

describe("dayFromKeys", () => {
  it.each<[string | undefined, string, number, ReturnType<typeof dayFromKeys>]>([
    ["1", "2027-01-28", 30, { kind: "date", date: "2027-01-28" }],
    ["2", "2027-01-28", 30, { kind: "date", date: "2027-01-29" }],
    ["2#", "2027-12-31", 30, { kind: "date", date: "2028-01-01" }],
    ["30", "2027-01-28", 30, { kind: "date", date: "2027-01-30" }],
    ["28", "2027-01-28", 30, { kind: "date", date: "2027-01-28" }],
    ["05", "2027-01-28", 30, { kind: "date", date: "2027-02-05" }], // the next 5th
    ["27", "2027-01-28", 30, { kind: "passed" }], // 27 January has gone; 27 February is too far
    ["30", "2027-01-31", 30, { kind: "invalid" }], // no 30 February
    ["31", "2027-04-02", 30, { kind: "invalid" }], // no 31 April
    ["15", "2027-01-01", 10, { kind: "too-far" }],
    ["2", "2027-01-01", 1, { kind: "too-far" }],
    ["00", "2027-01-28", 30, { kind: "invalid" }],
    ["32", "2027-01-28", 30, { kind: "invalid" }],
    ["3", "2027-01-28", 30, { kind: "invalid" }],
    ["123", "2027-01-28", 30, { kind: "invalid" }],
    ["*5", "2027-01-28", 30, { kind: "invalid" }],
    ["", "2027-01-28", 30, { kind: "silent" }],
    [undefined, "2027-01-28", 30, { kind: "silent" }],
  ])("%s on %s (horizon %i days)", (keys, today, horizon, expected) => {
    expect(dayFromKeys(keys, today, horizon)).toEqual(expected);
  });
});

describe("at the offer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(THURSDAY_9AM_IST);
  });
  afterEach(() => vi.useRealTimers());

  it("reaches tomorrow afternoon in 6 key presses through the other-times menu, and steps back through the times heard", async () => {
    const c = call("+919844400001");
    await c.dial();
    await c.press(PUTTUR);
    const first = heard(await c.press("1"));
    expect(first).toContain("Dr. Anil Bhat can see you today at 9:15 AM.");
    expect(first).toContain("For other times and days, press 3.");
    let presses = 0;
    const press = async (keys: string) => {
      presses += keys.length;
      return heard(await c.press(keys));
    };
    // No earlier time yet, so the other-times menu starts at 2.
    expect(await press("3")).toBe(
      "For another day, press 2. For the morning, press 3. For the afternoon or evening, press 4. To speak to the clinic's reception, press 0.",
    );
    expect(await press("2")).toBe(
      "For today, press 1 and then hash. For tomorrow, press 2 and then hash. For another day, enter the day of the month in two digits and then hash, for example 0 5 hash for the 5th.",
    );
    expect(await press("2#")).toContain("Dr. Anil Bhat can see you tomorrow at 9:00 AM.");
    expect(await press("3")).toContain("For the previous time, press 1. For another day, press 2.");
    expect(await press("4")).toContain("Dr. Anil Bhat can see you tomorrow at 12:00 PM.");
    expect(presses).toBeLessThanOrEqual(6);
    const held = await env.DOCTOR_DAY.getByName("doctor:3:2027-01-22").claimOf(c.callSid, Date.now());
    expect(held).toMatchObject({ state: "held", startMinute: 720 });

    const previous = async () => {
      await c.press("3");
      return heard(await c.press("1"));
    };
    expect(await previous()).toContain("can see you tomorrow at 9:00 AM.");
    expect(await previous()).toContain("can see you today at 9:15 AM.");
    // Back at the first time heard: the other-times menu no longer offers a previous one.
    expect(heard(await c.press("3"))).not.toContain("previous time");
    expect(heard(await c.press("1"))).toContain(
      "There is no earlier time to go back to. Dr. Anil Bhat can see you today at 9:15 AM.",
    );
    // One hold at a time: going back let go of tomorrow's.
    expect(await env.DOCTOR_DAY.getByName("doctor:3:2027-01-22").claimOf(c.callSid, Date.now())).toBeNull();
    expect(heard(await c.press("1"))).toContain("Your appointment is booked with Dr. Anil Bhat, today at 9:15 AM.");
  });

  it("a day of the month: a day off says so and offers the next free time; wrong, past and far days re-prompt", async () => {
    const c = call("+919844400002");
    await c.dial();
    await c.press(PUTTUR);
    await c.press("1");
    await c.press("3");
    await c.press("2");
    expect(heard(await c.press("24#"))).toContain(
      "Sorry, there is no free time on Sunday, 24 January. Dr. Anil Bhat can see you on Monday, 25 January at 9:00 AM.",
    );
    await c.press("3");
    await c.press("2");
    expect(heard(await c.press("00#"))).toBe(
      "Sorry, that is not a day of the month. For today, press 1 and then hash. For tomorrow, press 2 and then hash. For another day, enter the day of the month in two digits and then hash, for example 0 5 hash for the 5th.",
    );
    expect(heard(await c.press("20#"))).toContain("Sorry, that day has passed. For today, press 1");
    const last = heard(await c.press("3#"));
    expect(last).toContain("Sorry, we could not get your choice."); // the third miss ends the call
  });

  it("beyond the horizon is said plainly", async () => {
    const c = newCallOn(lineWith({ BOOKING_HORIZON_DAYS: "3" }), "+919844400003");
    await c.dial();
    await c.press(PUTTUR);
    await c.press("1");
    await c.press("3");
    await c.press("2");
    expect(heard(await c.press("25#"))).toContain("Sorry, we can only book up to 3 days ahead.");
    expect(heard(await c.press("1#"))).toContain("Dr. Anil Bhat can see you today at");
  });

  it("morning and afternoon: said when the asked part of the day has nothing free", async () => {
    vi.setSystemTime(new Date("2027-01-21T07:00:00Z")); // Thursday 12:30 IST: this morning is over
    const c = call("+919844400004");
    await c.dial();
    await c.press(PUTTUR);
    expect(heard(await c.press("1"))).toContain("can see you today at 12:45 PM.");
    const other = async (key: string) => {
      await c.press("3");
      return heard(await c.press(key));
    };
    expect(await other("3")).toContain(
      "Sorry, there is no free morning time today. Dr. Anil Bhat can see you today at 12:45 PM.",
    );
    expect(await other("2")).toContain("For tomorrow, press 2");
    expect(heard(await c.press("2#"))).toContain("can see you tomorrow at 9:00 AM.");
    expect(await other("3")).toContain("Dr. Anil Bhat can see you tomorrow at 9:00 AM.");
    expect(await other("4")).toContain("Dr. Anil Bhat can see you tomorrow at 12:00 PM.");
  });
});
