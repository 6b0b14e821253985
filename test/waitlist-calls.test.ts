/**
 * The waitlist offer by call: where the clinic's reminder calls are on, a cancelled time held for
 * the first waiting patient makes their phone ring ("1 to take it, 2 to pass"); they press 1 and
 * have the booking. Nobody answering sends the text instead, once, while the hold runs on.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { runReminderCalls } from "../src/calls/run.ts";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import type { Job } from "../src/jobs/queue.ts";
import { addDays } from "../src/slots/calendar.ts";
import { doctorDayStub } from "../src/slots/doctor-day.ts";
import { BASE_URL, fakeTwilioSms, heard, lineWith, newCallOn } from "./support/line.ts";
import { fakeTwilioCalls, pickUp, reportStatus } from "./support/outbound-calls.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const ANIL = 3; // Dr. Anil Bhat, the one doctor of Puttur Town Clinic (clinic 2)
const PUTTUR = "2";
/** Two days on the horizon, so "no free time" is quick to arrange; calls placed during a request need the line's address. */
const line = lineWith({ BOOKING_HORIZON_DAYS: "2", PUBLIC_BASE_URL: BASE_URL });
const ist = (local: string) => new Date(`${local.replace(" ", "T")}:00+05:30`);

/** Every slot of Dr. Anil Bhat's day from `fromMinute` on is taken, but those in `except`. */
async function fillDay(date: string, fromMinute: number, except: number[], nowMs: number) {
  const day = doctorDayStub(env.DOCTOR_DAY, ANIL, date);
  for (let minute = fromMinute; minute < 17 * 60; minute += 15)
    if (!except.includes(minute)) await day.markBooked({ startMinute: minute, endMinute: minute + 15 }, nowMs);
}

/**
 * At 16:00 on `date` (a Wednesday) the holder books the day's one free time (16:45); `waiting`
 * hears none and joins the waitlist with 5; the holder cancels. The freed-time job writes the
 * offer's call, which the cron places at 16:01 (the job's env has no PUBLIC_BASE_URL).
 */
async function offerCalledOn(date: string, holder: string, waiting: string, next?: string) {
  vi.setSystemTime(ist(`${date} 16:00`));
  const sms = fakeTwilioSms();
  const calls = fakeTwilioCalls();
  await fillDay(date, 16 * 60, [16 * 60 + 45], Date.now());
  await fillDay(addDays(date, 1), 9 * 60, [], Date.now());
  await freeATimeFor(holder, next ? [waiting, next] : [waiting]);
  await vi.waitFor(async () => expect(await offerCall(waiting)).toMatchObject({ status: "pending" }), BACKGROUND_WAIT);
  await cronAt(`${date} 16:01`);
  await cronAt(`${date} 16:01`); // a second run places nothing more
  const placed = calls.filter((c) => c.To === waiting);
  expect(placed).toHaveLength(1);
  return { sms, calls, placed: placed[0]! };
}

async function freeATimeFor(holder: string, waiting: string[]) {
  const booking = newCallOn(line, holder);
  await booking.dial();
  await booking.press(PUTTUR);
  await booking.press("1");
  expect(heard(await booking.press("1"))).toContain("today at 4:45 PM");
  for (const phone of waiting) {
    const c = newCallOn(line, phone);
    await c.dial();
    await c.press(PUTTUR);
    expect(heard(await c.press("1"))).toContain("To join the waiting list");
    expect(heard(await c.press("5"))).toContain("call you or send you an SMS");
  }
  const cancel = newCallOn(line, holder);
  await cancel.dial();
  await cancel.press("2");
  expect(heard(await cancel.press("1"))).toContain("is cancelled");
}

/** The cron at `local`: what the queue consumer wrote but could not place (no PUBLIC_BASE_URL in its env) rings now. */
async function cronAt(local: string) {
  vi.setSystemTime(ist(local));
  const config = readConfig({ ...env, PUBLIC_BASE_URL: BASE_URL } as Env);
  const jobs = { sendBatch: async () => undefined } as unknown as Queue<Job>;
  await runReminderCalls({ db: database(env.DB), config, jobs }, ist(local));
}

