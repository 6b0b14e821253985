/**
 * Logs leave the clinic, so they must never carry a patient's full phone number or the words
 * of an SMS (in either direction). Every console line written while representative flows run
 * (a booking call, SMS STATUS/CANCEL/free text, deliveries with Twilio failing, a D1 fault on
 * a text about health, log mode, a configuration error, the budget alert) is captured and
 * searched for them.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import worker from "../src/index.ts";
import { describeError, redactPhones } from "../src/log.ts";
import { deliverOne } from "../src/sms/outbox.ts";
import { computeSignature } from "../src/twilio/signature.ts";
import { mockServer } from "./setup.ts";
import { faultyEnv, plan } from "./support/faults.ts";
import { AUTH_TOKEN, BASE_URL, fakeTwilioSms, heard, newCall, overHttp, post } from "./support/line.ts";
import { addOutboxRow, outboxFor } from "./support/outbox.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const db = database(env.DB);
const config = readConfig(env);
const CALLER = "+919800003001";
const OTHER = "+919800003002";
const HEALTH_TEXT = "I am pregnant and bleeding, is the doctor in";
const METHODS = ["log", "info", "warn", "error", "debug"] as const;
const captured: string[] = [];

/** Everything a console argument could print, errors with their stack and causes. */
function printed(value: unknown, depth = 0): string {
  if (value instanceof Error) {
    return `${value.stack ?? ""} ${value.message} ${depth < 3 ? printed(value.cause, depth + 1) : ""}`;
  }
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

beforeAll(() => {
  for (const method of METHODS) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((a) => printed(a)).join(" "));
    });
  }
});
afterAll(() => vi.restoreAllMocks());

async function text(from: string, body: string, sid: string) {
  const res = await post("/api/sms/incoming/", { MessageSid: sid, From: from, To: "+15005550006", Body: body });
  expect(res.status).toBe(200);
  return res.text();
}

describe("the log helper", () => {
  it("masks numbers to their last four digits and cuts bound SQL parameters out of errors", () => {
    expect(redactPhones("to +919812345678 and 9812345678, sid CA0123456789abcdef0123456789abcdef")).toBe(
      "to …5678 and …5678, sid CA0123456789abcdef0123456789abcdef",
    );
    const drizzle = new Error(
      `Failed query: insert into "sms_inbound" values (?, ?)\nparams: SM1,${CALLER},${HEALTH_TEXT}`,
      {
        cause: new Error(`D1_ERROR: constraint failed: ${CALLER}`),
      },
    );
    const described = describeError(drizzle);
    expect(described).toContain("Failed query: insert into");
    expect(described).not.toContain(CALLER);
    expect(described).not.toContain("pregnant");
  });
});

describe("console output across representative flows", () => {
  it("a booking call and its SMS", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-26T03:30:00Z"));
    fakeTwilioSms();
    const call = newCall(CALLER);
    await call.dial();
    await call.press("3");
    await call.press("1");
    expect(heard(await call.press("1"))).toContain("Your appointment is booked");
    await vi.waitFor(
      async () => expect((await outboxFor(CALLER)).map((r) => r.status)).toContain("sent"),
      BACKGROUND_WAIT,
    );
    // SMS commands, and free text about health.
    expect(await text(CALLER, "STATUS", "SMlog1")).toContain("Appointment 1 of 1:");
    expect(await text(CALLER, HEALTH_TEXT, "SMlog2")).toContain("Clinic appointment line");
    expect(await text(CALLER, "CANCEL", "SMlog3")).toContain("Cancelled:");
    vi.useRealTimers();
  });

  it("deliveries with Twilio failing, a configuration error, log mode and the budget alert", async () => {
    mockServer.use(
      http.post(
        `https://twilio.test/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Messages.json`,
        async ({ request }) => {
          const to = new URLSearchParams(await request.text()).get("To");
          return HttpResponse.json(
            { code: 21211, message: `The 'To' number ${to} is not a valid phone number.` },
            { status: 400 },
          );
        },
      ),
    );
    const invalid = await addOutboxRow(OTHER, `Appointment booked: ${HEALTH_TEXT}`);
    expect((await deliverOne(db, config, invalid, new Date())).outcome).toBe("failed");

    mockServer.use(
      http.post(`https://twilio.test/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Messages.json`, () =>
        HttpResponse.error(),
      ),
    );
    const network = await addOutboxRow(OTHER, "network trouble body");
    expect((await deliverOne(db, config, network, new Date())).outcome).toBe("retry");

    const misconfigured = await addOutboxRow(OTHER, "misconfigured body");
    expect((await deliverOne(db, { ...config, accountSid: "" }, misconfigured, new Date())).outcome).toBe("retry");
    expect((await deliverOne(db, { ...config, smsMode: "log" }, misconfigured, new Date())).outcome).toBe("logged");

    fakeTwilioSms();
    const day = new Date("2032-01-01T00:00:00Z");
    const first = await addOutboxRow(OTHER, "budget body one");
    const second = await addOutboxRow(OTHER, "budget body two");
    await deliverOne(db, { ...config, smsDailyBudget: 1 }, first, day);
    expect((await deliverOne(db, { ...config, smsDailyBudget: 1 }, second, day)).outcome).toBe("blocked");
  });

  it("a D1 fault while storing a text about health", async () => {
    const url = `${BASE_URL}/api/sms/incoming/`;
    const params = { MessageSid: "SMlogfault", From: CALLER, To: "+15005550006", Body: HEALTH_TEXT };
    const body = new URLSearchParams(params).toString();
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      overHttp(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-Twilio-Signature": await computeSignature(AUTH_TOKEN, url, params),
        },
        body,
      }),
      faultyEnv(env, plan("d1", 1)),
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
  });

  it("held no full number and no SMS text", () => {
    const all = captured.join("\n");
    // The capture worked: the flows above did log, with masked numbers and the faults.
    expect(all).toContain("…3002");
    expect(all).toContain("inbound SMS failed");
    expect(all).toContain("[sms log mode]");
    expect(all).toContain("ALERT: daily SMS budget reached");
    expect(all).toContain("sms not sent");
    for (const number of [CALLER, OTHER]) {
      const digits = number.slice(1);
      expect(all).not.toContain(digits);
      expect(all).not.toContain(digits.slice(2)); // the national 10 digits
    }
    for (const words of [
      "pregnant",
      "Appointment booked",
      "Appointment 1 of",
      "Cancelled:",
      "Clinic appointment line",
      "network trouble body",
      "misconfigured body",
      "budget body",
      "temporary password",
    ]) {
      expect(all).not.toContain(words);
    }
  });
});
