/**
 * Round-trip budgets per step, counted by the same probe the benchmark uses: the
 * Worker's bindings wrapped at its entry, a batch is one round trip, calls started while
 * another is in flight share its round. A step over its budget fails here.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { invalidateDirectory } from "../src/db/directory-cache.ts";
import worker from "../src/index.ts";
import type { RoundTripReport } from "../src/round-trips.ts";
import { SimulatedCall, signedPost, type Fetcher } from "../tools/twilio-caller.ts";
import { AUTH_TOKEN, BASE_URL, overHttp } from "./support/line.ts";

const MONDAY_8AM = new Date("2027-03-01T02:30:00Z"); // Monday 08:00 IST

function probed(cacheSeconds: string) {
  const reports: { path: string; report: RoundTripReport }[] = [];
  const probeEnv = { ...env, ROUND_TRIP_PROBE: "on", DIRECTORY_CACHE_SECONDS: cacheSeconds } as Env;
  const fetcher: Fetcher = async (url, init) => {
    const ctx = createExecutionContext();
    // overHttp: with the Content-Length an HTTP client sends (the webhook guard requires it).
    const response = await worker.fetch(overHttp(url, init), probeEnv, ctx);
    await waitOnExecutionContext(ctx);
    reports.push({ path: new URL(url).pathname, report: JSON.parse(response.headers.get("X-Round-Trips")!) });
    return response;
  };
  const call = (from: string) => new SimulatedCall({ baseUrl: BASE_URL, authToken: AUTH_TOKEN, from, fetch: fetcher });
  const last = () => reports.at(-1)!.report;
  return { reports, fetcher, call, last };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(MONDAY_8AM);
});
afterEach(() => vi.useRealTimers());

describe("the whole call, step by step", () => {
  it("with the directory cached: menus 0, welcome 1, offer 3, confirm 3", async () => {
    const { call, last, reports } = probed("600");
    const warm = call("+919700000001");
    await warm.dial(); // fills the isolate's directory
    const c = call("+919700000002");
    await c.dial();
    expect(last().sequential).toBe(1); // the caller's upcoming appointments
    await c.press("1"); // Hampankatta: the booking-type menu
    expect(last()).toMatchObject({ sequential: 0, d1: 0, durableObject: 0 });
    await c.press("1"); // next available -> offer
    expect(last().sequential).toBeLessThanOrEqual(3);
    expect(last().d1).toBe(1); // the booked counts, with the clinic's calendars the first time
    expect(last().durableObject).toBeLessThanOrEqual(2 + 2); // N = 2 doctors: N + 2
    await c.press("2"); // next time
    expect(last().sequential).toBeLessThanOrEqual(3);
    const booked = await c.press("1");
    expect(booked.said.join(" ")).toContain("Your appointment is booked");
    expect(last()).toMatchObject({ durableObject: 1, queue: 1 });
    expect(last().sequential).toBeLessThanOrEqual(3);
    expect(reports.every((r) => r.report.sequential <= 3)).toBe(true);
  });

  it("with a cold directory every step still keeps its budget: menus 1, offer 3, confirm 3", async () => {
    const { call, last } = probed("0");
    const c = call("+919700000003");
    await c.dial();
    expect(last().sequential).toBe(1); // directory and caller, side by side
    await c.press("1");
    expect(last().sequential).toBe(1);
    await c.press("1");
    expect(last().sequential).toBeLessThanOrEqual(3);
    await c.press("1");
    expect(last().sequential).toBeLessThanOrEqual(3);
  });

  it("the speciality path: speciality and doctor menus 0, the offer 3", async () => {
    const { call, last } = probed("600");
    await call("+919700000004").dial();
    const c = call("+919700000005");
    await c.dial();
    await c.press("1");
    await c.press("2"); // by speciality
    expect(last().sequential).toBe(0);
    const offer = await c.press("2"); // Paediatrics: one doctor, offered at once
    expect(offer.said.join(" ")).toContain("Dr. Kiran Rao can see you");
    expect(last().sequential).toBeLessThanOrEqual(2); // one doctor: counts, then hold
    expect(last().durableObject).toBe(1);
  });
});

describe("D1 rows per step (what D1 bills)", () => {
  it("are counted from D1's own result metadata, and a menu step read from the cache reads none", async () => {
    const { call, last, reports } = probed("600");
    invalidateDirectory();
    await call("+919700000011").dial(); // fills the isolate's directory: every clinic and doctor
    expect(reports[0]!.report.rowsRead).toBeGreaterThan(10);
    const c = call("+919700000012");
    await c.dial();
    expect(last().rowsRead).toBeLessThan(20); // the caller's upcoming appointments, by index
    await c.press("1");
    expect(last()).toMatchObject({ rowsRead: 0, rowsWritten: 0 });
    await c.press("1");
    expect((await c.press("1")).said.join(" ")).toContain("Your appointment is booked");
    expect(last().rowsWritten).toBeGreaterThan(0); // the appointment, its patient, its SMS
  });

  it("a cold directory reads no hours or days off: an offer reads its clinic's, in the counts' D1 call", async () => {
    // 300 days off of Puttur's doctor, after the horizon: rows a directory of every calendar reads.
    await env.DB.prepare(
      "INSERT INTO doctor_days_off (doctor_id, local_date, reason) SELECT 3, date('2027-09-01', '+' || value || ' days'), 'leave' FROM json_each(?)",
    )
      .bind(JSON.stringify([...Array(300).keys()]))
      .run();
    const { call, last } = probed("0");
    const c = call("+919700000014");
    await c.dial();
    expect(last().rowsRead).toBeLessThan(100);
    await c.press("2"); // Puttur: one doctor, so the booking-type menu
    expect(last().rowsRead).toBeLessThan(100);
    const offer = await c.press("1"); // next available -> offer
    expect(offer.said.join(" ")).toContain("Dr. Anil Bhat");
    expect(last().rowsRead).toBeGreaterThan(300);
    expect(last()).toMatchObject({ d1: 2 }); // the directory, and the counts with the calendars
    expect(last().sequential).toBeLessThanOrEqual(3);
  });
});

describe("the returning caller", () => {
  it("welcome 1, the choices 1, cancel 3; a move's offer 3 and its confirm 3", async () => {
    const { call, last } = probed("600");
    const phone = "+919700000007";
    const booking = call(phone);
    await booking.dial();
    await booking.press("2"); // Puttur: one doctor
    await booking.press("1");
    await booking.press("1");
    const mover = call(phone);
    expect((await mover.dial()).said.join(" ")).toContain("You have an appointment with Dr. Anil Bhat");
    expect(last().sequential).toBe(1);
    const offer = await mover.press("3"); // move: appointments and booked counts in one batch, then the hold
    expect(offer.said.join(" ")).toContain("To move your appointment to this time, press 1.");
    expect(last().sequential).toBeLessThanOrEqual(3);
    await mover.press("2"); // the next time
    expect(last().sequential).toBeLessThanOrEqual(3);
    expect((await mover.press("1")).said.join(" ")).toContain("Your appointment is moved");
    expect(last()).toMatchObject({ durableObject: 2, queue: 1 }); // confirm the new time, free the old
    expect(last().sequential).toBeLessThanOrEqual(3);

    const canceller = call(phone);
    await canceller.dial();
    await canceller.press("2");
    expect(last().sequential).toBeLessThanOrEqual(1);
    expect((await canceller.press("1")).said.join(" ")).toContain("is cancelled");
    expect(last()).toMatchObject({ durableObject: 1, queue: 1 });
    expect(last().sequential).toBeLessThanOrEqual(3);
  });
});

describe("choosing a day at the offer", () => {
  it("other times and another day at most 1 each, the day's first time 3, afternoon 3, the previous time at most 2", async () => {
    const { call, last } = probed("600");
    await call("+919700000008").dial();
    const c = call("+919700000009");
    await c.dial();
    await c.press("1");
    await c.press("1"); // the first offer
    await c.press("3"); // other times and days: the directory only
    expect(last().sequential).toBeLessThanOrEqual(1);
    await c.press("2");
    expect(last().sequential).toBeLessThanOrEqual(1);
    expect((await c.press("2#")).said.join(" ")).toContain("tomorrow at 9:00 AM");
    expect(last().sequential).toBeLessThanOrEqual(3);
    await c.press("3");
    expect((await c.press("4")).said.join(" ")).toContain("tomorrow at 12:00 PM");
    expect(last().sequential).toBeLessThanOrEqual(3);
    await c.press("3");
    expect((await c.press("1")).said.join(" ")).toContain("tomorrow at 9:00 AM");
    expect(last()).toMatchObject({ durableObject: 1 }); // the time heard before, held again
    expect(last().sequential).toBeLessThanOrEqual(2);
  });
});

describe("SMS", () => {
  it("CANCEL takes at most 3 round trips, STATUS at most 3", async () => {
    const { call, fetcher, last } = probed("600");
    const c = call("+919700000006");
    await c.dial();
    await c.press("4");
    await c.press("1");
    await c.press("1");
    const text = (body: string, sid: string) =>
      signedPost(fetcher, AUTH_TOKEN, `${BASE_URL}/api/sms/incoming/`, {
        MessageSid: sid,
        From: "+919700000006",
        To: "+15005550006",
        Body: body,
      });
    expect(await (await text("STATUS", "SMrt1")).text()).toContain("appointment 1 of 1: Dr.");
    expect(last().sequential).toBeLessThanOrEqual(3);
    expect(await (await text("CANCEL", "SMrt2")).text()).toContain("is cancelled: Dr.");
    expect(last()).toMatchObject({ durableObject: 1 });
    expect(last().sequential).toBeLessThanOrEqual(3);
  });
});

// Filling up to 12 x 30 doctor-days takes a few seconds on a busy 2-core machine.
describe("the offer does not grow with a full calendar", { timeout: 60_000 }, () => {
  let clinicId = 500;

  /** A clinic of N doctors working 09:00-17:00 every day, whose first K days are fully booked. */
  async function fullClinic(doctors: number, fullDays: number): Promise<number> {
    const id = ++clinicId;
    const statements = [
      env.DB.prepare("INSERT INTO clinics (id, district_id, name, address) VALUES (?, 1, ?, 'X')").bind(
        id,
        `Full ${id}`,
      ),
    ];
    const filled: { doctorId: number; date: string }[] = [];
    for (let d = 0; d < doctors; d++) {
      const doctorId = id * 100 + d;
      statements.push(
        env.DB.prepare(
          "INSERT INTO doctors (id, clinic_id, name, specialization_id, token_prefix) VALUES (?, ?, ?, 1, ?)",
        ).bind(doctorId, id, `Dr. Full ${d}`, String.fromCharCode(65 + d)),
        env.DB.prepare("INSERT INTO patients (phone, name) VALUES (?, 'filler')").bind(`+9188${doctorId}`),
        ...[0, 1, 2, 3, 4, 5, 6].map((weekday) =>
          env.DB.prepare(
            "INSERT INTO doctor_hours (doctor_id, weekday, start_minute, end_minute, slot_minutes) VALUES (?, ?, 540, 1020, 15)",
          ).bind(doctorId, weekday),
        ),
      );
      for (let k = 0; k < fullDays; k++) {
        const local = new Date(MONDAY_8AM.getTime() + k * 86_400_000 + 5.5 * 3_600_000).toISOString().slice(0, 10);
        // 32 appointments, 09:00-16:45 IST (03:30-11:15 UTC), as the booking service writes them.
        statements.push(
          env.DB.prepare(
            `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 31)
             INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, source)
             SELECT ?1, ?2, (SELECT id FROM patients WHERE phone = ?3), ?4,
                    strftime('%Y-%m-%dT%H:%M:%fZ', ?4 || 'T03:30:00Z', '+' || (i * 15) || ' minutes'),
                    strftime('%Y-%m-%dT%H:%M:%fZ', ?4 || 'T03:45:00Z', '+' || (i * 15) || ' minutes'),
                    ?5 || '-' || (i + 1), 'ivr' FROM s`,
          ).bind(doctorId, id, `+9188${doctorId}`, local, String.fromCharCode(65 + d)),
        );
        filled.push({ doctorId, date: local });
      }
    }
    await env.DB.batch(statements);
    invalidateDirectory(); // written by hand, not through the booking service
    // Teach each doctor-day object its bookings, as the booking service would have.
    const slots = Array.from({ length: 32 }, (_, i) => ({ startMinute: 540 + i * 15, endMinute: 555 + i * 15 }));
    await Promise.all(
      filled.map(({ doctorId, date }) =>
        env.DOCTOR_DAY.getByName(`doctor:${doctorId}:${date}`).reconcile(slots, 0, 0, MONDAY_8AM.getTime()),
      ),
    );
    return id;
  }

  async function offerAt(clinic: number): Promise<{ report: RoundTripReport; said: string }> {
    const { fetcher } = probed("600");
    const response = await signedPost(
      fetcher,
      AUTH_TOKEN,
      `${BASE_URL}/api/ivr/handle-booking-type/?lang=en&state=1&district=1&clinic=${clinic}`,
      { CallSid: `CAfull${clinic}`, From: `+9197${clinic}0000`, Digits: "1" },
    );
    return { report: JSON.parse(response.headers.get("X-Round-Trips")!), said: await response.text() };
  }

  it.each([
    [1, 0],
    [1, 7],
    [1, 29],
    [6, 0],
    [6, 7],
    [6, 29],
    [12, 0],
    [12, 7],
    [12, 29],
  ])(
    "N = %i doctors, K = %i days full: at most 3 rounds and N + 2 object calls",
    async (n, k) => {
      const clinic = await fullClinic(n, k);
      const { report, said } = await offerAt(clinic);
      expect(said).toContain("can see you");
      expect(report.sequential).toBeLessThanOrEqual(3);
      expect(report.durableObject).toBeLessThanOrEqual(n + 2);
      expect(report.d1).toBeLessThanOrEqual(2);
      // Filling 12 doctors' 29 days (348 objects) takes seconds on a loaded 2-core machine; the
      // assertion is about round trips, not time.
    },
    30_000,
  );

  it("a fully booked horizon answers 'no free time' in at most 2 round trips, every time it is asked", async () => {
    const clinic = await fullClinic(2, 30); // every day of the 30-day horizon
    for (let press = 0; press < 3; press++) {
      const { report, said } = await offerAt(clinic);
      expect(said).toContain("there is no free appointment in the next 30 days");
      expect(report.sequential).toBeLessThanOrEqual(2);
      expect(report.durableObject).toBe(0);
    }
  });
});

