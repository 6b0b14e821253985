/**
 * Moving an appointment by phone: the new appointment and the cancellation of the old one are
 * one change. With a fault injected at each write, the move happens entirely or not at all,
 * and the caller is told which; one SMS says old -> new; the old time is bookable again.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index.ts";
import { SimulatedCall, type Fetcher } from "../tools/twilio-caller.ts";
import { faultyEnv, plan, type FaultPlan } from "./support/faults.ts";
import { AUTH_TOKEN, BASE_URL, fakeTwilioSms, choose, heard, overHttp } from "./support/line.ts";
import { expectOneTruth } from "./support/clinic.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

// Friday 15 January 2027, 09:00 in Kolkata (D1 and the objects are shared by the test files: a day of its own).
const FRIDAY_9AM_IST = new Date("2027-01-15T03:30:00Z");
const PUTTUR = "2"; // Puttur Town Clinic: Dr. Anil Bhat (token prefix A)

/** Calls whose requests go through `fault.current` (none: the plain Worker). */
const fault: { current: FaultPlan | null } = { current: null };
const line: Fetcher = async (url, init) => {
  const ctx = createExecutionContext();
  const bindings = fault.current ? faultyEnv(env, fault.current) : env;
  const response = await worker.fetch(overHttp(url, init), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
};
const call = (from: string) => new SimulatedCall({ baseUrl: BASE_URL, authToken: AUTH_TOKEN, from, fetch: line });

let errors: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(FRIDAY_9AM_IST);
  fault.current = null;
});
afterEach(() => vi.useRealTimers());

async function rowsOf(phone: string) {
  const { results } = await env.DB.prepare(
    `SELECT a.id, a.token, a.status, a.starts_at, a.moved_to FROM appointments a JOIN patients p ON p.id = a.patient_id
      WHERE p.phone = ? ORDER BY a.id`,
  )
    .bind(phone)
    .all<{ id: number; token: string; status: string; starts_at: string; moved_to: number | null }>();
  return results;
}

/** Books the first free time at `clinicKey` for a new phone, then calls again and asks to move it. */
async function upToMoveOffer(phone: string, clinicKey = PUTTUR) {
  const first = call(phone);
  await first.dial();
  await first.press(clinicKey);
  await first.press("1");
  expect(heard(await first.press("1"))).toContain("Your appointment is booked");
  const c = call(phone);
  await c.dial();
  const offer = await c.press("3");
  return { c, offer: heard(offer) };
}

describe("moving an appointment", () => {
  it("offers the doctor's next free time; on confirm the old is cancelled and the new booked in one change, with one SMS", async () => {
    const sms = fakeTwilioSms();
    const phone = "+919833300001";
    const { c, offer } = await upToMoveOffer(phone);
    expect(offer).toBe(
      "Dr. Anil Bhat can see you today at 9:30 AM. To move your appointment to this time, press 1. To hear the next available time, press 2. For other times and days, press 3. To keep your appointment as it is, press 4. To speak to the clinic's reception, press 0.",
    );
    const later = heard(await c.press("2"));
    expect(later).toContain("Dr. Anil Bhat can see you today at 9:45 AM.");
    const moved = await c.press("1");
    expect(heard(moved)).toBe(
      "Your appointment is moved to Dr. Anil Bhat, today at 9:45 AM. Your new token is A, 4. Again, your new token is A, 4. Your old time is now free for others. You will receive an SMS with these details. Thank you for calling. Goodbye.",
    );
    const [old, now] = await rowsOf(phone);
    expect(old).toMatchObject({ status: "cancelled", token: "A-2", moved_to: now!.id });
    expect(now).toMatchObject({ status: "booked", token: "A-4", starts_at: "2027-01-15T04:15:00.000Z" });
    await vi.waitFor(
      () =>
        expect(sms.filter((m) => m.Body.includes("your new token"))).toEqual([
          expect.objectContaining({
            To: phone,
            Body: "Token A-4 is your new token, in place of A-2: Dr. Anil Bhat, Puttur Town Clinic, on 15-01-2027 at 9:45 AM. To cancel, reply CANCEL A-4.",
          }),
        ]),
      BACKGROUND_WAIT,
    );
    // The old time is bookable again (vi.waitFor advanced the fake clock: back to 09:00).
    vi.setSystemTime(FRIDAY_9AM_IST);
    const next = call("+919833300002");
    await next.dial();
    await next.press(PUTTUR);
    expect(heard(await next.press("1"))).toContain("Dr. Anil Bhat can see you today at 9:15 AM.");
    await next.press("3");
    await expectOneTruth(2);
  });

  it("4 keeps the appointment as it is and lets go of the offered time", async () => {
    const phone = "+919833300003";
    const { c } = await upToMoveOffer(phone);
    const kept = await c.press("4");
    expect(heard(kept)).toBe("Your appointment stays as it is. Thank you for calling. Goodbye.");
    expect((await rowsOf(phone)).map((r) => r.status)).toEqual(["booked"]);
  });

  it("other times and days, 1: any doctor of the same clinic and speciality (before any earlier time was heard)", async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO clinics (id, district_id, name, address) VALUES (81, 1, 'Two GP Clinic', 'X')"),
      env.DB.prepare(
        "INSERT INTO doctors (id, clinic_id, name, specialization_id, token_prefix) VALUES (811, 81, 'Dr. Asha Rai', 1, 'AR'), (812, 81, 'Dr. Bhavya Hegde', 1, 'BH')",
      ),
    ]);
    const phone = "+919833300004";
    const first = call(phone);
    await choose(first, await first.dial(), "Two GP Clinic");
    await first.press("2"); // by speciality: General Physician is its only one, so the doctor menu
    const doctors = heard(await first.press("2")); // Dr. Asha Rai
    expect(doctors).toContain("Dr. Asha Rai can see you today at 9:15 AM.");
    await first.press("1");
    // Dr. Asha Rai's next time is 9:30; Dr. Bhavya Hegde is free at 9:15.
    const c = call(phone);
    await c.dial();
    const offer = heard(await c.press("3"));
    expect(offer).toContain("Dr. Asha Rai can see you today at 9:30 AM.");
    expect(offer).not.toContain("any General Physician");
    const others = heard(await c.press("3"));
    expect(others).toBe(
      "For another day, press 2. For the morning, press 3. For the afternoon or evening, press 4. To hear the earliest time with any General Physician doctor of this clinic, press 1.",
    );
    const any = heard(await c.press("1"));
    expect(any).toContain("Dr. Bhavya Hegde can see you today at 9:15 AM.");
    const moved = heard(await c.press("1"));
    expect(moved).toContain(
      "Your appointment is moved to Dr. Bhavya Hegde, today at 9:15 AM. Your new token is B H, 2.",
    );
    await expectOneTruth(81);
  });
});

