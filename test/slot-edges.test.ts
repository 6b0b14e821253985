/**
 * The edges of slots by time: conflicts recognised by the index they name, "next time" past
 * the last free time, a clinic with a broken time zone, and SMS with absolute dates.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { violatedUniqueIndex } from "../src/booking/conflicts.ts";
import { choose, heard, newCall } from "./support/line.ts";

describe("unique conflicts are recognised by the index they name", () => {
  async function conflictOf(sql: string, ...values: unknown[]): Promise<string | null> {
    try {
      await env.DB.prepare(sql)
        .bind(...values)
        .run();
      return "no conflict";
    } catch (error) {
      return violatedUniqueIndex(error);
    }
  }

  beforeEach(async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT OR IGNORE INTO patients (id, phone, name) VALUES (901, '+919811199901', 'P1')"),
      env.DB.prepare("INSERT OR IGNORE INTO patients (id, phone, name) VALUES (902, '+919811199902', 'P2')"),
      env.DB.prepare(
        `INSERT OR IGNORE INTO appointments (id, doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, source, call_sid)
         VALUES (901, 1, 1, 901, '2027-02-03', '2027-02-03T04:00:00.000Z', '2027-02-03T04:15:00.000Z', 'KS-3', 'ivr', 'CAconflict')`,
      ),
    ]);
  });

  const insert = `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, source, call_sid)
                  VALUES (?, 1, ?, '2027-02-03', ?, '2027-02-03T05:00:00.000Z', ?, 'ivr', ?)`;

  it.each([
    ["the same doctor and start", [1, 902, "2027-02-03T04:00:00.000Z", "KS-99", "CAc1"], "appointments_live_start"],
    [
      "the same token in the clinic and date",
      [2, 902, "2027-02-03T04:30:00.000Z", "KS-3", "CAc2"],
      "appointments_live_token",
    ],
    ["the same patient and time", [2, 901, "2027-02-03T04:00:00.000Z", "KR-3", "CAc3"], "appointments_patient_time"],
    ["the same call", [2, 902, "2027-02-03T06:00:00.000Z", "KR-11", "CAconflict"], "appointments_call"],
  ])("%s", async (_, values, index) => {
    expect(await conflictOf(insert, ...values)).toBe(index);
  });

  it("a UNIQUE column and an error that is not a conflict", async () => {
    expect(await conflictOf("INSERT INTO patients (phone, name) VALUES ('+919811199901', 'again')")).toBe(
      "patients.phone",
    );
    expect(violatedUniqueIndex(new Error("D1_ERROR: no such table: x"))).toBeNull();
  });
});

describe("at the offer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2027-02-03T10:40:00Z")); // Wednesday 16:10 IST
  });
  afterEach(() => vi.useRealTimers());

  it("'next time' past the last free time says there are no later times, then 2 hears the earliest again", async () => {
    await env.DB.prepare(
      "INSERT INTO clinics (id, district_id, name, address) VALUES (95, 1, 'One Day Clinic', 'X')",
    ).run();
    await env.DB.prepare(
      "INSERT INTO doctors (id, clinic_id, name, specialization_id, token_prefix) VALUES (95, 95, 'Dr. Lata Rao', 1, 'L')",
    ).run();
    // Wednesdays only, 16:00-17:00: today 16:30 and 16:45 are left, and the horizon has other Wednesdays.
    await env.DB.prepare(
      "INSERT INTO doctor_hours (doctor_id, weekday, start_minute, end_minute, slot_minutes) VALUES (95, 3, 960, 1020, 15)",
    ).run();
    await env.DB.prepare("UPDATE doctors SET active = 1 WHERE id = 95").run();
    const call = newCall("+919811199910");
    await choose(call, await call.dial(), "One Day Clinic");
    expect(heard(await call.press("1"))).toContain("Dr. Lata Rao can see you today at 4:30 PM.");
    // Walk the horizon: 16:45 today, then four Wednesdays of four slots each.
    let turn = await call.press("2");
    for (let i = 0; i < 17 && !heard(turn).includes("no later times"); i++) turn = await call.press("2");
    expect(heard(turn)).toContain("Sorry, there are no later times.");
    expect(heard(turn)).not.toContain("in the next 30 days");
    expect(heard(await call.press("2"))).toContain("Dr. Lata Rao can see you today at 4:30 PM.");
  });

  it("a clinic whose stored time zone is broken still answers, on Asia/Kolkata", async () => {
    await env.DB.prepare(
      "INSERT INTO clinics (id, district_id, name, address, timezone) VALUES (96, 1, 'Zone Clinic', 'X', 'Mars/Olympus')",
    ).run();
    await env.DB.prepare(
      "INSERT INTO doctors (id, clinic_id, name, specialization_id, token_prefix) VALUES (96, 96, 'Dr. Zeba Khan', 1, 'Z')",
    ).run();
    const warn = vi.spyOn(console, "warn");
    const call = newCall("+919811199911");
    await choose(call, await call.dial(), "Zone Clinic");
    // 16:10 IST + 15 minutes: 16:30 today, as for any clinic in India.
    expect(heard(await call.press("1"))).toContain("Dr. Zeba Khan can see you today at 4:30 PM.");
    expect(heard(await call.press("1"))).toContain("Your token is Z, 31.");
    expect(warn.mock.calls.some((args) => String(args[0]).includes("invalid time zone"))).toBe(true);
  });

  it("the booking SMS carries the absolute date, the spoken answer says today", async () => {
    const call = newCall("+919811199912");
    await call.dial();
    await call.press("2"); // Puttur Town Clinic: Dr. Anil Bhat
    const offer = await call.press("1");
    expect(heard(offer)).toContain("today at 4:30 PM");
    await call.press("1");
    const row = await env.DB.prepare("SELECT body FROM sms_outbox WHERE to_number = ? AND purpose = 'booking'")
      .bind("+919811199912")
      .first<{ body: string }>();
    expect(row!.body).toContain("on 03-02-2027 at 4:30 PM");
    expect(row!.body).not.toMatch(/today|tomorrow/i);
  });
});
