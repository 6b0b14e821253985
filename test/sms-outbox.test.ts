/**
 * Outbound SMS: rows in the outbox are delivered through the queue consumer against a fake
 * Twilio API, retried on transient failures, given up on permanent ones, and never sent twice.
 */
import { createMessageBatch, getQueueResult, createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { delay, http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import worker from "../src/index.ts";
import { backoffSeconds, deliverOne, sweepOutbox, WITHHELD_BODY } from "../src/sms/outbox.ts";
import type { Job } from "../src/jobs/queue.ts";
import { reportSmsMisconfiguration } from "../src/sms/transport.ts";
import { isSafeApiBase, sendSms } from "../src/twilio/rest.ts";
import { mockServer } from "./setup.ts";
import { fakeTwilioSms, heard, newCall, overHttp, post } from "./support/line.ts";
import { addOutboxRow, outboxFor, outboxRow } from "./support/outbox.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const MESSAGES_URL = `https://twilio.test/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Messages.json`;
const db = database(env.DB);
const config = readConfig(env);

async function consume(ids: number[]) {
  const batch = createMessageBatch<Job>(
    "clinic-sms-outbox",
    ids.map((outboxId, i) => ({ id: `msg-${outboxId}-${i}`, timestamp: new Date(), attempts: 1, body: { outboxId } })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

afterEach(() => vi.useRealTimers());

describe("queue consumer", () => {
  it("sends a row once, records Twilio's MessageSid and a StatusCallback naming the row", async () => {
    const sent = fakeTwilioSms();
    const id = await addOutboxRow("+919800000001", "Appointment booked: test");
    const result = await consume([id]);
    expect(result.explicitAcks).toEqual([`msg-${id}-0`]);
    expect(sent).toEqual([
      {
        To: "+919800000001",
        From: env.TWILIO_PHONE_NUMBER,
        Body: "Appointment booked: test",
        StatusCallback: `https://line.test/api/sms/status/?outbox=${id}`,
      },
    ]);
    expect(await outboxRow(id)).toMatchObject({
      status: "sent",
      attempts: 1,
      message_sid: expect.stringMatching(/^SM/),
    });
  });

  it("a message the queue delivers twice (even in one batch) is sent once", async () => {
    const sent = fakeTwilioSms();
    const id = await addOutboxRow("+919800000002", "only once");
    const result = await consume([id, id]);
    await consume([id]);
    expect(sent.filter((m) => m.Body === "only once")).toHaveLength(1);
    expect(result.explicitAcks).toHaveLength(2);
    expect((await outboxRow(id)).attempts).toBe(1);
  });

  it("retries after a 500 with backoff, then sends once Twilio recovers", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-25T04:00:00Z"));
    const sent = fakeTwilioSms((_sms, n) =>
      n === 1
        ? HttpResponse.json({ code: 20500, message: "Internal Server Error" }, { status: 500 })
        : HttpResponse.json({ sid: "SMrecovered", status: "queued" }, { status: 201 }),
    );
    const id = await addOutboxRow("+919800000003", "after an outage");

    const first = await consume([id]);
    expect(first.retryMessages).toEqual([{ msgId: `msg-${id}-0` }]);
    expect(backoffSeconds(1)).toBe(30);
    expect(await outboxRow(id)).toMatchObject({
      status: "pending",
      attempts: 1,
      last_error: "Internal Server Error",
      next_attempt_at: "2026-11-25T04:00:30.000Z",
    });

    // Redelivered too early (a duplicate): nothing is sent.
    await consume([id]);
    expect(sent).toHaveLength(1);

    vi.setSystemTime(new Date("2026-11-25T04:00:31Z"));
    await consume([id]);
    expect(sent).toHaveLength(2);
    expect(await outboxRow(id)).toMatchObject({
      status: "sent",
      attempts: 2,
      message_sid: "SMrecovered",
      last_error: null,
    });
  });

  it("429 is retried; a permanent error (21610 unsubscribed) is recorded and not retried", async () => {
    fakeTwilioSms((sms) =>
      sms.To === "+919800000004"
        ? HttpResponse.json({ code: 20429, message: "Too Many Requests" }, { status: 429 })
        : HttpResponse.json({ code: 21610, message: "Attempt to send to unsubscribed recipient" }, { status: 400 }),
    );
    const busy = await addOutboxRow("+919800000004", "busy");
    const unsubscribed = await addOutboxRow("+919800000005", "blocked", { sensitive: true });
    const result = await consume([busy, unsubscribed]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([`msg-${busy}-0`]);
    expect(result.explicitAcks).toEqual([`msg-${unsubscribed}-1`]);
    expect(await outboxRow(busy)).toMatchObject({ status: "pending", attempts: 1 });
    expect(await outboxRow(unsubscribed)).toMatchObject({
      status: "failed",
      error_code: 21610,
      next_attempt_at: null,
      body: WITHHELD_BODY,
    });
  });

  it("a request that hangs times out and is retried", async () => {
    mockServer.use(
      http.post(MESSAGES_URL, async () => {
        await delay("infinite");
        return HttpResponse.json({});
      }),
    );
    const id = await addOutboxRow("+919800000006", "slow");
    const outcome = await deliverOne(db, { ...config, twilioTimeoutMs: 50 }, id, new Date());
    expect(outcome).toMatchObject({ outcome: "retry", error: "timed out" });
    expect(await outboxRow(id)).toMatchObject({ status: "pending", last_error: "timed out" });
  });

  it("a network error is retried, and after the last attempt the row is failed", async () => {
    mockServer.use(http.post(MESSAGES_URL, () => HttpResponse.error()));
    const id = await addOutboxRow("+919800000007", "unreachable");
    await env.DB.prepare("UPDATE sms_outbox SET attempts = 7 WHERE id = ?").bind(id).run();
    const outcome = await deliverOne(db, config, id, new Date());
    expect(outcome.outcome).toBe("failed");
    expect(await outboxRow(id)).toMatchObject({ status: "failed", attempts: 8 });
  });

  it("in log mode (SMS_MODE=log) a row is logged, not sent, and the log holds neither number nor text", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const id = await addOutboxRow("+919800000008", "local only");
    const outcome = await deliverOne(db, { ...config, smsMode: "log", accountSid: "" }, id, new Date());
    expect(outcome).toEqual({ outcome: "logged" });
    expect(await outboxRow(id)).toMatchObject({ status: "logged", body: "local only" });
    const printed = log.mock.calls.flat().join(" ");
    expect(printed).toContain("[sms log mode]");
    expect(printed).toContain("…0008");
    expect(printed).not.toContain("local only");
    expect(printed).not.toContain("9800000008");
    log.mockRestore();
  });

  it("missing credentials without SMS_MODE=log: nothing sent or logged as sent, the row stays pending, the error names no secret", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const sent = fakeTwilioSms();
    const id = await addOutboxRow("+919800000009", "needs credentials");
    for (const broken of [{ accountSid: "" }, { phoneNumber: "" }, { authToken: "" }]) {
      const outcome = await deliverOne(db, { ...config, ...broken }, id, new Date());
      expect(outcome).toMatchObject({ outcome: "retry" });
    }
    expect(sent).toEqual([]);
    expect(await outboxRow(id)).toMatchObject({ status: "pending", attempts: 0, body: "needs credentials" });
    const printed = error.mock.calls.flat().join(" ");
    expect(printed).toContain("TWILIO_ACCOUNT_SID not set");
    expect(printed).not.toContain(config.authToken);
    expect(printed).not.toContain(config.accountSid);
    error.mockRestore();
    // Once configured, the same row goes out.
    expect((await deliverOne(db, config, id, new Date())).outcome).toBe("sent");
  });

  it("a missing credential is reported on the request path too, once per problem, naming no secret", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const broken = { ...config, phoneNumber: "" };
    reportSmsMisconfiguration(broken);
    reportSmsMisconfiguration(broken);
    reportSmsMisconfiguration(config);
    const reports = error.mock.calls.flat().filter((line) => String(line).includes("SMS cannot be sent"));
    expect(reports).toEqual([expect.stringContaining("TWILIO_PHONE_NUMBER not set")]);
    expect(reports.join(" ")).not.toContain(config.authToken);
    error.mockRestore();
  });

  it("Basic credentials go only over https or to loopback: a plain-http API base is refused before any request", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const seen: string[] = [];
    mockServer.use(
      http.post("http://api.twilio.example/*", ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json({ sid: "SMleak", status: "queued" }, { status: 201 });
      }),
      http.post("http://127.0.0.1:8789/*", ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json({ sid: "SMlocal", status: "queued" }, { status: 201 });
      }),
    );
    const id = await addOutboxRow("+919800000014", "over http");
    const refused = await deliverOne(db, { ...config, apiBaseUrl: "http://api.twilio.example" }, id, new Date());
    expect(refused).toMatchObject({ outcome: "retry" });
    expect(seen).toEqual([]);
    expect(error.mock.calls.flat().join(" ")).toContain("TWILIO_API_BASE_URL must be https");
    expect(await outboxRow(id)).toMatchObject({ status: "pending", attempts: 0 });
    const local = await deliverOne(db, { ...config, apiBaseUrl: "http://127.0.0.1:8789" }, id, new Date());
    expect(local).toEqual({ outcome: "sent", sid: "SMlocal" });
    expect(seen).toHaveLength(1);
    error.mockRestore();
  });
});

