/**
 * Reminder calls: the evening before an appointment the line calls the patient (Twilio's Calls
 * API, faked here), who hears doctor, clinic, day, time and token and presses 1 to confirm, 2 to
 * cancel, 3 to move, 0 for the clinic or 9 to stop these calls. No answer: one retry an hour later,
 * then the SMS reminder. Each call is placed once, whatever the provider or the callbacks do.
 */
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runReminderCalls } from "../src/calls/run.ts";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { SimulatedCall, signedPost } from "../tools/twilio-caller.ts";
import { mockServer } from "./setup.ts";
import { AUTH_TOKEN, BASE_URL, fakeTwilioSms, heard, lineWith, newCallOn } from "./support/line.ts";
import type { SmsJob } from "../src/sms/outbox.ts";

const line = lineWith({});
const LINE_NUMBER = "+15005550006";
const PUTTUR = "2"; // Puttur Town Clinic: Dr. Anil Bhat (token prefix A)
/** A week of its own (D1 is shared by the test files): Monday 6 March 2028, clinic-local. */
const ist = (local: string) => new Date(`${local.replace(" ", "T")}:00+05:30`);

interface PlacedCall {
  To: string;
  From: string;
  Url: string;
  StatusCallback: string;
  MachineDetection: string;
  sid: string;
}

/** Twilio's Calls endpoint: records each request; `respond` may fail it. */
function fakeTwilioCalls(respond?: (n: number) => Response | undefined): PlacedCall[] {
  const placed: PlacedCall[] = [];
  mockServer.use(
    http.post(`https://twilio.test/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Calls.json`, async ({ request }) => {
      const form = Object.fromEntries(new URLSearchParams(await request.text())) as Omit<PlacedCall, "sid">;
      const failed = respond?.(placed.length + 1);
      const sid = `CA${crypto.randomUUID().replaceAll("-", "")}`;
      placed.push({ ...form, sid: failed ? "" : sid });
      return failed ?? HttpResponse.json({ sid, status: "queued" }, { status: 201 });
    }),
  );
  return placed;
}

const queued: SmsJob[] = [];
const smsQueue = { sendBatch: async (jobs: { body: SmsJob }[]) => void queued.push(...jobs.map((j) => j.body)) };

/** The cron at `local` clinic time: reminder calls written and placed. */
async function cronAt(local: string): Promise<void> {
  vi.setSystemTime(ist(local));
  const config = readConfig({ ...env, PUBLIC_BASE_URL: BASE_URL } as Env);
  await runReminderCalls({ db: database(env.DB), config, smsQueue: smsQueue as unknown as Queue<SmsJob> }, ist(local));
}

/** The patient's phone rings and they pick it up (or their voicemail does). */
function pickUp(placed: PlacedCall): SimulatedCall {
  return new SimulatedCall({
    baseUrl: BASE_URL,
    authToken: AUTH_TOKEN,
    from: LINE_NUMBER,
    to: placed.To,
    callSid: placed.sid,
    voicePath: placed.Url,
    statusUrl: placed.StatusCallback,
    outbound: true,
    fetch: line,
  });
}

/** Books the first free time at Puttur on the `day`-th of the month by phone, as a caller does. */
async function bookByPhone(phone: string, day: string): Promise<string> {
  const c = newCallOn(line, phone);
  await c.dial();
  await c.press(PUTTUR);
  await c.press("1"); // the next free time
  await c.press("3"); // other times and days
  await c.press("2"); // another day
  await c.press(day);
  const booked = heard(await c.press("1"));
  expect(booked).toContain("Your appointment is booked");
  await c.hangUp();
  return booked;
}

async function appointmentOf(phone: string) {
  return env.DB.prepare(
    `SELECT a.id, a.status, a.confirmed_at AS confirmed, a.local_date AS date FROM appointments a
       JOIN patients p ON p.id = a.patient_id WHERE p.phone = ? ORDER BY a.id DESC LIMIT 1`,
  )
    .bind(phone)
    .first<{ id: number; status: string; confirmed: string | null; date: string }>();
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(ist("2028-03-06 09:00"));
  await env.DB.prepare("UPDATE clinics SET reminder_calls = 1").run();
});
afterEach(() => vi.useRealTimers());

describe("the reminder call", () => {
  it("an appointment made today gets a call tomorrow evening that confirms it with 1", async () => {
    fakeTwilioSms();
    const calls = fakeTwilioCalls();
    const phone = "+919833300001";
    console.log(await bookByPhone(phone, "08"));
    const booked = await appointmentOf(phone);
    expect(booked).toMatchObject({ status: "booked", confirmed: null, date: "2028-03-08" });

    await cronAt("2028-03-07 17:59");
    expect(calls).toHaveLength(0);
    await cronAt("2028-03-07 18:00");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ To: phone, From: LINE_NUMBER, MachineDetection: "Enable" });

    const ringing = pickUp(calls[0]!);
    const hello = heard(await ringing.dial({ AnsweredBy: "human" }));
    console.log(hello);
    const confirmed = heard(await ringing.press("1"));
    console.log(confirmed);
    expect(await ringing.hangUp()).toBe(200);
    expect((await appointmentOf(phone))!.confirmed).not.toBeNull();
  });
});