describe("everything a booking costs, not only what the caller waits for", () => {
  it("a whole call and its SMS delivery make at most 15 binding calls in all (after-answer work and the queue consumer included)", async () => {
    const { hookedEnv } = await import("../src/round-trips.ts");
    const { createMessageBatch, getQueueResult } = await import("cloudflare:test");
    const { fakeTwilioSms } = await import("./support/line.ts");
    const calls: string[] = [];
    const queued: unknown[] = [];
    const queue = {
      send: async (body: unknown) => void queued.push(body),
      sendBatch: async (messages: { body: unknown; delaySeconds?: number }[]) =>
        void queued.push(...messages.filter((m) => !m.delaySeconds).map((m) => m.body)),
    };
    const counted = hookedEnv(
      { ...env, DIRECTORY_CACHE_SECONDS: "600", JOBS: queue } as unknown as Env,
      (_hop, label, call) => {
        calls.push(label);
        return call();
      },
    );
    const fetcher: Fetcher = async (url, init) => {
      const ctx = createExecutionContext();
      const response = await worker.fetch(overHttp(url, init), counted, ctx);
      await waitOnExecutionContext(ctx); // the call log and the hold, written after the answer
      return response;
    };
    const call = (from: string) =>
      new SimulatedCall({ baseUrl: BASE_URL, authToken: AUTH_TOKEN, from, fetch: fetcher });
    await call("+919700000090").dial(); // fills the isolate's directory
    calls.length = 0;
    queued.length = 0;

    const sent = fakeTwilioSms();
    const c = call("+919700000091");
    await c.dial();
    await c.press("1"); // Hampankatta (two doctors)
    await c.press("1"); // next available
    expect((await c.press("1")).said.join(" ")).toContain("Your appointment is booked");
    // The booking SMS, delivered as the queue would hand it over.
    expect(queued).toHaveLength(1);
    const batch = createMessageBatch("clinic-sms-outbox", [
      { id: "m1", timestamp: new Date(), attempts: 1, body: queued[0] },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, counted, ctx);
    await getQueueResult(batch, ctx);
    expect(sent.filter((m) => m.To === "+919700000091")).toHaveLength(1);
    // Each is a network hop in production and most of a booking's local CPU (README, local cost):
    // welcome 1 + call log 4 (the offer's with its hold) + offer 4 (counts, 2 peeks, hold)
    // + confirm 3 (object, batch, queue) + delivery 3 (claim, daily budget, settle) = 15.
    expect(calls.length, calls.join(", ")).toBeLessThanOrEqual(15);
  });
});
