/**
 * The line has one clock: the Worker's. Every instant it stores and later compares (when a row
 * was made: the outbox sweep's grace, reminders, retention) comes from that clock, never from
 * D1's `'now'`, which is another machine's. Here the Worker's clock is years away from D1's, as
 * in any test that simulates a date: a booking call, its SMS (failed, then swept and sent), a
 * spoken reason and a walk-in must all carry the simulated instant.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { HttpResponse } from "msw";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import worker from "../src/index.ts";
import { fakeTwilioSms, heard, newCall } from "./support/line.ts";
import { outboxFor } from "./support/outbox.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

// Tuesday 14 October 2031, 09:00 in Kolkata: far from whatever day the suite runs on.
const SIMULATED = new Date("2031-10-14T03:30:00Z");
const PHONE = "+919811100001";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(SIMULATED);
});
afterEach(() => vi.useRealTimers());

/** created_at of every row about this phone, table by table. */
async function stampsFor(phone: string): Promise<Record<string, string[]>> {
  const patientId = "(SELECT id FROM patients WHERE phone = ?1)";
  const queries: Record<string, string> = {
    patients: "SELECT created_at AS at FROM patients WHERE phone = ?1",
    appointments: `SELECT created_at AS at FROM appointments WHERE patient_id = ${patientId}`,
    sms_outbox: "SELECT created_at AS at FROM sms_outbox WHERE to_number = ?1",
    call_log: "SELECT created_at AS at FROM call_log WHERE from_number = ?1",
  };
  const stamps: Record<string, string[]> = {};
  for (const [table, sql] of Object.entries(queries)) {
    const { results } = await env.DB.prepare(sql).bind(phone).all<{ at: string }>();
    stamps[table] = results.map((r) => r.at);
  }
  return stamps;
}

it("a booking's rows carry the Worker's time, and its failed SMS is swept and sent on that clock", async () => {
  let twilioUp = false;
  const sent = fakeTwilioSms((_sms, n) =>
    twilioUp
      ? HttpResponse.json({ sid: `SMclock${n}`, status: "queued" }, { status: 201 })
      : HttpResponse.json({ message: "down" }, { status: 500 }),
  );
  const call = newCall(PHONE);
  await call.dial();
  await call.press("3"); // a clinic with one doctor
  await call.press("1");
  const booked = await call.press("1");
  expect(heard(booked)).toContain("Your appointment is booked");
  await vi.waitFor(async () => expect((await outboxFor(PHONE)).map((r) => r.attempts)).toEqual([1]), BACKGROUND_WAIT);

  const stamps = await stampsFor(PHONE);
  for (const [table, values] of Object.entries(stamps)) {
    expect(values.length, table).toBeGreaterThan(0);
    for (const at of values)
      expect(Math.abs(Date.parse(at) - SIMULATED.getTime()), `${table} ${at}`).toBeLessThan(60_000);
  }

  // Five minutes on (past the sweep's grace, on the Worker's clock), Twilio is back: the cron finds the row.
  twilioUp = true;
  vi.setSystemTime(new Date(SIMULATED.getTime() + 5 * 60_000));
  await worker.scheduled(
    { cron: "* * * * *", scheduledTime: Date.now(), noRetry: () => undefined } as ScheduledController,
    env,
    createExecutionContext(),
  );
  const booking = async () => (await outboxFor(PHONE)).filter((r) => r.purpose === "booking");
  await vi.waitFor(async () => expect((await booking()).map((r) => r.status)).toEqual(["sent"]), BACKGROUND_WAIT);
  // One failed try, then the booking text once more (the cron may also have sent today's reminder).
  const bookingText = sent[0]!.Body;
  expect(sent.filter((m) => m.To === PHONE && m.Body === bookingText)).toHaveLength(2);
});
