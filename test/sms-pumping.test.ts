/**
 * SMS pumping: a spoofed caller ID in another country, a satellite or premium range, must
 * not make the line send texts. The booking still stands (voice works for everyone), its
 * SMS rows are blocked, and a daily budget caps what even allowed numbers can cost.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { deliverOne } from "../src/sms/outbox.ts";
import { smsUsage } from "../src/sms/budget.ts";
import { smsDestination } from "../src/sms/policy.ts";
import { fakeTwilioSms, heard, newCall } from "./support/line.ts";
import { addStaff, DeskClient } from "./support/desk.ts";
import { addOutboxRow, outboxFor, outboxRow } from "./support/outbox.ts";

const db = database(env.DB);
const config = readConfig(env);

describe("smsDestination", () => {
  it.each([
    ["+919812345678", true, undefined],
    ["+916000000000", true, undefined],
    ["+911123456789", false, "not-a-mobile-number"], // a Delhi landline
    ["+9118001234567", false, "not-a-mobile-number"], // toll-free 1800
    ["+9119001234567", false, "not-a-mobile-number"], // premium 1900
    ["+447700900123", false, "country-not-allowed"],
    ["+266696687", false, "country-not-allowed"],
    ["+88213000001", false, "premium-or-satellite"],
    ["+8816123456789", false, "premium-or-satellite"],
    ["+870773111111", false, "premium-or-satellite"],
    ["+97912345678", false, "premium-or-satellite"],
    ["12345", false, "short-code"],
    ["+54321", false, "short-code"],
    ["VK-HDFCBK", false, "not-a-phone-number"],
    ["", false, "not-a-phone-number"],
  ])("%s -> allowed %s (%s)", (phone, allowed, reason) => {
    expect(smsDestination(phone, config)).toEqual(allowed ? { allowed: true } : { allowed: false, reason });
  });

  it("allowed countries are configuration; satellite and premium ranges stay refused whatever it says", () => {
    const wide = readConfig({ ...env, SMS_ALLOWED_COUNTRY_CODES: "+91, 44,+882,junk" } as Env);
    expect(wide.smsAllowedCountryCodes).toEqual(["+91", "+44", "+882"]);
    expect(smsDestination("+447700900123", wide)).toEqual({ allowed: true });
    expect(smsDestination("+88213000001", wide)).toEqual({ allowed: false, reason: "premium-or-satellite" });
    expect(readConfig({ ...env, SMS_ALLOWED_COUNTRY_CODES: "" } as Env).smsAllowedCountryCodes).toEqual(["+91"]);
  });
});

describe("bookings from numbers the line may not text", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-26T03:30:00Z")); // Thursday 09:00 IST
  });
  afterEach(() => vi.useRealTimers());

  // (+266696687, the third example, spells ANONYMOUS: Twilio's withheld caller ID, which
  // cannot book at all; a real Lesotho number stands in for it.)
  it.each(["+447700900123", "+88213000001", "+26622123456"])(
    "%s books by voice, hears that no SMS will come, and nothing is written to text it",
    async (phone) => {
      const sent = fakeTwilioSms();
      const call = newCall(phone);
      await call.dial();
      await call.press("3"); // Bantwal Health Centre: one doctor
      await call.press("1");
      const booked = await call.press("1");
      expect(heard(booked)).toContain("Your appointment is booked");
      expect(heard(booked)).toContain("We cannot send text messages to this number, so please note your token now.");
      expect(heard(booked)).not.toContain("You will receive an SMS");
      const appointment = await env.DB.prepare("SELECT status FROM appointments WHERE call_sid = ?")
        .bind(call.callSid)
        .first();
      expect(appointment).toEqual({ status: "booked" });
      // No booking SMS row, no account (its password could only go by SMS), nothing sent.
      expect(await outboxFor(phone)).toEqual([]);
      expect(await env.DB.prepare("SELECT login FROM patient_accounts WHERE login = ?").bind(phone).first()).toBeNull();
      expect(sent.filter((m) => m.To === phone)).toEqual([]);
    },
  );

  it("a row for such a number that reaches the outbox anyway (written before the policy) is blocked, its text dropped", async () => {
    const sent = fakeTwilioSms();
    const id = await addOutboxRow("+447700900124", "Appointment booked: ...");
    expect((await deliverOne(db, config, id, new Date())).outcome).not.toBe("sent");
    expect(await outboxRow(id)).toMatchObject({ status: "blocked", body: "" });
    expect(sent).toEqual([]);
  });
});

describe("the daily SMS budget", () => {
  it("stops sending once spent, alerts once in the log and on the staff desk, and starts again the next day", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const sent = fakeTwilioSms();
    const small = { ...config, smsDailyBudget: 2 };
    const day = new Date("2031-03-01T10:00:00Z");
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await addOutboxRow(`+91980000110${i}`, `budget ${i}`));
    const outcomes = [];
    for (const id of ids) outcomes.push((await deliverOne(db, small, id, day)).outcome);
    expect(outcomes).toEqual(["sent", "sent", "blocked", "blocked"]);
    expect(sent.map((m) => m.Body)).toEqual(["budget 0", "budget 1"]);
    expect(await outboxRow(ids[2]!)).toMatchObject({
      status: "blocked",
      last_error: "blocked: daily-budget",
      body: "",
    });
    const alerts = error.mock.calls.flat().filter((a) => String(a).includes("ALERT: daily SMS budget reached"));
    expect(alerts).toHaveLength(1);
    error.mockRestore();
    expect(await smsUsage(db, 2, day)).toEqual({
      day: "2031-03-01",
      sent: 2,
      budget: 2,
      reached: true,
      alertedAt: day.toISOString(),
    });
    // The desk shows it (admin and desk users; a doctor has no use for it).
    const clerk = new DeskClient();
    const clerkUser = await addStaff("desk", { clinics: [1] });
    await clerk.signIn(clerkUser.username, clerkUser.password);
    const desk = await clerk.get("/api/desk/sms-usage");
    expect(desk.status).toBe(200);
    expect(await desk.json()).toMatchObject({ budget: config.smsDailyBudget, reached: false });

    const next = await addOutboxRow("+919800001104", "next day");
    expect((await deliverOne(db, small, next, new Date("2031-03-02T00:00:01Z"))).outcome).toBe("sent");
  });
});
