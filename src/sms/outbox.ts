/**
 * Durable SMS delivery. Rows are written to sms_outbox in the same D1 batch as the change
 * that causes them; their ids go on the job queue (jobs/queue.ts); the queue consumer (this Worker) sends
 * them; a scheduled sweep re-queues rows whose queue message was lost.
 *
 * Exactly-once per row: a sender first claims the row (pending -> sending, one conditional
 * UPDATE), so a message the queue delivers twice finds nothing to claim. A row left
 * "sending" by a sender that died is re-queued only after its claim lapses, and Twilio's
 * status callback (which names the row) settles it meanwhile if Twilio did take it.
 */
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { smsOutbox } from "../db/schema.ts";
import { maskPhone, log } from "../log.ts";
import { renderAccountSms, WITHHELD_BODY, type AccountSecret } from "./account-sms.ts";
import { preferredLanguage } from "../stores/patients.ts";
import { isLanguage, type Language } from "../words/index.ts";
import { enqueueSms, type Job } from "../jobs/queue.ts";
import { takeFromDailyBudget } from "./budget.ts";
import { smsDestination, type SmsBlockReason } from "./policy.ts";
import type { DeliveryReport } from "./providers/types.ts";
import { TEMPLATE_KEYS, type RenderedSms, type TemplateKey } from "./templates/index.ts";
import { smsTransport, templateIdKey } from "./transport.ts";

export { WITHHELD_BODY };
/** How long a row waits when the SMS settings are wrong (the error is logged each time). */
const MISCONFIGURED_RETRY_SECONDS = 300;
/** After this many failed tries a row is given up as failed. */
export const MAX_ATTEMPTS = 8;
/** How long a sender's claim lasts before the sweep may hand the row to another. */
export const CLAIM_MS = 10 * 60_000;
/** Rows younger than this are left to the queue message written with them. */
const SWEEP_GRACE_MS = 60_000;

export type DeliveryOutcome =
  | { outcome: "sent"; sid: string }
  | { outcome: "logged" }
  | { outcome: "retry"; delaySeconds: number; error: string }
  | { outcome: "failed"; error: string }
  /** Never to be sent: a destination the policy refuses, today's budget is spent, or no DLT template id. */
  | { outcome: "blocked"; reason: BlockReason }
  /** Nothing to do: already claimed, sent, or not due yet (a duplicate or early message). */
  | { outcome: "skipped" };

type BlockReason = SmsBlockReason | "daily-budget" | `no DLT template id for ${string}`;

/** 30 s, 1 min, 2 min ... capped at 1 hour: Twilio outages rarely outlast that. */
export function backoffSeconds(attempts: number): number {
  return Math.min(30 * 2 ** Math.max(0, attempts - 1), 3600);
}

/** Claims one due row, sends it, records the outcome. Safe to call twice for one row. */
export async function deliverOne(
  db: Db,
  config: Config,
  outboxId: number,
  now: Date,
  secret?: AccountSecret,
): Promise<DeliveryOutcome> {
  const transport = smsTransport(config);
  if (transport.kind === "misconfigured") {
    // Checked before claiming: the row stays pending, untouched, until the settings are fixed.
    log.error("SMS not sent: configuration error", { outboxId, problem: transport.problem });
    return { outcome: "retry", delaySeconds: MISCONFIGURED_RETRY_SECONDS, error: "configuration error" };
  }
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

  const destination = smsDestination(claimed.toNumber, config);
  if (!destination.allowed) return block(db, claimed.id, destination.reason, nowIso);

  const finalBody = claimed.sensitive ? WITHHELD_BODY : claimed.body;
  if (transport.kind === "log") {
    // Local runs: the text stays in the local sms_outbox table; the log says only that it exists.
    log.info("[sms log mode] not sent", {
      outboxId: claimed.id,
      to: maskPhone(claimed.toNumber),
      purpose: claimed.purpose,
      characters: claimed.sensitive ? undefined : claimed.body.length,
    });
    await db
      .update(smsOutbox)
      .set({ status: "logged", body: finalBody, nextAttemptAt: null, updatedAt: nowIso })
      .where(eq(smsOutbox.id, claimed.id));
    return { outcome: "logged" };
  }

  const sms: OutboxText | null =
    claimed.purpose === "account"
      ? await renderAccountSms(
          db,
          // In the language the caller chose on the line.
          (await preferredLanguage(db, claimed.toNumber)) ?? config.defaultLanguage,
          claimed.toNumber,
          secret,
          patientPage(config.publicBaseUrl || claimed.callbackBase || ""),
        )
      : rowSms(claimed, config.defaultLanguage);
  if (sms === null) {
    await settle(db, claimed.id, { status: "failed", lastError: "no temporary password to send", body: finalBody });
    return { outcome: "failed", error: "no temporary password to send" };
  }
  const provider = transport.provider;
  const dltTemplateId = provider.needsTemplateIds ? templateId(config, sms) : undefined;
  if (dltTemplateId === null) {
    // An operator drops a text that matches no registered template: never send free text.
    return block(
      db,
      claimed.id,
      `no DLT template id for ${templateIdKey(sms.template ?? "(none)", sms.language)}`,
      nowIso,
    );
  }
  if (!(await takeFromDailyBudget(db, config.smsDailyBudget, now))) {
    return block(db, claimed.id, "daily-budget", nowIso);
  }

  const callback = await provider.statusCallback(config.publicBaseUrl || claimed.callbackBase || "", claimed.id);
  const result = await provider.send(
    {
      to: claimed.toNumber,
      body: sms.body,
      ...(dltTemplateId ? { dltTemplateId } : {}),
      ...(callback ? { statusCallback: callback } : {}),
    },
    { timeoutMs: config.twilioTimeoutMs },
  );
  const done = new Date().toISOString();
  if (result.ok) {
    await settle(db, claimed.id, {
      status: "sent",
      messageSid: result.sid,
      body: finalBody,
      nextAttemptAt: null,
      lastError: null,
      updatedAt: done,
    });
    return { outcome: "sent", sid: result.sid };
  }
  const giveUp = !result.retryable || claimed.attempts >= MAX_ATTEMPTS;
  const delaySeconds = backoffSeconds(claimed.attempts);
  await settle(db, claimed.id, {
    status: giveUp ? "failed" : "pending",
    lastError: result.message.slice(0, 500),
    errorCode: result.errorCode ?? null,
    nextAttemptAt: giveUp ? null : new Date(now.getTime() + delaySeconds * 1000).toISOString(),
    ...(giveUp ? { body: finalBody } : {}),
    updatedAt: done,
  });
  log.warn("sms not sent", {
    outboxId: claimed.id,
    provider: provider.name,
    attempt: claimed.attempts,
    httpStatus: result.httpStatus,
    errorCode: result.errorCode,
    // Twilio's messages name the problem, and sometimes the number: masked by the logger.
    problem: result.message,
  });
  return giveUp
    ? { outcome: "failed", error: result.message }
    : { outcome: "retry", delaySeconds, error: result.message };
}

