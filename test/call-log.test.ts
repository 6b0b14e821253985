/**
 * The call log: every step of a call appended in order to one row, with what the caller
 * pressed and the outcome, written after each answer together with the hold the step made.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { heard, lineWith, newCallOn } from "./support/line.ts";

// Waits for each request's after-response work, as a real call's seconds between steps do.
const line = lineWith({});

describe("the call log", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2027-01-14T03:30:00Z")); // Thursday 09:00 IST
  });
  afterEach(() => vi.useRealTimers());

  it("keeps each step in order with its keys and the booking's outcome; the offer's hold is noted with it", async () => {
    const call = newCallOn(line, "+919811100101");
    await call.dial();
    await call.press("1"); // Hampankatta Family Clinic
    await call.press("1"); // next available
    expect(heard(await call.press("1"))).toContain("Your appointment is booked");

    const row = await env.DB.prepare("SELECT from_number, steps, outcome FROM call_log WHERE call_sid = ?")
      .bind(call.callSid)
      .first<{ from_number: string; steps: string; outcome: string }>();
    const steps = JSON.parse(row!.steps) as { step: string; digits: string | null; at: string }[];
    expect(row!.from_number).toBe("+919811100101");
    expect(steps.map((s) => s.digits)).toEqual([null, "1", "1", "1"]);
    expect(steps[0]!.step).toBe("welcome");
    expect(steps.map((s) => s.at)).toEqual([...steps.map((s) => s.at)].sort());
    expect(row!.outcome).toBe("booked");
    const holds = await env.DB.prepare("SELECT doctor_id, local_date FROM call_holds WHERE call_sid = ?")
      .bind(call.callSid)
      .all();
    expect(holds.results).toEqual([{ doctor_id: 1, local_date: "2027-01-14" }]);
  });
});
