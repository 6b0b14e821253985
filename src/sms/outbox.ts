/**
 * Durable SMS delivery. Rows are written to sms_outbox in the same D1 batch as the change
 * that causes them; their ids go on the SMS queue; the queue consumer (this Worker) sends
 * them; a scheduled sweep re-queues rows whose queue message was lost.
 *
 * Exactly-once per row: a sender first claims the row (pending -> sending, one conditional
 * UPDATE), so a message the queue delivers twice finds nothing to claim. A row left
 * "sending" by a sender that died is re-queued only after its claim lapses, and Twilio's
 * status callback (which names the row) settles it meanwhile if Twilio did take it.
 */
import { and, eq, gte, isNull, lte, or, sql } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { patientAccounts, patients, smsOutbox } from "../db/schema.ts";
import type { ReasonJob } from "../reasons/jobs.ts";
import { sendSms } from "../twilio/rest.ts";

export const WITHHELD_BODY = "[text withheld: it carried a temporary password]";
/** After this many failed tries a row is given up as failed. */
export const MAX_ATTEMPTS = 8;
/** How long a sender's claim lasts before the sweep may hand the row to another. */
export const CLAIM_MS = 10 * 60_000;
/** Rows younger than this are left to the queue message written with them. */
const SWEEP_GRACE_MS = 60_000;
/** How far back the sweep looks for patients whose account job was lost. */
const ACCOUNT_SWEEP_WINDOW_MS = 2 * 86_400_000;

/**
 * A message on the SMS queue: deliver one outbox row, or create a first-time patient's
 * account (a slow PBKDF2 hash, kept out of the call) and then deliver its password SMS, or a
 * reason job (transcribe a recorded reason, summarise an appointment for its doctor).
 */
export type SmsJob = { outboxId: number } | { accountFor: string; callbackBase: string } | ReasonJob;

export type DeliveryOutcome =
  | { outcome: "sent"; sid: string }
  | { outcome: "logged" }
  | { outcome: "retry"; delaySeconds: number; error: string }
  | { outcome: "failed"; error: string }
  /** Nothing to do: already claimed, sent, or not due yet (a duplicate or early message). */
  | { outcome: "skipped" };

export function canSend(config: Config): boolean {
  return Boolean(config.accountSid && config.authToken && config.phoneNumber);
}

/** 30 s, 1 min, 2 min ... capped at 1 hour: Twilio outages rarely outlast that. */
export function backoffSeconds(attempts: number): number {
  return Math.min(30 * 2 ** Math.max(0, attempts - 1), 3600);
}

/** Hands rows to the queue. A lost message is not fatal: the sweep finds the row. */
export async function enqueueSms(queue: Queue<SmsJob>, ids: readonly number[], delaySeconds = 0): Promise<void> {
  await enqueueJobs(
    queue,
    ids.map((outboxId) => ({ outboxId })),
    delaySeconds,
  );
}

export async function enqueueJobs(queue: Queue<SmsJob>, jobs: readonly SmsJob[], delaySeconds = 0): Promise<void> {
  if (jobs.length === 0) return;
  await queue.sendBatch(jobs.map((body) => ({ body, ...(delaySeconds ? { delaySeconds } : {}) })));
}

/** The StatusCallback URL for a row: Twilio reports delivery there, naming the row. */
export function statusCallbackUrl(publicBaseUrl: string, outboxId: number): string | undefined {
  if (!publicBaseUrl) return undefined; // Twilio cannot reach a URL we do not know
  return `${publicBaseUrl.replace(/\/+$/, "")}/api/sms/status/?outbox=${outboxId}`;
}

