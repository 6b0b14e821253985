/**
 * A temporary password (asked for on the patient page) is never stored in D1 in plain text:
 * not in the outbox, not anywhere. It rides on the queue message that delivers its SMS; a row
 * whose message was lost gets a fresh password (re-hashed) when the sweep re-queues it.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import worker from "../src/index.ts";
import { issueTemporaryPassword } from "../src/patients/account.ts";
import { verifyPassword } from "../src/patients/password.ts";
import { deliverOne } from "../src/sms/outbox.ts";
import type { Job } from "../src/jobs/queue.ts";
import { DeskClient } from "./support/desk.ts";
import { bookedPatient, fakeTwilioSms, heard, newCall } from "./support/line.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const db = database(env.DB);
const config = readConfig(env);

async function storedHash(login: string) {
  return (await env.DB.prepare(
    "SELECT temp_password_hash AS hash, temp_password_salt AS salt, temp_password_iterations AS iterations FROM patient_accounts WHERE login = ?",
  )
    .bind(login)
    .first<{ hash: string; salt: string; iterations: number }>())!;
}

/** Every row of every table of the database, as one string. */
async function everything(): Promise<string> {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["patient_accounts", "sms_outbox", "call_log"]));
  const dumps = await Promise.all(tables.map((t) => env.DB.prepare(`SELECT * FROM "${t.name}"`).all()));
  return JSON.stringify(dumps.map((d) => d.results));
}

const passwordIn = (body: string) => /temporary password (\S+)\./.exec(body)?.[1];

describe("the temporary password at rest", () => {
  it("a password job sends the password, and no row anywhere holds it", async () => {
    const phone = "+919600000101";
    const sent = fakeTwilioSms();
    await bookedPatient(phone);
    const batch = createMessageBatch<Job>("clinic-sms-outbox", [
      {
        id: "acct",
        timestamp: new Date(),
        attempts: 1,
        body: { accountFor: phone, callbackBase: "https://line.test" },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["acct"]);

    // The queue delivers the password SMS in the background.
    await vi.waitFor(() => expect(sent.filter((m) => m.To === phone)).toHaveLength(1), BACKGROUND_WAIT);
    const password = passwordIn(sent.find((m) => m.To === phone)!.Body)!;
    expect(password).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(await verifyPassword(password, await storedHash(phone))).toBe(true);
    expect(await everything()).not.toContain(password);
  });

  it("end to end: a first booking by phone texts no password; asked for on the page, it comes and is in no row", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-26T03:30:00Z")); // Thursday 09:00 IST
    try {
      const phone = "+919600000105";
      const sent = fakeTwilioSms();
      const call = newCall(phone);
      await call.dial();
      await call.press("3"); // Bantwal Health Centre: one doctor
      await call.press("1");
      expect(heard(await call.press("1"))).toContain("Your appointment is booked");
      await vi.waitFor(() => expect(sent.filter((m) => m.To === phone)).toHaveLength(1), BACKGROUND_WAIT);
      expect(sent.some((m) => passwordIn(m.Body))).toBe(false);
      expect(await env.DB.prepare("SELECT 1 FROM patient_accounts WHERE login = ?").bind(phone).first()).toBeNull();

      const page = await new DeskClient().post("/me/password-by-sms", { phone: phone.slice(3) });
      expect(page.status).toBe(200);
      await vi.waitFor(
        () => expect(sent.filter((m) => m.To === phone && passwordIn(m.Body))).toHaveLength(1),
        BACKGROUND_WAIT,
      );
      const password = passwordIn(sent.find((m) => m.To === phone && passwordIn(m.Body))!.Body)!;
      expect(await verifyPassword(password, await storedHash(phone))).toBe(true);
      expect(await everything()).not.toContain(password);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a retry after a Twilio failure sends the same password, from the queue message", async () => {
    const phone = "+919600000102";
    const sent = fakeTwilioSms((_sms, n) =>
      n === 1
        ? HttpResponse.json({ message: "down" }, { status: 500 })
        : HttpResponse.json({ sid: "SMacct102", status: "queued" }, { status: 201 }),
    );
    await bookedPatient(phone);
    const [made] = await issueTemporaryPassword(db, config, phone, "https://line.test");
    const now = new Date();
    expect((await deliverOne(db, config, made!.outboxId, now, made!.secret)).outcome).toBe("retry");
    expect(await everything()).not.toContain(made!.secret.password);
    const later = new Date(now.getTime() + 60_000);
    expect((await deliverOne(db, config, made!.outboxId, later, made!.secret)).outcome).toBe("sent");
    expect(sent.map((m) => passwordIn(m.Body))).toEqual([made!.secret.password, made!.secret.password]);
    expect(await verifyPassword(made!.secret.password, await storedHash(phone))).toBe(true);
  });

  it("a row re-queued without its message gets a fresh password, re-hashed; the lost one no longer works", async () => {
    const phone = "+919600000103";
    const sent = fakeTwilioSms();
    await bookedPatient(phone);
    const [made] = await issueTemporaryPassword(db, config, phone, "https://line.test");
    // What the sweep queues: the row id, no secret.
    expect((await deliverOne(db, config, made!.outboxId, new Date())).outcome).toBe("sent");
    const fresh = passwordIn(sent[0]!.Body)!;
    expect(fresh).not.toBe(made!.secret.password);
    const stored = await storedHash(phone);
    expect(await verifyPassword(fresh, stored)).toBe(true);
    expect(await verifyPassword(made!.secret.password, stored)).toBe(false);
    expect(await everything()).not.toContain(fresh);
    // The lost message turning up late finds nothing to send.
    expect((await deliverOne(db, config, made!.outboxId, new Date(), made!.secret)).outcome).toBe("skipped");
    expect(sent).toHaveLength(1);
  });

  it("an account whose patient already chose a password is not reset by a late row", async () => {
    const phone = "+919600000104";
    const sent = fakeTwilioSms();
    await bookedPatient(phone);
    const [made] = await issueTemporaryPassword(db, config, phone, "https://line.test");
    // Choosing a password spends the temporary one.
    await env.DB.prepare(
      "UPDATE patient_accounts SET must_change_password = 0, temp_password_hash = NULL, temp_password_salt = NULL WHERE login = ?",
    )
      .bind(phone)
      .run();
    const before = await storedHash(phone);
    expect(await deliverOne(db, config, made!.outboxId, new Date())).toMatchObject({ outcome: "failed" });
    expect(sent).toHaveLength(0);
    expect(await storedHash(phone)).toEqual(before);
  });
});
