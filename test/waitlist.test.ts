/**
 * The waitlist: a caller who hears no free time joins it with 5; a cancelled time is held for
 * the first in line, texted to them, invisible to every other caller, and taken with 1 when they
 * call; an unanswered offer lapses to the next; 2 passes it on; the desk sees and removes entries.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BookingService } from "../src/booking/service.ts";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { doctorDayStub } from "../src/slots/doctor-day.ts";
import type { Job } from "../src/jobs/queue.ts";
import { wordsFor } from "../src/words/index.ts";
import { addStaff, DeskClient } from "./support/desk.ts";
import { fakeTwilioSms, heard, lineWith, newCallOn } from "./support/line.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const ANIL = 3; // Dr. Anil Bhat, the one doctor of Puttur Town Clinic (clinic 2, General Physician)
const PUTTUR = 2;

/** Two days on the horizon, so "no free time" is quick to arrange. */
const line = lineWith({ BOOKING_HORIZON_DAYS: "2" });
const call = (from: string) => newCallOn(line, from);

/** Every slot of Dr. Anil Bhat's day from `fromMinute` on is taken, but those in `except`. */
async function fillDay(date: string, fromMinute: number, except: number[], nowMs: number) {
  const day = doctorDayStub(env.DOCTOR_DAY, ANIL, date);
  for (let minute = fromMinute; minute < 17 * 60; minute += 15)
    if (!except.includes(minute)) await day.markBooked({ startMinute: minute, endMinute: minute + 15 }, nowMs);
}

async function waitlistOf(phone: string) {
  const { results } = await env.DB.prepare(
    `SELECT w.id, w.status, w.from_date AS fromDate, w.to_date AS toDate FROM waitlist w JOIN patients p ON p.id = w.patient_id
      WHERE p.phone = ? ORDER BY w.id`,
  )
    .bind(phone)
    .all<{ id: number; status: string; fromDate: string; toDate: string }>();
  return results;
}

async function offersOf(phone: string) {
  const { results } = await env.DB.prepare(
    `SELECT o.id, o.outcome, o.start_minute AS startMinute, o.local_date AS date FROM waitlist_offers o
       JOIN waitlist w ON w.id = o.entry_id JOIN patients p ON p.id = w.patient_id WHERE p.phone = ? ORDER BY o.id`,
  )
    .bind(phone)
    .all<{ id: number; outcome: string; startMinute: number; date: string }>();
  return results;
}

afterEach(() => vi.useRealTimers());

describe("a cancelled time reaches the first waitlisted patient, who takes it with 1", () => {
  // Wednesday 10 May 2028, 16:00 in Kolkata: today's last times are 16:15, 16:30 and 16:45.
  const NOW = new Date("2028-05-10T10:30:00Z");
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });

  it("joins with 5 (once), holds the cancelled time for the first in line, texts them, and books it with 1", async () => {
    const sms = fakeTwilioSms();
    await fillDay("2028-05-10", 16 * 60, [16 * 60 + 45], NOW.getTime());
    await fillDay("2028-05-11", 9 * 60, [], NOW.getTime());
    const [holder, first, second, other] = ["+919833300001", "+919833300002", "+919833300003", "+919833300004"];

    // The holder books the last free time.
    const booking = call(holder);
    await booking.dial();
    await booking.press(String(PUTTUR));
    await booking.press("1");
    expect(heard(await booking.press("1"))).toContain("Dr. Anil Bhat, today at 4:45 PM");

    // Two callers hear no free time and join; the first joins twice and keeps one place.
    for (const phone of [first, second, first]) {
      const c = call(phone);
      await c.dial();
      await c.press(String(PUTTUR));
      const none = heard(await c.press("1"));
      expect(none).toContain("there is no free appointment in the next 2 days");
      expect(none).toContain("To join the waiting list, and be told when a time frees, press 5.");
      const joined = await c.press("5");
      expect(heard(joined)).toContain("You are on the waiting list.");
      expect(heard(joined)).toContain("hold it for you for 15 minutes");
      expect(joined.ended).toBe(true);
    }
    expect(await waitlistOf(first)).toEqual([
      expect.objectContaining({ status: "waiting", fromDate: "2028-05-10", toDate: "2028-05-11" }),
    ]);
    expect(await waitlistOf(second)).toHaveLength(1);

    // The holder cancels: the time goes to the first in line, with a text naming the line.
    const cancel = call(holder);
    await cancel.dial();
    await cancel.press("2");
    expect(heard(await cancel.press("1"))).toContain("is cancelled");
    await vi.waitFor(
      () => expect(sms.filter((m) => m.To === first && m.Body.includes("held for you"))).toHaveLength(1),
      BACKGROUND_WAIT,
    );
    const text = sms.find((m) => m.To === first && m.Body.includes("held for you"))!.Body;
    expect(text).toBe(
      "A time with Dr. Anil Bhat, Puttur Town Clinic, on 10-05-2028 at 4:45 PM is held for you until 4:15 PM: call +15005550006 and press 1 to take it.",
    );
    expect(await offersOf(second)).toEqual([]);

    // Another caller meanwhile never hears the held time.
    const meanwhile = call(other);
    await meanwhile.dial();
    await meanwhile.press(String(PUTTUR));
    expect(heard(await meanwhile.press("1"))).toContain("there is no free appointment");

    // The first in line calls: the held time comes first; 1 books it as any booking.
    const taker = call(first);
    const greeting = heard(await taker.dial());
    expect(greeting).toContain(
      "A time with Dr. Anil Bhat, today at 4:45 PM, is held for you until 4:15 PM. To take it, press 1. To pass it to the next person, press 2.",
    );
    const booked = heard(await taker.press("1"));
    expect(booked).toContain("Your appointment is booked with Dr. Anil Bhat, today at 4:45 PM. Your token is A,");
    const { results } = await env.DB.prepare(
      `SELECT a.status, a.starts_at FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.phone = ?`,
    )
      .bind(first)
      .all<{ status: string; starts_at: string }>();
    expect(results).toEqual([{ status: "booked", starts_at: "2028-05-10T11:15:00.000Z" }]);
    expect((await waitlistOf(first))[0]!.status).toBe("booked");
    expect((await offersOf(first))[0]!.outcome).toBe("taken");
    await vi.waitFor(
      () => expect(sms.filter((m) => m.To === first && m.Body.startsWith("Token A-"))).toHaveLength(1),
      BACKGROUND_WAIT,
    );
  });
});

