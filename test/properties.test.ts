/**
 * Property-based fuzzing of every Twilio-facing route (fast-check, fixed seed, bounded runs).
 * Whatever a correctly signed request carries, the answer is 200 TwiML that Twilio accepts or a
 * 4xx; never a 5xx; and nothing is booked or cancelled that should not be.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { IVR_PATHS } from "../src/ivr/flow.ts";
import { parseTwiml, twimlProblems } from "../tools/twiml-reader.ts";
import { BASE_URL, heard, newCall, post, workerFetch } from "./support/line.ts";

export const SEED = 20261124;
export const ROUTE_RUNS = 300;
export const WALK_RUNS = 60;
export const CONTENT_RUNS = 100;

const ROUTES = [
  ...Object.values(IVR_PATHS),
  "/api/sms/incoming/",
  "/api/sms/status/",
  "/api/ivr/reason/",
  "/api/ivr/recording-status/",
];
const BYSTANDERS = ["+917700000001", "+917700000002", "+917700000003"];

async function bystanderRows() {
  const { results } = await env.DB.prepare(
    `SELECT a.id, a.status, a.starts_at, a.local_date FROM appointments a JOIN patients p ON p.id = a.patient_id
      WHERE p.phone IN (?, ?, ?) ORDER BY a.id`,
  )
    .bind(...BYSTANDERS)
    .all();
  return results;
}

let bystanders: unknown[] = [];
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-12-16T03:30:00Z")); // Wednesday 09:00 IST
  for (const [i, phone] of BYSTANDERS.entries()) {
    const call = newCall(phone);
    await call.dial();
    await call.press(String(i + 1));
    await call.press("1");
    expect(heard(await call.press("1"))).toContain("Your appointment is booked");
  }
  bystanders = await bystanderRows();
  expect(bystanders).toHaveLength(3);
});
afterAll(() => vi.useRealTimers());

const digits = fc.oneof(
  fc.constantFrom("", "1", "2", "3", "9", "0", "*", "#", "12", "1#", "٣"),
  fc.stringMatching(/^[0-9*#]{1,30}$/),
  fc.string({ maxLength: 40, unit: "grapheme" }),
);
const queryValue = fc.oneof(
  fc.integer({ min: -5, max: 2000 }).map(String),
  fc.constantFrom(
    "1",
    "2",
    "999",
    "0",
    "abc",
    "1.2026-12-16.3",
    "3.2026-12-16.2",
    "1.2020-01-01.1",
    "1.2026-02-30.1",
    "en",
    "kn",
    "hi",
    "xx",
    "KS-2",
  ),
  fc.string({ maxLength: 20 }),
);
const query = fc.dictionary(
  fc.constantFrom(
    "lang",
    "state",
    "district",
    "clinic",
    "spec",
    "doctor",
    "hold",
    "page",
    "tries",
    "sw",
    "token",
    "outbox",
    "appointment",
    "via",
    "junk",
  ),
  queryValue,
  { maxKeys: 6 },
);
const fromNumber = fc.oneof(
  fc.constantFrom("+919876543210", "9876543210", " 919876543210", "anonymous", "client:alice", "", "+1"),
  fc.integer({ min: 8800000000, max: 8899999999 }).map((n) => `+91${n}`),
);
const params = fc.record(
  {
    From: fromNumber,
    To: fc.constantFrom("+15005550006", ""),
    Digits: digits,
    SpeechResult: fc.oneof(
      fc.constantFrom("one", "yes", "again", "हाँ", "ಒಂದು", "Puttur Town Clinic", "ಪುತ್ತೂರು", " । "),
      fc.constantFrom("chest pain", "ಎದೆ ನೋವು", ""),
      fc.string({ maxLength: 60, unit: "grapheme" }),
      fc.string({ maxLength: 200 }),
    ),
    Confidence: fc.constantFrom("0.9", "0.1", "", "x", "NaN", "-1"),
    Body: fc.oneof(
      fc.constantFrom("CANCEL", "cancel KS-2", "STATUS", "LIST", " Cancel. "),
      fc.string({ maxLength: 200 }),
    ),
    MessageStatus: fc.constantFrom("queued", "sent", "delivered", "undelivered", "failed", "weird"),
    ErrorCode: fc.constantFrom("30005", "", "x"),
    Extra: fc.string({ maxLength: 30 }),
    RecordingSid: fc.constantFrom("RE00000000000000000000000000000001", "RE1", "../x"),
    RecordingStatus: fc.constantFrom("completed", "absent", "failed"),
    RecordingDuration: fc.constantFrom("0", "5", "-1", "x"),
  },
  { requiredKeys: [] },
);

describe("every route, any signed input", () => {
  it(`answers 200 valid TwiML or a 4xx, never books or cancels by accident (${ROUTE_RUNS} runs)`, async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM appointments").first<{ n: number }>();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.boolean(),
        query,
        params,
        fc.boolean(),
        async (route, slash, q, p, withSid) => {
          const path = slash ? route : route.replace(/\/$/, "");
          const search = new URLSearchParams(q).toString();
          const callSid = `CAfuzz${++n}`;
          const body: Record<string, string> = { ...(p as Record<string, string>) };
          if (withSid) Object.assign(body, { CallSid: callSid, MessageSid: `SMfuzz${n}` });
          const res = await post(`${path}${search ? `?${search}` : ""}`, body);
          expect(res.status).toBeLessThan(500);
          const text = await res.text();
          if (res.status === 200 && !route.includes("status")) {
            expect(res.headers.get("content-type")).toContain("text/xml");
            expect(twimlProblems(parseTwiml(text), route.includes("/sms/") ? "messaging" : "voice")).toEqual([]);
          } else {
            expect([200, 204, 400, 404]).toContain(res.status);
          }
          // A fresh CallSid holds nothing, so nothing can have been booked for it.
          const made = await env.DB.prepare("SELECT count(*) AS n FROM appointments WHERE call_sid = ?")
            .bind(callSid)
            .first<{ n: number }>();
          expect(made!.n).toBe(0);
        },
      ),
      { seed: SEED, numRuns: ROUTE_RUNS },
    );
    const after = await env.DB.prepare("SELECT count(*) AS n FROM appointments").first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
    expect(await bystanderRows()).toEqual(bystanders);
  });

  it(`refuses anything that is not a signed form post (${CONTENT_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.constantFrom("application/json", "text/plain", "multipart/form-data; boundary=x", "", "application/xml"),
        fc.string({ maxLength: 300 }),
        fc.option(fc.base64String({ minLength: 28, maxLength: 28 })),
        async (route, contentType, body, signature) => {
          const res = await workerFetch(`${BASE_URL}${route}`, {
            method: "POST",
            headers: {
              ...(contentType ? { "Content-Type": contentType } : {}),
              ...(signature ? { "X-Twilio-Signature": signature } : {}),
            },
            body,
          });
          expect([403, 415]).toContain(res.status);
        },
      ),
      { seed: SEED, numRuns: CONTENT_RUNS },
    );
    expect(await bystanderRows()).toEqual(bystanders);
  });
});

describe("random callers", () => {
  it(`any sequence of keys and silences ends the call within bounds, books at most once, with valid TwiML (${WALK_RUNS} runs)`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("1", "1", "1", "2", "3", "5", "9", "0", "*", "#", ""), { maxLength: 25 }),
        async (keys) => {
          const call = newCall(`+91880${String(++n).padStart(7, "0")}`);
          const turns = [await call.dial()];
          for (const key of keys) {
            if (call.ended) break;
            turns.push(await call.press(key));
          }
          for (const turn of turns) {
            for (const r of turn.responses) {
              expect(r.status).toBe(200);
              expect(twimlProblems(parseTwiml(r.body), "voice")).toEqual([]);
            }
          }
          const said = turns.map(heard).join(" ");
          const booked = (said.match(/Your appointment is booked/g) ?? []).length;
          const rows = await env.DB.prepare("SELECT count(*) AS n FROM appointments WHERE call_sid = ?")
            .bind(call.callSid)
            .first<{ n: number }>();
          expect(booked).toBeLessThanOrEqual(1);
          expect(rows!.n).toBe(booked);
          // The third miss in a row ends the call (a goodbye, not a third re-prompt), so a call
          // can never go round forever.
          let streak = 0;
          for (const turn of turns.slice(1)) {
            streak = /not one of the choices|did not hear a choice/.test(heard(turn)) ? streak + 1 : 0;
            expect(streak).toBeLessThanOrEqual(2);
          }
          if (/we could not get your choice/.test(said)) expect(call.ended).toBe(true);
        },
      ),
      { seed: SEED, numRuns: WALK_RUNS },
    );
    expect(await bystanderRows()).toEqual(bystanders);
  });
});
