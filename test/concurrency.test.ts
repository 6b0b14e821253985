/**
 * Many callers at once for one doctor's day: every booking gets its own slot.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { choose, heard, newCall } from "./support/line.ts";

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

it("50 callers confirming at once for one doctor-day get 50 distinct slots", async () => {
  const calls = Array.from({ length: 50 }, (_, i) => newCall(`+9198450${String(i).padStart(5, "0")}`));
  await Promise.all(calls.map(async (c) => choose(c, await c.dial(), "Rush Hour Clinic")));
  const offers = await Promise.all(calls.map((c) => c.press("1")));
  for (const offer of offers) expect(heard(offer)).toMatch(/Dr\. Ravi Kini can see you today at/);

  const booked = await Promise.all(calls.map((c) => c.press("1")));
  const tokens = booked.map((turn) => /Your token is R, (\d+)\./.exec(heard(turn))?.[1]);
  expect(tokens.every(Boolean)).toBe(true);
  expect(new Set(tokens).size).toBe(50);

  const { results } = await env.DB.prepare(
    "SELECT local_date, starts_at, token, call_sid FROM appointments WHERE doctor_id = 70 AND status = 'booked' ORDER BY starts_at",
  ).all<{ local_date: string; starts_at: string; token: string; call_sid: string }>();
  expect(results).toHaveLength(50);
  expect(new Set(results.map((r) => r.local_date))).toEqual(new Set(["2026-12-02"]));
  // 06:00 + 15 min lead: the first slot is 07:00 (01:30 UTC); 50 callers take 50 consecutive slots.
  const first = Date.parse("2026-12-02T01:30:00Z");
  expect(results.map((r) => r.starts_at)).toEqual(
    Array.from({ length: 50 }, (_, i) => new Date(first + i * 15 * 60_000).toISOString()),
  );
  // All fifty raced to choose the new doctor's prefix: one was stored, and every token uses it.
  const { token_prefix } = (await env.DB.prepare("SELECT token_prefix FROM doctors WHERE id = 70").first<{
    token_prefix: string;
  }>())!;
  expect(token_prefix).toBe("R");
  expect(results.map((r) => r.token.split("-")[0])).toEqual(Array(50).fill("R"));
  expect(new Set(results.map((r) => r.call_sid))).toEqual(new Set(calls.map((c) => c.callSid)));

  const claims = await env.DOCTOR_DAY.getByName("doctor:70:2026-12-02").claims(Date.now());
  expect(claims.filter((s) => s.state === "booked").map((s) => s.startMinute)).toEqual(
    Array.from({ length: 50 }, (_, i) => 420 + i * 15),
  );
});

it("two callers racing for the day's last free slot: one gets it, the other the next working day", async () => {
  // 07:00-19:15 is booked by the previous test; hold 19:30-20:30 with holds that will not expire.
  const day = env.DOCTOR_DAY.getByName("doctor:70:2026-12-02");
  const grid = { startMinute: 420, endMinute: 1260, slotMinutes: 15 };
  for (let i = 0; i < 5; i++)
    await day.hold({ callSid: `CAfill${i}`, grid, notBefore: 0, nowMs: Date.now(), holdMs: 3_600_000 });
  const [a, b] = [newCall("+919845099991"), newCall("+919845099992")];
  await Promise.all([a, b].map(async (c) => choose(c, await c.dial(), "Rush Hour Clinic")));
  const offers = (await Promise.all([a.press("1"), b.press("1")])).map(heard);
  expect(offers.filter((o) => o.includes("today at 8:45 PM"))).toHaveLength(1); // the day's last slot
  // Dr. Kini works only Wednesdays, so the loser is offered next Wednesday's first slot.
  expect(offers.filter((o) => o.includes("on Wednesday, 9 December at 7:00 AM"))).toHaveLength(1);
  const booked = (await Promise.all([a.press("1"), b.press("1")])).map(heard);
  // 20:45 is the 48th quarter hour from 09:00; 07:00 is before 09:00, so its token is the clock time.
  expect(booked.filter((t) => t.includes("Your token is R, 48."))).toHaveLength(1);
  expect(booked.filter((t) => t.includes("Your token is R, 700."))).toHaveLength(1);
});