describe("the REST client's own check", () => {
  it.each([
    ["https://api.twilio.com", true],
    ["http://localhost:8789", true],
    ["http://127.1.2.3:9000/base", true],
    ["http://[::1]:8789", true],
    ["http://api.twilio.com", false],
    ["http://127.0.0.1.evil.test", false],
    ["http://localhost.evil.test", false],
    ["ftp://127.0.0.1", false],
    ["not a url", false],
  ])("%s: Basic credentials may go there: %s", (base, safe) => {
    expect(isSafeApiBase(base)).toBe(safe);
  });

  it("sendSms refuses a plain-http base without making a request", async () => {
    const result = await sendSms(
      { accountSid: "ACx", authToken: "secret-token", apiBaseUrl: "http://api.twilio.example" },
      { to: "+919800000015", from: "+15005550006", body: "x" },
    );
    expect(result).toMatchObject({ ok: false, retryable: true });
    // An unmatched request would have failed the test (test/setup.ts).
  });
});

describe("sweep", () => {
  it("re-queues due rows whose queue message was lost, and a lapsed claim, but not fresh or settled rows", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const lost = await addOutboxRow("+919800000010", "lost message");
    const fresh = await addOutboxRow("+919800000011", "fresh");
    const lapsed = await addOutboxRow("+919800000012", "sender died");
    const settled = await addOutboxRow("+919800000013", "done");
    await env.DB.batch([
      env.DB.prepare("UPDATE sms_outbox SET created_at = '2029-12-31T23:50:00.000Z' WHERE id IN (?, ?, ?)").bind(
        lost,
        lapsed,
        settled,
      ),
      env.DB.prepare("UPDATE sms_outbox SET created_at = '2029-12-31T23:59:30.000Z' WHERE id = ?").bind(fresh),
      env.DB.prepare(
        "UPDATE sms_outbox SET status = 'sending', next_attempt_at = '2029-12-31T23:59:00.000Z' WHERE id = ?",
      ).bind(lapsed),
      env.DB.prepare("UPDATE sms_outbox SET status = 'sent' WHERE id = ?").bind(settled),
    ]);
    const queued: Job[] = [];
    const queue = {
      sendBatch: async (msgs: { body: Job }[]) => void queued.push(...msgs.map((m) => m.body)),
    } as unknown as Queue<Job>;
    const ids = await sweepOutbox(db, queue, now);
    expect(ids).toEqual(expect.arrayContaining([lost, lapsed]));
    expect(ids).not.toContain(fresh);
    expect(ids).not.toContain(settled);
    expect(queued.flatMap((j) => ("outboxId" in j ? [j.outboxId] : []))).toEqual(ids);
  });
});

