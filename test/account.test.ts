import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { database } from "../src/db/client.ts";
import { readConfig } from "../src/config.ts";
import { ensureAccount } from "../src/patients/account.ts";
import { verifyPassword } from "../src/patients/password.ts";
import { WITHHELD_BODY } from "../src/sms/outbox.ts";
import { fakeTwilioSms } from "./support/line.ts";

const db = database(env.DB);
const config = readConfig(env);

async function addPatient(phone: string) {
  await env.DB.prepare("INSERT INTO patients (phone, name) VALUES (?, 'Phone patient')").bind(phone).run();
}

describe("ensureAccount", () => {
  it("creates one account with a hashed password; its SMS row holds no password, only the returned secret does", async () => {
    await addPatient("+919600000001");
    const made = await ensureAccount(db, config, "+919600000001", "https://line.test");
    expect(made).toHaveLength(1);
    expect(await ensureAccount(db, config, "+919600000001", "https://line.test")).toEqual([]);

    const { outboxId, secret } = made[0]!;
    const sms = await env.DB.prepare("SELECT body, sensitive, purpose FROM sms_outbox WHERE id = ?")
      .bind(outboxId)
      .first<{ body: string }>();
    expect(sms).toEqual({ body: WITHHELD_BODY, sensitive: 1, purpose: "account" });
    const account = await env.DB.prepare(
      "SELECT password_hash AS hash, password_salt AS salt, password_iterations AS iterations FROM patient_accounts WHERE login = ?",
    )
      .bind("+919600000001")
      .first<{ hash: string; salt: string; iterations: number }>();
    expect(account!.hash).toBe(secret.hash);
    expect(await verifyPassword(secret.password, account!)).toBe(true);
    expect(await verifyPassword("not-it", account!)).toBe(false);
  });

  it("a phone the line may not text gets an account but no SMS", async () => {
    await addPatient("+447700900123");
    expect(await ensureAccount(db, config, "+447700900123", "https://line.test")).toEqual([]);
    const account = await env.DB.prepare("SELECT login FROM patient_accounts WHERE login = ?")
      .bind("+447700900123")
      .first();
    expect(account).toEqual({ login: "+447700900123" });
    const sms = await env.DB.prepare("SELECT count(*) AS n FROM sms_outbox WHERE to_number = ?")
      .bind("+447700900123")
      .first();
    expect(sms).toEqual({ n: 0 });
  });

  it("two first bookings racing from one phone send only the password that was kept", async () => {
    await addPatient("+919600000002");
    const [a, b] = await Promise.all([
      ensureAccount(db, config, "+919600000002", "https://line.test"),
      ensureAccount(db, config, "+919600000002", "https://line.test"),
    ]);
    expect([...a, ...b]).toHaveLength(1);
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM patient_accounts WHERE login = ?")
      .bind("+919600000002")
      .first<{ n: number }>())!;
    expect(n).toBe(1);
  });

  it("does nothing for a phone that is not a patient", async () => {
    expect(await ensureAccount(db, config, "+919600000003", "https://line.test")).toEqual([]);
  });
});

