/**
 * A caller who already has appointments: the welcome says the next one and offers to hear
 * them all, cancel one (with a confirmation key), move one, or book a new one. Every change
 * goes through the booking service; a freed time is offered to the next caller.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeTwilioSms, heard, lineWith, newCallOn } from "./support/line.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const line = lineWith({});
const call = (from: string) => newCallOn(line, from);
// Thursday 14 January 2027, 09:00 in Kolkata (D1 and the objects are shared by the test files: a day of its own).
const THURSDAY_9AM_IST = new Date("2027-01-14T03:30:00Z");
const PUTTUR = "2"; // Puttur Town Clinic: one doctor, Dr. Anil Bhat (token prefix A)

async function book(from: string, presses: string[] = []): Promise<string> {
  const c = call(from);
  await c.dial();
  for (const key of [...presses, PUTTUR, "1"]) await c.press(key);
  const booked = heard(await c.press("1"));
  expect(booked).toContain("Your appointment is booked");
  return booked;
}

async function statusOf(from: string) {
  const { results } = await env.DB.prepare(
    `SELECT a.id, a.token, a.status, a.starts_at, a.moved_to FROM appointments a JOIN patients p ON p.id = a.patient_id
      WHERE p.phone = ? ORDER BY a.id`,
  )
    .bind(from)
    .all<{ id: number; token: string; status: string; starts_at: string; moved_to: number | null }>();
  return results;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(THURSDAY_9AM_IST);
});
afterEach(() => vi.useRealTimers());

describe("a returning caller", () => {
  it("hears the next appointment, cancels it after a confirmation key, and the time goes to the next caller", async () => {
    const sms = fakeTwilioSms();
    const phone = "+919822200001";
    await book(phone);

    const again = call(phone);
    const welcome = heard(await again.dial());
    expect(welcome).toContain(
      "You have an appointment with Dr. Anil Bhat at Puttur Town Clinic, today at 9:15 AM. Your token is A, 2.",
    );
    expect(welcome).toContain(
      "To hear all your appointments, press 1. To cancel an appointment, press 2. To move an appointment to another time, press 3. To book a new appointment, press 4.",
    );
    const confirm = heard(await again.press("2"));
    expect(confirm).toBe(
      "To cancel your appointment with Dr. Anil Bhat, today at 9:15 AM, press 1. To keep it, press 2.",
    );
    // A wrong key asks again; nothing is cancelled yet.
    expect(heard(await again.press("7"))).toContain(
      "Sorry, that is not one of the choices. To cancel your appointment",
    );
    expect((await statusOf(phone))[0]).toMatchObject({ status: "booked" });

    const done = await again.press("1");
    expect(heard(done)).toBe(
      "Your appointment with Dr. Anil Bhat at Puttur Town Clinic, today at 9:15 AM, token A, 2, is cancelled. That time is now free for others. You will receive an SMS. Thank you for calling. Goodbye.",
    );
    expect(done.ended).toBe(true);
    expect(await statusOf(phone)).toMatchObject([{ status: "cancelled", token: "A-2" }]);
    // The SMS goes out through the queue in the background: on a busy 2-core machine that can take over a second.
    await vi.waitFor(
      () =>
        expect(sms.map((m) => m.Body)).toContain(
          "Cancelled: A-2, Dr. Anil Bhat, Puttur Town Clinic, 14-01-2027 09:15. The time is now free for others.",
        ),
      BACKGROUND_WAIT,
    );

    // vi.waitFor advances the fake clock while it waits: back to 09:00, so 9:15 is still ahead.
    vi.setSystemTime(THURSDAY_9AM_IST);
    const next = call("+919822200002");
    await next.dial();
    await next.press(PUTTUR);
    expect(heard(await next.press("1"))).toContain("Dr. Anil Bhat can see you today at 9:15 AM.");
    await next.press("3");
  });

  it("with several appointments, hears them all and picks one by day, time and doctor; 2 keeps it", async () => {
    const phone = "+919822200003";
    await book(phone);
    await book(phone, ["4"]); // the second call starts at the returning caller's menu: 4 books a new one
    const c = call(phone);
    const welcome = heard(await c.dial());
    expect(welcome).toMatch(
      /You have 2 upcoming appointments\. The next one is with Dr\. Anil Bhat at Puttur Town Clinic, today at [\d:]+ AM, token A, \d+\./,
    );
    const all = heard(await c.press("1"));
    expect(all).toMatch(
      /^Appointment 1: Dr\. Anil Bhat at Puttur Town Clinic, today at .*Appointment 2: Dr\. Anil Bhat at Puttur Town Clinic, today at .* To hear all your appointments, press 1\./,
    );
    const which = heard(await c.press("2"));
    expect(which).toMatch(
      /^Which appointment do you want to cancel\? For Dr\. Anil Bhat, today at [\d:]+ AM, press 1\. For Dr\. Anil Bhat, today at [\d:]+ AM, press 2\.$/,
    );
    const second = /press 1\. For Dr\. Anil Bhat, (today at [\d:]+ AM), press 2/.exec(which)![1];
    expect(heard(await c.press("2"))).toContain(`To cancel your appointment with Dr. Anil Bhat, ${second}, press 1.`);
    const kept = heard(await c.press("2"));
    expect(kept).toContain("Your appointment stays as it is. To hear all your appointments, press 1.");
    expect((await statusOf(phone)).map((a) => a.status)).toEqual(["booked", "booked"]);
  });

  it("at the phone's limit can still hear and cancel, but 4 says the limit and asks again", async () => {
    const phone = "+919822200004";
    await env.DB.prepare("INSERT INTO patients (phone, name) VALUES (?, 'P')").bind(phone).run();
    for (let i = 0; i < 4; i++)
      await env.DB.prepare(
        `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source)
         SELECT 3, 2, id, '2027-01-2${i}', '2027-01-2${i}T04:00:00.000Z', '2027-01-2${i}T04:15:00.000Z', 'A-${5 + i}', 'booked', 'ivr'
           FROM patients WHERE phone = ?`,
      )
        .bind(phone)
        .run();
    const c = call(phone);
    expect(heard(await c.dial())).toContain("You have 4 upcoming appointments.");
    const refused = await c.press("4");
    expect(heard(refused)).toBe(
      "This phone number already has 4 upcoming appointments, the most we allow. To book another, first cancel one. To hear all your appointments, press 1. To cancel an appointment, press 2. To move an appointment to another time, press 3. To book a new appointment, press 4. To speak to the clinic's reception, press 0.",
    );
    expect(refused.ended).toBe(false);
  });

  it("a caller without appointments goes straight to the booking menus", async () => {
    const welcome = heard(await call("+919822200005").dial());
    expect(welcome).not.toContain("You have");
    expect(welcome).toContain("Please choose a clinic.");
  });
});
