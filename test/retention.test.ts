/**
 * Retention with a fake clock: call log and inbound texts go after 90 days, a delivered SMS
 * loses its words at once and other settled ones after a day, outbox rows go after 30 days;
 * each run touches a bounded batch; the cron handler runs it.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import worker from "../src/index.ts";
import { enforceRetention } from "../src/retention.ts";
import { post } from "./support/line.ts";
import { outboxRow } from "./support/outbox.ts";

const db = database(env.DB);
const config = readConfig(env);
const NOW = new Date("2027-06-01T00:00:00.000Z");
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

afterEach(() => vi.useRealTimers());

async function addCall(sid: string, createdAt: string) {
  await env.DB.prepare(
    "INSERT INTO call_log (call_sid, from_number, steps, created_at) VALUES (?, '+919800002000', '[]', ?)",
  )
    .bind(sid, createdAt)
    .run();
}
async function addInbound(sid: string, createdAt: string) {
  await env.DB.prepare(
    "INSERT INTO sms_inbound (message_sid, from_number, body, command, reply, created_at) VALUES (?, '+919800002001', 'my test results?', 'help', 'x', ?)",
  )
    .bind(sid, createdAt)
    .run();
}
async function addOutbox(status: string, createdAt: string, updatedAt: string | null = createdAt) {
  const row = await env.DB.prepare(
    "INSERT INTO sms_outbox (to_number, body, purpose, status, created_at, updated_at) VALUES ('+919800002002', 'Appointment booked: retention', 'booking', ?, ?, ?) RETURNING id",
  )
    .bind(status, createdAt, updatedAt)
    .first<{ id: number }>();
  return row!.id;
}
const exists = async (table: string, column: string, value: string | number) =>
  (await env.DB.prepare(`SELECT 1 AS x FROM ${table} WHERE ${column} = ?`).bind(value).first()) !== null;

describe("enforceRetention", () => {
  it("deletes call log and inbound texts past 90 days, keeps younger ones", async () => {
    await addCall("CAold", ago(91));
    await addCall("CAyoung", ago(89));
    await addInbound("SMold", ago(91));
    await addInbound("SMyoung", ago(89));
    await enforceRetention(db, config, NOW);
    expect(await exists("call_log", "call_sid", "CAold")).toBe(false);
    expect(await exists("call_log", "call_sid", "CAyoung")).toBe(true);
    expect(await exists("sms_inbound", "message_sid", "SMold")).toBe(false);
    expect(await exists("sms_inbound", "message_sid", "SMyoung")).toBe(true);
  });

  it("blanks delivered bodies at once and other settled ones after a day; deletes outbox rows past 30 days except in flight", async () => {
    const delivered = await addOutbox("delivered", ago(0.01));
    const sentLongAgo = await addOutbox("sent", ago(2));
    const sentJustNow = await addOutbox("sent", ago(0.01));
    const pending = await addOutbox("pending", ago(2), null);
    const oldFailed = await addOutbox("failed", ago(31));
    const oldSending = await addOutbox("sending", ago(31));
    await enforceRetention(db, config, NOW);
    expect((await outboxRow(delivered)).body).toBe("");
    expect((await outboxRow(sentLongAgo)).body).toBe("");
    expect((await outboxRow(sentJustNow)).body).toBe("Appointment booked: retention");
    expect((await outboxRow(pending)).body).toBe("Appointment booked: retention");
    expect(await exists("sms_outbox", "id", oldFailed)).toBe(false);
    expect(await exists("sms_outbox", "id", oldSending)).toBe(true);
  });

  it("works in bounded batches: a backlog drains over several runs", async () => {
    for (let i = 0; i < 7; i++) await addCall(`CAbatch${i}`, ago(100 + i));
    const left = async () =>
      (await env.DB.prepare("SELECT count(*) AS n FROM call_log WHERE call_sid LIKE 'CAbatch%'").first<{
        n: number;
      }>())!.n;
    expect((await enforceRetention(db, config, NOW, 3)).callLogDeleted).toBe(3);
    expect(await left()).toBe(4);
    await enforceRetention(db, config, NOW, 3);
    await enforceRetention(db, config, NOW, 3);
    expect(await left()).toBe(0);
  });

  it("periods are configuration", async () => {
    await addCall("CAweek", ago(8));
    await addInbound("SMweek", ago(8));
    const short = readConfig({ ...env, RETENTION_CALL_LOG_DAYS: "7", RETENTION_SMS_INBOUND_DAYS: "7" } as Env);
    await enforceRetention(db, config, NOW);
    expect(await exists("call_log", "call_sid", "CAweek")).toBe(true);
    await enforceRetention(db, short, NOW);
    expect(await exists("call_log", "call_sid", "CAweek")).toBe(false);
    expect(await exists("sms_inbound", "message_sid", "SMweek")).toBe(false);
  });
});

describe("retention in production paths", () => {
  it("the cron handler enforces it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    await addCall("CAcron", ago(120));
    await worker.scheduled(
      { cron: "* * * * *", scheduledTime: Date.now(), noRetry: () => undefined } as ScheduledController,
      env,
      createExecutionContext(),
    );
    expect(await exists("call_log", "call_sid", "CAcron")).toBe(false);
  });

  it("a delivery report of 'delivered' blanks the text at once", async () => {
    const id = await addOutbox("sent", ago(0));
    await env.DB.prepare("UPDATE sms_outbox SET message_sid = 'SMret1' WHERE id = ?").bind(id).run();
    const res = await post(`/api/sms/status/?outbox=${id}`, { MessageSid: "SMret1", MessageStatus: "delivered" });
    expect(res.status).toBe(204);
    expect(await outboxRow(id)).toMatchObject({ status: "delivered", body: "" });
  });
});
