/**
 * Whole calls, followed through the TwiML as Twilio follows it, from the Voice URL to a
 * token and an SMS.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeTwilioSms, heard, newCall, post } from "./support/line.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

// Wednesday 25 November 2026, 09:00 in Kolkata.
const WEDNESDAY_9AM_IST = new Date("2026-11-25T03:30:00Z");

async function appointmentsFor(phone: string) {
  const { results } = await env.DB.prepare(
    `SELECT a.* FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.phone = ? ORDER BY a.id`,
  )
    .bind(phone)
    .all<Record<string, unknown>>();
  return results;
}

describe("a caller books the next available doctor", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(WEDNESDAY_9AM_IST);
  });
  afterEach(() => vi.useRealTimers());

  it("walks welcome -> clinic -> next available -> confirm, hears a token and gets SMS", async () => {
    const sms = fakeTwilioSms();
    const call = newCall("+919876500001");

    const welcome = await call.dial();
    expect(heard(welcome)).toContain("Welcome to the clinic appointment line.");
    expect(heard(welcome)).toContain("The state is Karnataka.");
    expect(heard(welcome)).toContain("The district is Dakshina Kannada.");
    // Four clinics a page: 9 hears the fifth, and from the last page 9 starts again.
    expect(heard(welcome)).toContain("For Hampankatta Family Clinic, press 1.");
    expect(heard(welcome)).toContain("For Ullal Seaside Clinic, press 4. For more choices, press 9.");
    const more = await call.press("9");
    expect(heard(more)).toBe(
      "Please choose a clinic. For Moodbidri Care Clinic, press 1. To hear the choices from the start, press 9.",
    );
    const first = await call.press("9");
    expect(heard(first)).toContain("For Hampankatta Family Clinic, press 1.");

    const bookingType = await call.press("1");
    expect(heard(bookingType)).toContain("For the next available doctor, press 1.");

    const offer = await call.press("1");
    // 09:00 now + 15 minutes lead: the 09:15 slot; both doctors are free, the lower id wins.
    expect(heard(offer)).toContain("Dr. Kavya Shetty can see you today at 9:15 AM.");

    const booked = await call.press("1");
    expect(heard(booked)).toContain("Your token is K S, 2.");
    expect(heard(booked)).toContain("You will receive an SMS");
    expect(heard(booked)).toContain("To hear your token again, press star.");
    // Star says the token again; then the reason for the visit is asked, skippable.
    const again = await call.press("*");
    expect(heard(again)).toBe(
      "Your token is K S, 2. So the doctor knows before you come, please tell us in a few words what the trouble is. To skip this, press the hash key.",
    );
    expect(again.ended).toBe(false);
    const skipped = await call.press(undefined);
    expect(skipped.ended).toBe(true);
    expect(heard(skipped)).toBe("Thank you for calling. Goodbye.");

    const [appointment] = await appointmentsFor("+919876500001");
    expect(appointment).toMatchObject({
      doctor_id: 1,
      clinic_id: 1,
      local_date: "2026-11-25",
      starts_at: "2026-11-25T03:45:00.000Z",
      ends_at: "2026-11-25T04:00:00.000Z",
      token: "KS-2",
      status: "booked",
      source: "ivr",
      call_sid: call.callSid,
    });

    // One SMS: the booking. A booking texts no password (the patient page sends one on request).
    await vi.waitFor(() => expect(sms).toHaveLength(1), BACKGROUND_WAIT);
    const bodies = sms.map((m) => m.Body);
    expect(bodies).toEqual([
      // An SMS is read later: an absolute date, never "today".
      "Token KS-2: booked with Dr. Kavya Shetty, Hampankatta Family Clinic, on 25-11-2026 at 9:15 AM. To cancel, reply CANCEL KS-2.",
    ]);
    expect(sms.every((m) => m.To === "+919876500001" && m.From === env.TWILIO_PHONE_NUMBER)).toBe(true);
    const account = await env.DB.prepare("SELECT 1 FROM patient_accounts WHERE login = ?")
      .bind("+919876500001")
      .first();
    expect(account).toBeNull();
  });
});

describe("booking by speciality", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-27T10:40:00Z")); // Friday 16:10 IST: today's last slots are gone
  });
  afterEach(() => vi.useRealTimers());

  it("offers the one doctor of a speciality directly, tomorrow at 9:00, with a two-letter token", async () => {
    const call = newCall("+919876500002");
    await call.dial();
    await call.press("1"); // Hampankatta Family Clinic
    const specs = await call.press("2");
    expect(heard(specs)).toContain(
      "Please choose the kind of doctor you need. For General Physician, press 1. For Paediatrics, press 2.",
    );
    const offer = await call.press("2");
    // 16:10 + 15 min lead leaves only 16:30 and 16:45 today.
    expect(heard(offer)).toContain("Dr. Kiran Rao can see you today at 4:30 PM.");
    const later = await call.press("2");
    expect(heard(later)).toContain("Dr. Kiran Rao can see you today at 4:45 PM.");
    const tomorrow = await call.press("2");
    expect(heard(tomorrow)).toContain("Dr. Kiran Rao can see you tomorrow at 9:00 AM.");
    const booked = await call.press("1");
    expect(heard(booked)).toContain(
      "Your appointment is booked with Dr. Kiran Rao, tomorrow at 9:00 AM. Your token is K R, 1.",
    );
  });

  it("offers 'the earliest of this speciality' when it has several doctors", async () => {
    await env.DB.prepare(
      "INSERT OR IGNORE INTO doctors (id, clinic_id, name, specialization_id) VALUES (90, 1, 'Dr. Ganesh Kamath', 2)",
    ).run();
    try {
      const call = newCall("+919876500003");
      await call.dial();
      await call.press("1");
      await call.press("2");
      const doctors = await call.press("2");
      expect(heard(doctors)).toContain(
        "Please choose a doctor. For the earliest available Paediatrics doctor, press 1. For Dr. Kiran Rao, press 2. For Dr. Ganesh Kamath, press 3.",
      );
      const offer = await call.press("1");
      // The previous call let go of 16:30 and 16:45 when it asked for later times, so 16:30 is
      // free for both paediatricians; the tie goes to the lower id, Dr. Kiran Rao.
      expect(heard(offer)).toContain("Dr. Kiran Rao can see you today at 4:30 PM.");
      const next = await call.press("2");
      expect(heard(next)).toContain("today at 4:45 PM.");
      await call.press("3");
    } finally {
      await env.DB.prepare("UPDATE doctors SET active = 0 WHERE id = 90").run();
    }
  });
});

describe("a clinic with no doctors", () => {
  it("is not listed; a URL that still names it leads back to the clinics that can book", async () => {
    await env.DB.prepare(
      "INSERT OR IGNORE INTO clinics (id, district_id, name, address) VALUES (60, 1, 'Surathkal New Clinic', 'Surathkal')",
    ).run();
    const call = newCall("+919876500004");
    const welcome = await call.dial();
    expect(heard(welcome)).not.toContain("Surathkal");
    expect(heard(await call.press("9"))).not.toContain("Surathkal");
    expect(heard(await call.press("2"))).toContain("Sorry, that is not one of the choices.");

    // A stale URL that names the clinic (its last doctor left while the caller listened).
    const stale = await post("/api/ivr/handle-clinic/?lang=en&state=1&district=1", {
      CallSid: "CAstale-clinic",
      From: "+919876500004",
      Digits: "1",
    });
    expect(await stale.text()).toContain("Hampankatta Family Clinic");
    const back = await post("/api/ivr/handle-booking-type/?lang=en&state=1&district=1&clinic=60", {
      CallSid: "CAstale-clinic",
      From: "+919876500004",
      Digits: "1",
    });
    const said = await back.text();
    expect(said).toContain("Sorry, that is not one of the choices.");
    expect(said).toContain("For Hampankatta Family Clinic, press 1.");
    expect(said).not.toContain("Surathkal");
  });
});