async function offerCall(phone: string) {
  return env.DB.prepare(
    `SELECT c.status, c.calls, c.outcome, o.outcome AS offer FROM call_outbox c
       JOIN waitlist_offers o ON o.id = c.waitlist_offer_id WHERE c.purpose = 'waitlist' AND c.to_number = ?`,
  )
    .bind(phone)
    .first<{ status: string; calls: number; outcome: string | null; offer: string }>();
}

const offerTexts = (sms: { To: string; Body: string }[], phone: string) =>
  sms.filter((m) => m.To === phone && m.Body.includes("held for you"));

beforeAll(async () => {
  await env.DB.prepare("UPDATE clinics SET reminder_calls = 1 WHERE id = 2").run();
});
beforeEach(() => vi.useFakeTimers({ toFake: ["Date"] }));
afterEach(() => vi.useRealTimers());

describe("a freed time offered by call", () => {
  it("a cancel frees a time, the first waiting patient's phone rings, they press 1 and have the booking", async () => {
    const [holder, waiting] = ["+919833320001", "+919833320002"];
    const { sms, placed } = await offerCalledOn("2028-05-10", holder, waiting);
    const phone = pickUp(line, placed);
    expect(heard(await phone.dial({ AnsweredBy: "human" }))).toBe(
      "Hello. A time you were waiting for has become free. " +
        "A time with Dr. Anil Bhat, today at 4:45 PM, is held for you until 4:15 PM. To take it, press 1. To pass it to the next person, press 2.",
    );
    expect(heard(await phone.press("1"))).toContain(
      "Your appointment is booked with Dr. Anil Bhat, today at 4:45 PM. Your token is A,",
    );
    await phone.hangUp();
    const booked = await env.DB.prepare(
      `SELECT a.status, a.starts_at AS startsAt FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.phone = ?`,
    )
      .bind(waiting)
      .all();
    expect(booked.results).toEqual([{ status: "booked", startsAt: "2028-05-10T11:15:00.000Z" }]);
    expect(await offerCall(waiting)).toEqual({ status: "answered", calls: 1, outcome: "taken", offer: "taken" });
    // The call told them: no offer text.
    expect(offerTexts(sms, waiting)).toEqual([]);
  });

  it("nobody answers: the offer's text goes once, and the time stays held for them", async () => {
    const [holder, waiting] = ["+919833320003", "+919833320004"];
    const { sms, calls, placed } = await offerCalledOn("2028-05-24", holder, waiting); // two weeks on
    expect((await reportStatus(line, placed, "ringing")).status).toBe(200);
    expect((await reportStatus(line, placed, "no-answer")).status).toBe(200);
    expect((await reportStatus(line, placed, "no-answer")).status).toBe(200); // replayed
    expect(await offerCall(waiting)).toMatchObject({ status: "unanswered", calls: 1, offer: "offered" });
    await vi.waitFor(() => expect(offerTexts(sms, waiting)).toHaveLength(1), BACKGROUND_WAIT);
    expect(offerTexts(sms, waiting)[0]!.Body).toContain("is held for you until 4:15 PM: call +15005550006 and press 1");
    // No second call (the hold is short: no retry), and the held time is still theirs when they call.
    await cronAt("2028-05-24 16:05");
    expect(calls.filter((c) => c.To === waiting)).toHaveLength(1);
    expect(offerTexts(sms, waiting)).toHaveLength(1);
    const back = newCallOn(line, waiting);
    expect(heard(await back.dial())).toContain("is held for you until 4:15 PM. To take it, press 1.");
  });

  it("2 on the call passes the time on: the next in line's phone rings at once", async () => {
    const [holder, first, next] = ["+919833320005", "+919833320006", "+919833320007"];
    const { calls, placed } = await offerCalledOn("2028-05-31", holder, first, next);
    const phone = pickUp(line, placed);
    await phone.dial({ AnsweredBy: "human" });
    const passed = await phone.press("2");
    expect(heard(passed)).toBe("The time is passed to the next person. You stay on the waiting list.");
    expect(passed.ended).toBe(true);
    expect(await offerCall(first)).toMatchObject({ outcome: "passed", offer: "passed" });
    // Placed just after the answer to the request that passed it, not by the next cron run.
    await vi.waitFor(async () => {
      expect(calls.filter((c) => c.To === next)).toHaveLength(1);
      expect(await offerCall(next)).toMatchObject({ status: "ringing", calls: 1, offer: "offered" });
    }, BACKGROUND_WAIT);
  });
});
