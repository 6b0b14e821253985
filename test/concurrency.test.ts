/**
 * Many callers at once for one doctor's day: every booking gets its own slot.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { heard, newCall } from "./support/line.ts";

// A clinic with one long-day doctor, so 50 callers fit into one doctor-day (07:00-21:00: 56 slots).
beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO clinics (id, district_id, name, address) VALUES (70, 1, 'Rush Hour Clinic', 'Mangaluru')",
    ),
    env.DB.prepare("INSERT INTO doctors (id, clinic_id, name, specialization_id) VALUES (70, 70, 'Dr. Ravi Kini', 1)"),
    env.DB.prepare(
      "INSERT INTO doctor_hours (doctor_id, weekday, start_minute, end_minute, slot_minutes) VALUES (70, 3, 420, 1260, 15)",
    ),
  ]);
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-12-02T00:30:00Z")); // Wednesday 06:00 IST
});
afterEach(() => vi.useRealTimers());

const RUSH_CLINIC_KEY = "6"; // listed after the five demo clinics

it("50 callers confirming at once for one doctor-day get 50 distinct slots", async () => {
  const calls = Array.from({ length: 50 }, (_, i) => newCall(`+9198450${String(i).padStart(5, "0")}`));
  await Promise.all(calls.map((c) => c.dial()));
  await Promise.all(calls.map((c) => c.press(RUSH_CLINIC_KEY)));
  const offers = await Promise.all(calls.map((c) => c.press("1")));
  for (const offer of offers) expect(heard(offer)).toMatch(/Dr\. Ravi Kini can see you today at/);

  const booked = await Promise.all(calls.map((c) => c.press("1")));
  const tokens = booked.map((turn) => /Your token is R, (\d+)\./.exec(heard(turn))?.[1]);
  expect(tokens.every(Boolean)).toBe(true);
  expect(new Set(tokens).size).toBe(50);

  const { results } = await env.DB.prepare(
    "SELECT local_date, slot_number, call_sid FROM appointments WHERE doctor_id = 70 AND status = 'booked' ORDER BY slot_number",
  ).all<{ local_date: string; slot_number: number; call_sid: string }>();
  expect(results).toHaveLength(50);
  expect(new Set(results.map((r) => r.local_date))).toEqual(new Set(["2026-12-02"]));
  // 06:00 + 15 min lead: the first slot is 07:00 (slot 1); 50 callers take slots 1..50 exactly.
  expect(results.map((r) => r.slot_number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  expect(new Set(results.map((r) => r.call_sid))).toEqual(new Set(calls.map((c) => c.callSid)));

  const snapshot = await env.DOCTOR_DAY.getByName("doctor:70:2026-12-02").snapshot(Date.now());
  expect(snapshot.filter((s) => s.state === "booked").map((s) => s.slot)).toEqual(results.map((r) => r.slot_number));
});

it("two callers racing for the day's last free slot: one gets it, the other the next working day", async () => {
  // Slots 1..50 are booked by the previous test; take 51..55 with holds that will not expire.
  const day = env.DOCTOR_DAY.getByName("doctor:70:2026-12-02");
  for (let i = 0; i < 5; i++) await day.hold(`CAfill${i}`, { first: 51, last: 55 }, Date.now(), 3_600_000);
  const [a, b] = [newCall("+919845099991"), newCall("+919845099992")];
  await Promise.all([a.dial(), b.dial()]);
  await Promise.all([a.press(RUSH_CLINIC_KEY), b.press(RUSH_CLINIC_KEY)]);
  const offers = (await Promise.all([a.press("1"), b.press("1")])).map(heard);
  expect(offers.filter((o) => o.includes("today at 8:45 PM"))).toHaveLength(1); // slot 56, the last
  // Dr. Kini works only Wednesdays, so the loser is offered next Wednesday's first slot.
  expect(offers.filter((o) => o.includes("on Wednesday, 9 December at 7:00 AM"))).toHaveLength(1);
  const booked = (await Promise.all([a.press("1"), b.press("1")])).map(heard);
  expect(booked.filter((t) => t.includes("Your token is R, 56."))).toHaveLength(1);
});
