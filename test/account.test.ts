/**
 * Temporary passwords for the patient page: made only when the patient asks (never by a
 * booking), only for a number that has booked and that the line may text, hashed, and sent
 * by SMS through the outbox with the password riding on the queue message alone.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { database } from "../src/db/client.ts";
import { readConfig } from "../src/config.ts";
import { issueTemporaryPassword } from "../src/patients/account.ts";
import { hashPassword, verifyPassword } from "../src/patients/password.ts";
import { WITHHELD_BODY } from "../src/sms/outbox.ts";
import { bookedPatient, fakeTwilioSms } from "./support/line.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const db = database(env.DB);
const config = readConfig(env);

async function stored(phone: string) {
  return env.DB.prepare(
    `SELECT temp_password_hash AS hash, temp_password_salt AS salt, temp_password_iterations AS iterations,
            must_change_password AS mustChange FROM patient_accounts WHERE login = ?`,
  )
    .bind(phone)
    .first<{ hash: string; salt: string; iterations: number; mustChange: number }>();
}

describe("issueTemporaryPassword", () => {
  it("gives a patient who has booked a hashed password; its SMS row holds no password, only the returned secret does", async () => {
    await bookedPatient("+919600000001");
    const made = await issueTemporaryPassword(db, config, "+919600000001", "https://line.test");
    expect(made).toHaveLength(1);
    const { outboxId, secret } = made[0]!;
    const sms = await env.DB.prepare("SELECT body, sensitive, purpose FROM sms_outbox WHERE id = ?")
      .bind(outboxId)
      .first<{ body: string }>();
    expect(sms).toEqual({ body: WITHHELD_BODY, sensitive: 1, purpose: "account" });
    const account = (await stored("+919600000001"))!;
    expect(account.hash).toBe(secret.hash);
    expect(account.mustChange).toBe(1);
    expect(await verifyPassword(secret.password, account)).toBe(true);
    expect(await verifyPassword("not-it", account)).toBe(false);
  });

  it("asking again replaces the temporary password, never the patient's own, and sends no session to change it", async () => {
    await bookedPatient("+919600000006");
    const [first] = await issueTemporaryPassword(db, config, "+919600000006", "https://line.test");
    // The patient chose their own password since.
    const own = await hashPassword("my own password", crypto.getRandomValues(new Uint8Array(16)), 1000);
    await env.DB.prepare(
      `UPDATE patient_accounts SET password_hash = ?, password_salt = ?, password_iterations = ?, must_change_password = 0,
         temp_password_hash = NULL WHERE login = ?`,
    )
      .bind(own.hash, own.salt, own.iterations, "+919600000006")
      .run();
    const [second] = await issueTemporaryPassword(db, config, "+919600000006", "https://line.test");
    const account = (await stored("+919600000006"))!;
    expect(account.mustChange).toBe(0);
    expect(await verifyPassword(second!.secret.password, account)).toBe(true);
    expect(await verifyPassword(first!.secret.password, account)).toBe(false);
    const kept = (await env.DB.prepare(
      "SELECT password_hash AS hash, password_salt AS salt, password_iterations AS iterations FROM patient_accounts WHERE login = ?",
    )
      .bind("+919600000006")
      .first<{ hash: string; salt: string; iterations: number }>())!;
    expect(await verifyPassword("my own password", kept)).toBe(true);
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM patient_accounts WHERE login = ?")
      .bind("+919600000006")
      .first<{ n: number }>())!;
    expect(n).toBe(1);
  });

  it("a phone the line may not text gets neither a password nor an SMS", async () => {
    await bookedPatient("+447700900123");
    expect(await issueTemporaryPassword(db, config, "+447700900123", "https://line.test")).toEqual([]);
    expect(await stored("+447700900123")).toBeNull();
    const sms = await env.DB.prepare("SELECT count(*) AS n FROM sms_outbox WHERE to_number = ?")
      .bind("+447700900123")
      .first();
    expect(sms).toEqual({ n: 0 });
  });

  it("does nothing for a number that never booked: unknown, or a caller who only chose a language", async () => {
    expect(await issueTemporaryPassword(db, config, "+919600000003", "https://line.test")).toEqual([]);
    await env.DB.prepare("INSERT INTO patients (phone, name, preferred_language) VALUES (?, 'P', 'kn')")
      .bind("+919600000024")
      .run();
    expect(await issueTemporaryPassword(db, config, "+919600000024", "https://line.test")).toEqual([]);
    expect(await stored("+919600000024")).toBeNull();
  });

  it("two requests racing: whichever password is kept is the only one the SMS can carry", async () => {
    await bookedPatient("+919600000002");
    const sent = fakeTwilioSms();
    const [a, b] = await Promise.all([
      issueTemporaryPassword(db, config, "+919600000002", "https://line.test"),
      issueTemporaryPassword(db, config, "+919600000002", "https://line.test"),
    ]);
    const { deliverOne } = await import("../src/sms/outbox.ts");
    for (const made of [...a, ...b]) await deliverOne(db, config, made.outboxId, new Date(), made.secret);
    const passwords = sent.map((m) => /temporary password (\S+)\./.exec(m.Body)?.[1]);
    expect(passwords).toHaveLength(1);
    expect(await verifyPassword(passwords[0]!, (await stored("+919600000002"))!)).toBe(true);
  });
});

describe("password jobs on the job queue", () => {
  it("the consumer issues the password and queues its SMS; a booking and the sweep make none", async () => {
    const { createExecutionContext, createMessageBatch, getQueueResult } = await import("cloudflare:test");
    const { default: worker } = await import("../src/index.ts");
    const { sweepOutbox } = await import("../src/sms/outbox.ts");
    await bookedPatient("+919600000004");
    await env.DB.prepare("UPDATE patients SET created_at = ? WHERE phone = ?")
      .bind(new Date(Date.now() - 10 * 60_000).toISOString(), "+919600000004")
      .run();
    // A patient who booked and has no account is no longer looked for by the sweep.
    const jobs: unknown[] = [];
    const queue = { sendBatch: async (msgs: { body: unknown }[]) => void jobs.push(...msgs.map((m) => m.body)) };
    await sweepOutbox(db, queue as never, new Date());
    expect(jobs.filter((j) => (j as { accountFor?: string }).accountFor)).toEqual([]);

    const sent = fakeTwilioSms();
    const batch = createMessageBatch("clinic-sms-outbox", [
      {
        id: "acct-1",
        timestamp: new Date(),
        attempts: 1,
        body: { accountFor: "+919600000004", callbackBase: "https://line.test" },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["acct-1"]);
    expect(await stored("+919600000004")).not.toBeNull();
    const sms = await env.DB.prepare("SELECT purpose, callback_base FROM sms_outbox WHERE to_number = ?")
      .bind("+919600000004")
      .all();
    expect(sms.results).toEqual([{ purpose: "account", callback_base: "https://line.test" }]);
    // Delivered by the queue, reporting delivery under the page's origin.
    await vi.waitFor(() => expect(sent.filter((m) => m.To === "+919600000004")).toHaveLength(1), BACKGROUND_WAIT);
    expect(sent.find((m) => m.To === "+919600000004")!.StatusCallback).toMatch(
      /^https:\/\/line\.test\/api\/sms\/status\/\?outbox=\d+$/,
    );
  });
});
