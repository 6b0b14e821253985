/**
 * Abuse: one phone cannot hold a whole day with a burst of calls, and cannot exceed its
 * appointment limit by confirming many calls at once.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { choose, heard, newCall } from "./support/line.ts";

const NOW = new Date("2026-12-30T03:30:00Z"); // Wednesday 09:00 IST
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

it("a burst of 40 calls from one number holds at most 4 slots of any doctor-day, and the holds expire", async () => {
  const phone = "+919500000001";
  const calls = Array.from({ length: 40 }, () => newCall(phone));
  await Promise.all(calls.map((c) => c.dial()));
  await Promise.all(calls.map((c) => c.press("4"))); // Ullal Seaside Clinic: Dr. Suresh Pai
  const offers = await Promise.all(calls.map((c) => c.press("1")));
  for (const offer of offers) expect(heard(offer)).toContain("Dr. Suresh Pai can see you");

  const dates = [...new Set(offers.map((o) => /hold=5\.([\d-]+)\./.exec(o.responses.at(-1)!.body)![1]!))];
  let held = 0;
  for (const date of dates) {
    const claims = await env.DOCTOR_DAY.getByName(`doctor:5:${date}`).claims(Date.now());
    const mine = claims.filter((c) => c.state === "held");
    expect(mine.length).toBeLessThanOrEqual(4);
    held += mine.length;
  }
  expect(held).toBe(40); // one hold per call, spread over at least 10 days
  expect(dates.length).toBeGreaterThanOrEqual(10);

  // Another caller still gets today's first slot.
  const other = newCall("+919500000002");
  await other.dial();
  await other.press("4");
  // The burst holds 09:15-10:00 (4 slots); the rest of the day stays open.
  expect(heard(await other.press("1"))).toContain("can see you today at 10:15 AM");

  // Six minutes later every unconfirmed hold has lapsed.
  vi.setSystemTime(new Date(NOW.getTime() + 6 * 60_000));
  for (const date of dates) {
    const claims = await env.DOCTOR_DAY.getByName(`doctor:5:${date}`).claims(Date.now());
    expect(claims.filter((c) => c.state === "held")).toEqual([]);
  }
});

it("six calls from one phone confirming at once book at most the limit of 4", async () => {
  const phone = "+919500000003";
  const calls = Array.from({ length: 6 }, () => newCall(phone));
  // Moodbidri: Dr. Fathima Begum
  await Promise.all(calls.map(async (c) => choose(c, await c.dial(), "Moodbidri Care Clinic")));
  await Promise.all(calls.map((c) => c.press("1")));
  const answers = (await Promise.all(calls.map((c) => c.press("1")))).map(heard);
  const booked = answers.filter((a) => a.includes("Your appointment is booked"));
  expect(booked.length).toBeLessThanOrEqual(4);
  expect(answers.filter((a) => a.includes("already has 4 upcoming appointments"))).toHaveLength(6 - booked.length);
  const { n } = (await env.DB.prepare(
    "SELECT count(*) AS n FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.phone = ? AND a.status = 'booked'",
  )
    .bind(phone)
    .first<{ n: number }>())!;
  expect(n).toBe(booked.length);
  // No slot stays claimed by a refused call.
  let claimed = 0;
  for (const date of ["2026-12-30", "2026-12-31"]) {
    const claims = await env.DOCTOR_DAY.getByName(`doctor:6:${date}`).claims(Date.now());
    claimed += claims.filter((c) => c.state === "booked").length;
    expect(claims.filter((c) => c.state === "held")).toEqual([]);
  }
  expect(claimed).toBe(booked.length);
});
