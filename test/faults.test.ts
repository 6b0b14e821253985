/**
 * Injected faults at every step of a booking call: D1, the doctor-day objects or the job queue
 * throwing (or slow) at each operation in turn. The caller hears either the booking or a clear
 * apology (HTTP 200 TwiML, never a 500); a retry books exactly once; nothing is duplicated;
 * no SMS row is lost.
 */
import { createExecutionContext, evictDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index.ts";
import { database } from "../src/db/client.ts";
import { sweepOutbox } from "../src/sms/outbox.ts";
import type { Job } from "../src/jobs/queue.ts";
import { signedPost, SimulatedCall, type Fetcher } from "../tools/twilio-caller.ts";
import { parseTwiml, twimlProblems } from "../tools/twiml-reader.ts";
import { AUTH_TOKEN, BASE_URL, heard, newCall, overHttp } from "./support/line.ts";
import { faultyEnv, plan, type FaultPlan } from "./support/faults.ts";

const NOW = new Date("2026-12-23T03:30:00Z"); // Wednesday 09:00 IST
let errors: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  // Injected faults are logged on purpose; keep them out of the test output, but check them.
  errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.useRealTimers();
  errors.mockRestore();
});

function fetcherWith(p: FaultPlan): Fetcher {
  return async (url, init) => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(overHttp(url, init), faultyEnv(env, p), ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

let phones = 0;
/** One booking call (clinic 2, next available, book) through a faulty env. */
async function faultyCall(p: FaultPlan) {
  const from = `+9187000${String(++phones).padStart(5, "0")}`;
  const call = new SimulatedCall({ baseUrl: BASE_URL, authToken: AUTH_TOKEN, from, fetch: fetcherWith(p) });
  const turns = [await call.dial()];
  for (const key of ["2", "1", "1"]) {
    if (call.ended) break;
    turns.push(await call.press(key));
  }
  for (const turn of turns)
    for (const r of turn.responses) {
      expect(r.status).toBe(200);
      expect(twimlProblems(parseTwiml(r.body), "voice")).toEqual([]);
    }
  return { call, from, said: turns.map(heard).join(" ") };
}

async function bookingsOf(phone: string) {
  const { results } = await env.DB.prepare(
    `SELECT a.id, a.token, a.status, a.doctor_id, a.local_date, a.starts_at,
            (SELECT count(*) FROM sms_outbox o WHERE o.appointment_id = a.id AND o.purpose = 'booking') AS sms
       FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.phone = ?`,
  )
    .bind(phone)
    .all<{ token: string; status: string; sms: number }>();
  return results;
}

async function noDuplicates() {
  const dupes = await env.DB.prepare(
    "SELECT doctor_id, starts_at FROM appointments WHERE status <> 'cancelled' GROUP BY 1, 2 HAVING count(*) > 1",
  ).all();
  expect(dupes.results).toEqual([]);
}

describe.each(["d1", "durable-object"] as const)("%s throwing at each operation of a call", (kind) => {
  it("the caller hears the booking or an apology; calling again books exactly once", async () => {
    // Count the operations of one clean call, then fail each in turn.
    const probe = plan(kind, Number.MAX_SAFE_INTEGER);
    expect((await faultyCall(probe)).said).toContain("Your appointment is booked");
    expect(probe.seen).toBeGreaterThanOrEqual(2);

    for (let failAt = 1; failAt <= probe.seen; failAt++) {
      const p = plan(kind, failAt);
      const { from, said } = await faultyCall(p);
      expect(p.fired).toBe(true);
      const booked = said.includes("Your appointment is booked");
      if (!booked) {
        expect(said, `fault at ${kind} #${failAt}`).toContain("Sorry, something went wrong on our side");
        // Every fault is logged with the call it hit.
        expect(errors.mock.calls.flat().join(" ")).toMatch(/callSid="CA[0-9a-f]{32}"/);
      }
      const rows = await bookingsOf(from);
      expect(rows.length, `fault at ${kind} #${failAt}: ${said}`).toBe(booked ? 1 : 0);
      if (booked) expect(rows[0]!.sms).toBe(1);

      // The caller calls again (no fault this time): exactly one booking in the end.
      if (!booked) {
        const again = newCall(from);
        await again.dial();
        await again.press("2");
        await again.press("1");
        expect(heard(await again.press("1"))).toContain("Your appointment is booked");
        expect(await bookingsOf(from)).toHaveLength(1);
      }
    }
    await noDuplicates();
  });
});

describe("slow dependencies", () => {
  it.each(["d1", "durable-object"] as const)("a slow %s at every operation still books once", async (kind) => {
    for (const failAt of [1, 3, 5, 8]) {
      const p = plan(kind, failAt, "slow");
      const { from, said } = await faultyCall(p);
      expect(said).toContain("Your appointment is booked");
      expect(await bookingsOf(from)).toHaveLength(1);
    }
  });
});

describe("the job queue failing", () => {
  it("the booking stands, the caller is told an SMS will come, and the sweep queues the rows later", async () => {
    const p = plan("queue", 1);
    const { from, said } = await faultyCall(p);
    expect(p.fired).toBe(true);
    expect(said).toContain("You will receive an SMS");
    const [row] = await bookingsOf(from);
    expect(row).toMatchObject({ status: "booked", sms: 1 });
    const outbox = await env.DB.prepare("SELECT id, status FROM sms_outbox WHERE to_number = ?")
      .bind(from)
      .all<{ id: number; status: string }>();
    expect(outbox.results.map((r) => r.status)).toEqual(["pending"]);

    // A minute later the cron sweep finds the row; no password SMS comes with a booking.
    const jobs: Job[] = [];
    const queue = {
      sendBatch: async (m: { body: Job }[]) => void jobs.push(...m.map((x) => x.body)),
    } as unknown as Queue<Job>;
    await sweepOutbox(database(env.DB), queue, new Date(NOW.getTime() + 2 * 60_000));
    expect(jobs).toContainEqual({ outboxId: outbox.results[0]!.id });
    expect(jobs.filter((job) => "accountFor" in job)).toEqual([]);
  });
});

describe("Twilio retrying a confirm after a fault", () => {
  it("a confirm whose D1 write failed is retried by Twilio and books once, with one token", async () => {
    const from = "+918700099999";
    const call = newCall(from);
    await call.dial();
    await call.press("2");
    const offer = await call.press("1");
    const action = /action="([^"]+)"/.exec(offer.responses.at(-1)!.body)![1]!.replaceAll("&amp;", "&");
    const url = new URL(action, BASE_URL).toString();
    const params = { CallSid: call.callSid, From: from, To: "+15005550006", Digits: "1" };

    const failing = plan("d1", 1, "throw", /D1 batch/);
    const first = await signedPost(fetcherWith(failing), AUTH_TOKEN, url, params);
    expect(failing.fired).toBe(true);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Sorry, something went wrong on our side");
    expect(await bookingsOf(from)).toHaveLength(0);

    // The slot went back to being held for this call, so Twilio's retry books it.
    const retry = await signedPost(fetcherWith(plan("d1", 0)), AUTH_TOKEN, url, params);
    const again = await signedPost(fetcherWith(plan("d1", 0)), AUTH_TOKEN, url, params);
    const tokens = await Promise.all(
      [retry, again].map(async (r) => /Your token is ([A-Z ]+, \d+)/.exec(await r.text())?.[1]),
    );
    expect(tokens[0]).toBeTruthy();
    expect(tokens[1]).toBe(tokens[0]);
    expect(await bookingsOf(from)).toHaveLength(1);
  });
});

describe("a doctor-day object evicted mid-call", () => {
  it("keeps the hold in storage, and the confirm still books it", async () => {
    const call = newCall("+918700088888");
    await call.dial();
    await call.press("2");
    const offer = await call.press("1");
    expect(heard(offer)).toContain("Dr. Anil Bhat can see you");
    const hold = /hold=(\d+)\.([\d-]+)\.(\d+)/.exec(offer.responses.at(-1)!.body)!;
    await evictDurableObject(env.DOCTOR_DAY.getByName(`doctor:${hold[1]}:${hold[2]}`));
    const booked = heard(await call.press("1"));
    expect(booked).toMatch(/Your token is A, \d+\./);
    const { n } = (await env.DB.prepare(
      "SELECT count(*) AS n FROM appointments WHERE call_sid = ? AND doctor_id = ? AND local_date = ?",
    )
      .bind(call.callSid, Number(hold[1]), hold[2])
      .first<{ n: number }>())!;
    expect(n).toBe(1);
  });
});