let faultPhones = 100;
describe("a fault at each write of a move", () => {
  // Injected faults are logged on purpose; keep them out of the output.
  beforeEach(() => {
    errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
  });
  afterEach(() => errors.mockRestore());

  it.each<[string, "moved" | "not moved", () => FaultPlan]>([
    ["the directory read (before anything changed)", "not moved", () => plan("d1", 1, "throw", /D1 batch/)],
    ["the new time's object confirming", "not moved", () => plan("durable-object", 1, "throw", /confirm/)],
    // The first batch of the step reads the directory (DIRECTORY_CACHE_SECONDS=0); the second is the move.
    ["the D1 batch", "not moved", () => plan("d1", 2, "throw", /D1 batch/)],
    ["freeing the old time", "moved", () => plan("durable-object", 1, "throw", /free/)],
    ["queueing the SMS", "moved", () => plan("queue", 1, "throw")],
  ])("at %s: %s entirely, and the caller is told so", async (_where, expected, makePlan) => {
    // Each case at its own phone; the times it leaves are cancelled and freed at the end.
    const phone = `+9198333${String(++faultPhones).padStart(5, "0")}`;
    const { c } = await upToMoveOffer(phone);
    const p = makePlan();
    fault.current = p;
    const answer = await c.press("1");
    fault.current = null;
    expect(p.fired).toBe(true);
    for (const r of answer.responses) expect(r.status).toBe(200);
    const rows = await rowsOf(phone);
    if (expected === "moved") {
      expect(heard(answer)).toContain("Your appointment is moved to Dr. Anil Bhat");
      expect(rows.map((r) => r.status)).toEqual(["cancelled", "booked"]);
      expect(rows[0]!.moved_to).toBe(rows[1]!.id);
    } else if (p.failAt === 1 && p.on === "d1") {
      expect(heard(answer)).toContain("Sorry, something went wrong on our side and your request was not completed.");
      expect(rows.map((r) => r.status)).toEqual(["booked"]);
    } else {
      expect(heard(answer)).toMatch(
        /^Sorry, your appointment could not be moved\. It is still with Dr\. Anil Bhat, today at [\d:]+ AM\./,
      );
      expect(rows.map((r) => r.status)).toEqual(["booked"]);
    }
    // The reconcile repairs what a failed free left behind; then D1 and the objects agree.
    vi.setSystemTime(FRIDAY_9AM_IST.getTime() + 10 * 60_000);
    const { reconcileSlots } = await import("../src/booking/reconcile.ts");
    const { database } = await import("../src/db/client.ts");
    const { readConfig } = await import("../src/config.ts");
    await reconcileSlots(database(env.DB), env.DOCTOR_DAY, readConfig(env), new Date(), 0);
    await expectOneTruth(2);
    // Cancel whatever this test left, so the next one starts from the same free times.
    await env.DB.prepare(
      "UPDATE appointments SET status = 'cancelled' WHERE patient_id = (SELECT id FROM patients WHERE phone = ?)",
    )
      .bind(phone)
      .run();
    await reconcileSlots(database(env.DB), env.DOCTOR_DAY, readConfig(env), new Date(), 0);
  });
});