describe("delivery status callbacks", () => {
  it("record sent, delivered and error codes, never moving backwards", async () => {
    fakeTwilioSms(() => HttpResponse.json({ sid: "SMstatus1", status: "queued" }, { status: 201 }));
    const id = await addOutboxRow("+919800000020", "track me");
    await consume([id]);
    const report = (status: string, extra: Record<string, string> = {}) =>
      post(`/api/sms/status/?outbox=${id}`, {
        MessageSid: "SMstatus1",
        MessageStatus: status,
        AccountSid: "AC1",
        ...extra,
      });

    expect((await report("delivered")).status).toBe(204);
    expect(await outboxRow(id)).toMatchObject({ status: "delivered" });
    expect((await report("sent")).status).toBe(204); // arrives late
    expect(await outboxRow(id)).toMatchObject({ status: "delivered" });

    const other = await addOutboxRow("+919800000021", "bounce");
    await env.DB.prepare("UPDATE sms_outbox SET status = 'sent', message_sid = 'SMstatus2' WHERE id = ?")
      .bind(other)
      .run();
    const res = await post(`/api/sms/status/?outbox=${other}`, {
      MessageSid: "SMstatus2",
      MessageStatus: "undelivered",
      ErrorCode: "30005",
    });
    expect(res.status).toBe(204);
    expect(await outboxRow(other)).toMatchObject({ status: "undelivered", error_code: 30005 });
  });

  it("refuse a MessageSid that is not the row's, unsigned callbacks, and junk", async () => {
    const id = await addOutboxRow("+919800000022", "mine");
    await env.DB.prepare("UPDATE sms_outbox SET status = 'sent', message_sid = 'SMreal' WHERE id = ?").bind(id).run();
    expect(
      (await post(`/api/sms/status/?outbox=${id}`, { MessageSid: "SMother", MessageStatus: "failed" })).status,
    ).toBe(404);
    expect((await post(`/api/sms/status/?outbox=abc`, { MessageSid: "SMreal", MessageStatus: "failed" })).status).toBe(
      400,
    );
    const unsigned = await worker.fetch(
      overHttp(`https://line.test/api/sms/status/?outbox=${id}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "MessageSid=SMreal&MessageStatus=failed",
      }),
      env,
      createExecutionContext(),
    );
    expect(unsigned.status).toBe(403);
    expect(await outboxRow(id)).toMatchObject({ status: "sent" });
  });
});

describe("a booking never depends on SMS", () => {
  // Waits on the queue's background deliveries twice (and the cron also reconciles and enforces
  // retention): room for both waits in full on a loaded 2-core machine.
  it(
    "made while Twilio answers 500, it stands; its SMS go out exactly once when Twilio recovers",
    { timeout: 2 * BACKGROUND_WAIT.timeout + 10_000 },
    async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2026-11-26T03:30:00Z")); // Thursday 09:00 IST
      let twilioUp = false;
      const phone = "+919800000030";
      const sent = fakeTwilioSms((_sms, n) =>
        twilioUp
          ? HttpResponse.json({ sid: `SMok${n}-${phone}`, status: "queued" }, { status: 201 })
          : HttpResponse.json({ message: "down" }, { status: 500 }),
      );
      const call = newCall(phone);
      await call.dial();
      await call.press("3"); // Bantwal Health Centre: one doctor
      await call.press("1");
      // Tomorrow (3 other times and days, 2 another day, 2#): no reminder is due yet when the cron
      // runs below (reminders.test.ts covers them).
      await call.press("3");
      await call.press("2");
      await call.press("2#");
      const booked = await call.press("1");
      expect(heard(booked)).toContain("Your appointment is booked");
      expect(heard(booked)).toContain("You will receive an SMS");

      // The queue consumer tries the booking SMS (a booking texts no password) and fails: the row waits for a retry.
      await vi.waitFor(
        async () => expect((await outboxFor(phone)).map((r) => [r.status, r.attempts])).toEqual([["pending", 1]]),
        BACKGROUND_WAIT,
      );
      const mine = () => sent.filter((m) => m.To === phone);
      expect(mine()).toHaveLength(1);
      const appointment = await env.DB.prepare("SELECT status FROM appointments WHERE call_sid = ?")
        .bind(call.callSid)
        .first();
      expect(appointment).toEqual({ status: "booked" });

      // Twilio recovers; the sweep (cron) finds the due rows and the queue delivers them.
      twilioUp = true;
      vi.setSystemTime(new Date("2026-11-26T03:35:00Z"));
      await worker.scheduled(
        { cron: "* * * * *", scheduledTime: Date.now(), noRetry: () => undefined } as ScheduledController,
        env,
        createExecutionContext(),
      );
      await vi.waitFor(
        async () => expect((await outboxFor(phone)).map((r) => r.status)).toEqual(["sent"]),
        BACKGROUND_WAIT,
      );
      // Any late duplicate from the queue finds nothing to claim.
      const rows = await outboxFor(phone);
      await consume(rows.map((r) => r.id));
      // One failed try, then the SMS exactly once, the same text.
      expect(mine()).toHaveLength(2);
      expect(mine()[1]!.Body).toBe(mine()[0]!.Body);
    },
  );
});