describe("joining at the day choice", () => {
  // Wednesday 31 May 2028, 09:00 in Kolkata; Thursday 1 June is fully booked with Dr. Anil Bhat.
  const NOW = new Date("2028-05-31T03:30:00Z");
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });

  it("a caller who asked for a full day waits for a time on that day with 5", async () => {
    await fillDay("2028-06-01", 9 * 60, [], NOW.getTime());
    const phone = "+919833300011";
    const c = newCallOn(lineWith({}), phone);
    await c.dial();
    await c.press(String(PUTTUR));
    await c.press("1");
    await c.press("3"); // other times and days
    await c.press("2"); // another day
    const later = heard(await c.press("2#")); // tomorrow
    expect(later).toContain("Sorry, there is no free time tomorrow.");
    expect(later).toContain("on Friday, 2 June at 9:00 AM");
    expect(later).toContain("To wait for a time tomorrow instead, press 5.");
    const joined = await c.press("5");
    expect(heard(joined)).toContain("You are on the waiting list.");
    expect(await waitlistOf(phone)).toEqual([
      expect.objectContaining({ status: "waiting", fromDate: "2028-06-01", toDate: "2028-06-01" }),
    ]);
    // The Friday time it heard is let go at once.
    const friday = await doctorDayStub(env.DOCTOR_DAY, ANIL, "2028-06-02").claims(NOW.getTime());
    expect(friday).toEqual([]);
  });
});