describe("account jobs on the SMS queue", () => {
  it("the consumer creates the account and queues its password SMS; the sweep re-queues a lost job", async () => {
    const { createExecutionContext, createMessageBatch, getQueueResult } = await import("cloudflare:test");
    const { default: worker } = await import("../src/index.ts");
    const { sweepOutbox } = await import("../src/sms/outbox.ts");
    await addPatient("+919600000004");
    // A booking whose account job was lost (a patient row alone, e.g. a language chosen on the line, is not one).
    await env.DB.prepare(
      `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source)
       SELECT 1, 1, id, '2030-01-07', '2030-01-07T04:00:00.000Z', '2030-01-07T04:15:00.000Z', 'KS-99', 'booked', 'ivr'
         FROM patients WHERE phone = ?`,
    )
      .bind("+919600000004")
      .run();
    await env.DB.prepare("INSERT INTO patients (phone, name, preferred_language) VALUES (?, 'P', 'kn')")
      .bind("+919600000024")
      .run();
    // Older than the sweep's grace (60 s), younger than its window (2 days).
    await env.DB.prepare("UPDATE patients SET created_at = ? WHERE phone IN (?, ?)")
      .bind(new Date(Date.now() - 10 * 60_000).toISOString(), "+919600000004", "+919600000024")
      .run();
    await addPatient("+919600000014");
    await env.DB.prepare("UPDATE patients SET created_at = '2020-01-01T00:00:00.000Z' WHERE phone = ?")
      .bind("+919600000014")
      .run();

    const jobs: unknown[] = [];
    const queue = { sendBatch: async (msgs: { body: unknown }[]) => void jobs.push(...msgs.map((m) => m.body)) };
    await sweepOutbox(db, queue as never, new Date());
    expect(jobs).toContainEqual({ accountFor: "+919600000004", callbackBase: "" });
    // Outside the window: left to the phone's next booking, not rescanned every minute.
    expect(jobs).not.toContainEqual({ accountFor: "+919600000014", callbackBase: "" });
    // A caller who only chose a language never booked: no account, no password SMS.
    expect(jobs).not.toContainEqual({ accountFor: "+919600000024", callbackBase: "" });

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
    const account = await env.DB.prepare("SELECT login FROM patient_accounts WHERE login = ?")
      .bind("+919600000004")
      .first();
    expect(account).toEqual({ login: "+919600000004" });
    const sms = await env.DB.prepare("SELECT purpose, callback_base FROM sms_outbox WHERE to_number = ?")
      .bind("+919600000004")
      .all();
    expect(sms.results).toEqual([{ purpose: "account", callback_base: "https://line.test" }]);
  });
});

describe("account SMS re-queued by the sweep", () => {
  it("reports delivery where the phone's booking SMS does (a status callback, not an empty base)", async () => {
    const { createExecutionContext, createMessageBatch, getQueueResult } = await import("cloudflare:test");
    const { default: worker } = await import("../src/index.ts");
    const { sweepOutbox } = await import("../src/sms/outbox.ts");
    const phone = "+919600000005";
    await addPatient(phone);
    // A booking whose account job was lost.
    await env.DB.prepare(
      `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source)
       SELECT 1, 1, id, '2030-01-08', '2030-01-08T04:00:00.000Z', '2030-01-08T04:15:00.000Z', 'KS-98', 'booked', 'ivr'
         FROM patients WHERE phone = ?`,
    )
      .bind(phone)
      .run();
    // Old enough for the sweep's grace period, recent enough for its window.
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    await env.DB.prepare("UPDATE patients SET created_at = ? WHERE phone = ?").bind(twoMinutesAgo, phone).run();
    await env.DB.prepare(
      "INSERT INTO sms_outbox (to_number, body, purpose, status, callback_base) VALUES (?, 'booked', 'booking', 'sent', 'https://line.test')",
    )
      .bind(phone)
      .run();

    const jobs: { body: unknown }[] = [];
    await sweepOutbox(db, { sendBatch: async (m: { body: unknown }[]) => void jobs.push(...m) } as never, new Date());
    const job = jobs.map((j) => j.body).find((b) => (b as { accountFor?: string }).accountFor === phone);
    expect(job).toEqual({ accountFor: phone, callbackBase: "https://line.test" });

    const sent = fakeTwilioSms();
    const batch = createMessageBatch("clinic-sms-outbox", [
      { id: "acct-5", timestamp: new Date(), attempts: 1, body: job },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["acct-5"]);
    await vi.waitFor(() => expect(sent.filter((m) => m.To === phone)).toHaveLength(1), { timeout: 5000 });
    const row = await env.DB.prepare("SELECT id FROM sms_outbox WHERE to_number = ? AND purpose = 'account'")
      .bind(phone)
      .first<{ id: number }>();
    expect(sent.find((m) => m.To === phone)!.StatusCallback).toBe(
      `https://line.test/api/sms/status/?outbox=${row!.id}`,
    );
  });
});