/** A stored row's text and template (rows written before templates existed have none). */
type OutboxText = Omit<RenderedSms, "template"> & { template: TemplateKey | null };

function rowSms(row: typeof smsOutbox.$inferSelect, fallback: Language): OutboxText {
  const language = row.language && isLanguage(row.language) ? row.language : fallback;
  const template = TEMPLATE_KEYS.find((key) => key === row.template) ?? null;
  return { body: row.body, template, language };
}

/** The DLT template id of a text, or null when none is configured (or the row names no template). */
function templateId(config: Config, sms: { template: string | null; language: Language }): string | null {
  if (!sms.template) return null;
  return config.sms.dlt.templateIds[templateIdKey(sms.template, sms.language)] ?? null;
}

/** Records the outcome of a claimed row, unless a status callback already settled it. */
async function settle(db: Db, id: number, values: Partial<typeof smsOutbox.$inferInsert>): Promise<void> {
  await db
    .update(smsOutbox)
    .set({ updatedAt: new Date().toISOString(), ...values })
    .where(and(eq(smsOutbox.id, id), eq(smsOutbox.status, "sending")));
}

/** A row that will never be sent: final status, and no text kept for it. */
async function block(db: Db, id: number, reason: BlockReason, nowIso: string) {
  await settle(db, id, {
    status: "blocked",
    body: "",
    lastError: `blocked: ${reason}`,
    nextAttemptAt: null,
    updatedAt: nowIso,
  });
  log.warn("sms blocked", { outboxId: id, why: reason });
  return { outcome: "blocked", reason } as const;
}

/** Rows due for delivery whose queue message may have been lost; re-queues them. */
export async function sweepOutbox(db: Db, queue: Queue<Job>, now: Date, limit = 100): Promise<number[]> {
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
  await enqueueSms(queue, ids);
  return ids;
}

const STATUS_RANK: Record<string, number> = { sent: 1, delivered: 2, undelivered: 2, failed: 2 };

/** A Twilio status callback's MessageStatus in the outbox's terms (null: not a status). */
export function twilioDeliveryStatus(status: string): DeliveryReport["status"] | null {
  if (status === "delivered" || status === "undelivered" || status === "failed") return status;
  return ["queued", "accepted", "sending", "sent", "scheduled"].includes(status) ? "sent" : null;
}

/** Records a provider's delivery report on its row; never moves a row backwards (reports race). */
export async function recordDeliveryStatus(db: Db, outboxId: number, report: DeliveryReport): Promise<boolean> {
  const mapped = report.status;
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
      // An operator's rejection (DND, template mismatch, header not registered) is shown at the desk.
      ...(report.reason ? { lastError: report.reason.slice(0, 500) } : {}),
      // A delivered text has done its job: its words are not kept (retention blanks the rest later).
      ...(mapped === "delivered" ? { body: "" } : row.sensitive ? { body: WITHHELD_BODY } : {}),
      updatedAt: new Date().toISOString(),
    })
    .where(eq(smsOutbox.id, outboxId));
  return true;
}

/** The patient's page (/me) under a public base address, or "" when none is known. */
function patientPage(base: string): string {
  return base ? `${base.replace(/\/+$/, "")}/me` : "";
}