describe("offers, passing, lapsing and the desk", () => {
  // Wednesday 17 May 2028, 09:00 in Kolkata.
  const T0 = new Date("2028-05-17T03:30:00Z");
  const DATE = "2028-05-17";
  const queue = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue<Job>;
  const service = (now: Date) =>
    new BookingService(
      {
        db: database(env.DB),
        config: readConfig(env),
        doctorDays: env.DOCTOR_DAY,
        now,
        origin: "https://line.test",
        jobs: queue,
      },
      wordsFor("en"),
    );
  const [p1, p2, p3] = ["+919844400001", "+919844400002", "+919844400003"];
  const range = { clinicId: PUTTUR, fromDate: DATE, toDate: DATE };

  it("gives each time to the first free patient in line, one offer each, hidden from callers; 2 and lapsing pass it on; the desk removes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T0);
    const s0 = service(T0);
    await s0.joinWaitlist(p1, { ...range, doctorId: ANIL, specializationId: 0 });
    await s0.joinWaitlist(p2, { ...range, doctorId: 0, specializationId: 1 });
    await s0.joinWaitlist(p3, { ...range, doctorId: 0, specializationId: 0 });

    // 10:00 goes to the first in line; offering it again changes nothing.
    expect(await s0.offerFreedTimes([{ doctorId: ANIL, date: DATE, startMinute: 600 }])).toEqual([
      expect.objectContaining({ kind: "offered" }),
    ]);
    expect(await s0.offerFreedTimes([{ doctorId: ANIL, date: DATE, startMinute: 600 }])).toEqual([
      { kind: "not-free" },
    ]);
    // 10:15 skips p1 (who holds an offer) for p2.
    await s0.offerFreedTimes([{ doctorId: ANIL, date: DATE, startMinute: 615 }]);
    expect((await offersOf(p1)).map((o) => [o.startMinute, o.outcome])).toEqual([[600, "offered"]]);
    expect((await offersOf(p2)).map((o) => [o.startMinute, o.outcome])).toEqual([[615, "offered"]]);

    // A caller asking from 10:00 on is offered neither held time.
    const day = doctorDayStub(env.DOCTOR_DAY, ANIL, DATE);
    const grid = { startMinute: 540, endMinute: 1020, slotMinutes: 15 };
    const hold = await day.hold({ callSid: "CAwl-caller", grid, notBefore: 600, nowMs: T0.getTime(), holdMs: 60_000 });
    expect(hold?.startMinute).toBe(630);
    await day.release("CAwl-caller");

    // p1 passes 10:00 on by pressing 2 on a call: p2 holds an offer, so p3 gets it.
    const p1Offer = (await offersOf(p1))[0]!;
    expect(await s0.passWaitlistOffer(p1Offer.id, p2)).toBe(false); // not p2's to pass
    const passing = newCallOn(lineWith({}), p1);
    expect(heard(await passing.dial())).toContain("today at 10:00 AM, is held for you until 9:15 AM");
    const passed = heard(await passing.press("2"));
    expect(passed).toContain("The time is passed to the next person. You stay on the waiting list.");
    expect(passed).toContain("Please choose a clinic.");
    expect((await offersOf(p3)).map((o) => [o.startMinute, o.outcome])).toEqual([[600, "offered"]]);

    // 16 minutes on nobody answered: 10:15 lapses to p1, then 10:00 to p2 (p1 passed it before).
    const t16 = new Date(T0.getTime() + 16 * 60_000);
    vi.setSystemTime(t16);
    expect(await service(t16).passOnLapsedWaitlistOffers()).toBe(2);
    expect((await offersOf(p1)).map((o) => [o.startMinute, o.outcome])).toEqual([
      [600, "passed"],
      [615, "offered"],
    ]);
    expect((await offersOf(p2)).map((o) => [o.startMinute, o.outcome])).toEqual([
      [615, "expired"],
      [600, "offered"],
    ]);

    // p1 takes 10:15 with 1: booked under the hold, the entry done.
    const taken = await service(t16).takeWaitlistOffer((await offersOf(p1))[1]!.id, p1);
    expect(taken.kind).toBe("booked");
    expect((await waitlistOf(p1))[0]!.status).toBe("booked");

    // The desk: the list for the day, the week's figures, no-store; a doctor may not see it.
    const admin = await addStaff("desk", { clinics: [PUTTUR] });
    const desk = new DeskClient();
    await desk.signIn(admin.username, admin.password);
    const page = await desk.get(`/desk/clinics/${PUTTUR}/waitlist?date=${DATE}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toContain("no-store");
    const html = await page.text();
    expect(html).toContain("+919844400002");
    expect(html).toContain("+919844400003");
    expect(html).not.toContain("+919844400001"); // booked: off the list
    expect(html).toMatch(/This week \d+ freed times? went to the waitlist; \d+ taken/);
    const doctor = await addStaff("doctor", { clinics: [PUTTUR], doctorId: ANIL });
    const doctorDesk = new DeskClient();
    await doctorDesk.signIn(doctor.username, doctor.password);
    expect((await doctorDesk.get(`/desk/clinics/${PUTTUR}/waitlist`)).status).toBe(403);

    // Removing p2 without the form's token changes nothing; with it, p2's held 10:00 is let go.
    const p2Entry = (await waitlistOf(p2))[0]!.id;
    expect((await desk.post(`/desk/clinics/${PUTTUR}/waitlist/${p2Entry}/remove`, {}, { csrf: "forged" })).status).toBe(
      403,
    );
    expect((await waitlistOf(p2))[0]!.status).toBe("waiting");
    const removed = await desk.post(`/desk/clinics/${PUTTUR}/waitlist/${p2Entry}/remove`, {});
    expect(removed.status).toBe(303);
    expect((await waitlistOf(p2))[0]!.status).toBe("removed");
    expect((await offersOf(p2)).at(-1)!.outcome).toBe("withdrawn");
    // p3 was offered 10:00 before and let it lapse: nobody else waits, so the time is free again.
    const claims = await day.claims(t16.getTime());
    expect(claims.some((c) => c.startMinute === 600)).toBe(false);
  });
});