/** Claims one due row, sends it, records the outcome. Safe to call twice for one row. */
export async function deliverOne(db: Db, config: Config, outboxId: number, now: Date): Promise<DeliveryOutcome> {
  const nowIso = now.toISOString();
  const claimed = await db
    .update(smsOutbox)
    .set({
      status: "sending",
      attempts: sql`${smsOutbox.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + CLAIM_MS).toISOString(),
      updatedAt: nowIso,
    })
    .where(
      and(
        eq(smsOutbox.id, outboxId),
        or(
          and(
            eq(smsOutbox.status, "pending"),
            or(isNull(smsOutbox.nextAttemptAt), lte(smsOutbox.nextAttemptAt, nowIso)),
          ),
          // A sender that died mid-send: its claim has lapsed and no status callback came.
          and(eq(smsOutbox.status, "sending"), lte(smsOutbox.nextAttemptAt, nowIso)),
        ),
      ),
    )
    .returning()
    .get();
  if (!claimed) return { outcome: "skipped" };

  const finalBody = claimed.sensitive ? WITHHELD_BODY : claimed.body;
  if (!canSend(config)) {
    console.log(
      `[sms log mode] #${claimed.id} to ${claimed.toNumber} (${claimed.purpose}): ${
        claimed.sensitive ? "(temporary password withheld from the log)" : claimed.body
      }`,
    );
    await db
      .update(smsOutbox)
      .set({ status: "logged", body: finalBody, nextAttemptAt: null, updatedAt: nowIso })
      .where(eq(smsOutbox.id, claimed.id));
    return { outcome: "logged" };
  }

  const callback = statusCallbackUrl(config.publicBaseUrl || claimed.callbackBase || "", claimed.id);
  const result = await sendSms(
    { accountSid: config.accountSid, authToken: config.authToken, apiBaseUrl: config.apiBaseUrl },
    {
      to: claimed.toNumber,
      from: config.phoneNumber,
      body: claimed.body,
      ...(callback ? { statusCallback: callback } : {}),
    },
    { timeoutMs: config.twilioTimeoutMs },
  );
  const done = new Date().toISOString();
  if (result.ok) {
    await db
      .update(smsOutbox)
      .set({
        status: "sent",
        messageSid: result.sid,
        body: finalBody,
        nextAttemptAt: null,
        lastError: null,
        updatedAt: done,
      })
      .where(and(eq(smsOutbox.id, claimed.id), eq(smsOutbox.status, "sending")));
    return { outcome: "sent", sid: result.sid };
  }
  const giveUp = !result.retryable || claimed.attempts >= MAX_ATTEMPTS;
  const delaySeconds = backoffSeconds(claimed.attempts);
  await db
    .update(smsOutbox)
    .set({
      status: giveUp ? "failed" : "pending",
      lastError: result.message.slice(0, 500),
      errorCode: result.errorCode ?? null,
      nextAttemptAt: giveUp ? null : new Date(now.getTime() + delaySeconds * 1000).toISOString(),
      ...(giveUp ? { body: finalBody } : {}),
      updatedAt: done,
    })
    .where(and(eq(smsOutbox.id, claimed.id), eq(smsOutbox.status, "sending")));
  console.warn(`sms #${claimed.id} not sent (attempt ${claimed.attempts}): ${result.message}`);
  return giveUp
    ? { outcome: "failed", error: result.message }
    : { outcome: "retry", delaySeconds, error: result.message };
}

/** Rows due for delivery whose queue message may have been lost; re-queues them. */
export async function sweepOutbox(db: Db, queue: Queue<SmsJob>, now: Date, limit = 100): Promise<number[]> {
  const nowIso = now.toISOString();
  const graceIso = new Date(now.getTime() - SWEEP_GRACE_MS).toISOString();
  const due = await db
    .select({ id: smsOutbox.id })
    .from(smsOutbox)
    .where(
      or(
        and(
          eq(smsOutbox.status, "pending"),
          lte(smsOutbox.createdAt, graceIso),
          or(isNull(smsOutbox.nextAttemptAt), lte(smsOutbox.nextAttemptAt, nowIso)),
        ),
        and(eq(smsOutbox.status, "sending"), lte(smsOutbox.nextAttemptAt, nowIso)),
      ),
    )
    .orderBy(smsOutbox.id)
    .limit(limit);
  const ids = due.map((r) => r.id);
  // Patients whose account job was lost (the first booking's queue send failed).
  const windowIso = new Date(now.getTime() - ACCOUNT_SWEEP_WINDOW_MS).toISOString();
  const withoutAccount = await db
    .select({ phone: patients.phone })
    .from(patients)
    .leftJoin(patientAccounts, eq(patientAccounts.patientId, patients.id))
    // A window on created_at (indexed) instead of a scan of every patient each minute; an
    // older patient without an account gets one with their next booking.
    .where(
      and(
        isNull(patientAccounts.id),
        lte(patients.createdAt, graceIso),
        gte(patients.createdAt, windowIso),
        // Only patients who booked: choosing a language on the phone line also makes a patient row.
        sql`exists (select 1 from appointments a where a.patient_id = ${patients.id})`,
      ),
    )
    .limit(limit);
  await enqueueJobs(queue, [
    ...ids.map((outboxId) => ({ outboxId })),
    ...withoutAccount.map((p) => ({ accountFor: p.phone, callbackBase: "" })),
  ]);
  return ids;
}

const STATUS_RANK: Record<string, number> = { sent: 1, delivered: 2, undelivered: 2, failed: 2 };

/** Records a Twilio status callback on its row; never moves a row backwards (callbacks race). */
export async function recordDeliveryStatus(
  db: Db,
  outboxId: number,
  report: { messageSid: string; status: string; errorCode?: number },
): Promise<boolean> {
  const mapped =
    report.status === "delivered" || report.status === "undelivered" || report.status === "failed"
      ? report.status
      : ["queued", "accepted", "sending", "sent", "scheduled"].includes(report.status)
        ? "sent"
        : null;
  if (!mapped) return false;
  const row = await db.select().from(smsOutbox).where(eq(smsOutbox.id, outboxId)).get();
  if (!row || (row.messageSid && row.messageSid !== report.messageSid)) return false;
  if (
    (STATUS_RANK[row.status] ?? 0) > (STATUS_RANK[mapped] ?? 0) &&
    row.status !== "sending" &&
    row.status !== "pending"
  ) {
    return true; // a later state is already known
  }
  await db
    .update(smsOutbox)
    .set({
      status: mapped,
      messageSid: report.messageSid,
      nextAttemptAt: null,
      ...(report.errorCode !== undefined ? { errorCode: report.errorCode } : {}),
      ...(row.sensitive ? { body: WITHHELD_BODY } : {}),
      updatedAt: new Date().toISOString(),
    })
    .where(eq(smsOutbox.id, outboxId));
  return true;
}
