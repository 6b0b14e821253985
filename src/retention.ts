/**
 * Data that expires. What patients text, who called and what they pressed, and what the
 * line texted them are kept only as long as they are useful (README "Security and privacy"),
 * then deleted or blanked by the cron job, a bounded batch per table per run so one run never
 * holds D1 for long; a backlog drains over the following minutes.
 */
import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";
import { log } from "./log.ts";

/** Rows each table may lose per run (the cron runs every minute). */
export const RETENTION_BATCH = 500;

const DAY_MS = 24 * 60 * 60_000;

/** Settled statuses (never sent again) whose words are kept a while; delivered ones are blanked at once. */
const AGING = "('sent', 'undelivered', 'failed', 'logged', 'blocked')";

export interface RetentionReport {
  callLogDeleted: number;
  smsInboundDeleted: number;
  smsBodiesBlanked: number;
  smsOutboxDeleted: number;
  callOutboxDeleted: number;
}

export async function enforceRetention(
  db: Db,
  config: Config,
  now: Date,
  batch = RETENTION_BATCH,
): Promise<RetentionReport> {
  const d1 = db.$client;
  const { retention } = config;
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const outboxCutoff = before(retention.smsOutboxDays * DAY_MS);
  const results = await d1.batch([
    d1
      .prepare(
        "DELETE FROM call_log WHERE call_sid IN (SELECT call_sid FROM call_log WHERE created_at < ? ORDER BY created_at LIMIT ?)",
      )
      .bind(before(retention.callLogDays * DAY_MS), batch),
    d1
      .prepare(
        "DELETE FROM sms_inbound WHERE id IN (SELECT id FROM sms_inbound WHERE created_at < ? ORDER BY created_at LIMIT ?)",
      )
      .bind(before(retention.smsInboundDays * DAY_MS), batch),
    // Delivered texts have done their job (the status callback blanks them at once; this
    // catches any it missed); other settled ones keep their words a little while for staff.
    // Both walk `sms_outbox_unblanked_since` (status, then last update) to just the rows they
    // blank, named because without statistics SQLite prefers the outbox's status index and reads
    // every settled text; no ORDER BY, as a sort would read every match before the LIMIT.
    d1
      .prepare(
        `UPDATE sms_outbox SET body = '' WHERE id IN (
           SELECT id FROM sms_outbox INDEXED BY sms_outbox_unblanked_since
            WHERE body <> '' AND status = 'delivered'
           UNION ALL
           SELECT id FROM sms_outbox INDEXED BY sms_outbox_unblanked_since
            WHERE body <> '' AND status IN ${AGING} AND coalesce(updated_at, created_at) < ?2
           LIMIT ?1)`,
      )
      .bind(batch, before(retention.smsBodyHours * 60 * 60_000)),
    d1
      .prepare(
        "DELETE FROM sms_outbox WHERE id IN (SELECT id FROM sms_outbox WHERE created_at < ? AND status <> 'sending' ORDER BY created_at LIMIT ?)",
      )
      .bind(outboxCutoff, batch),
    d1.prepare("DELETE FROM sms_daily_usage WHERE day < ?").bind(outboxCutoff.slice(0, 10)),
    // Settled outbound calls (the patient's number, what they pressed) go with the call log's age.
    d1
      .prepare(
        `DELETE FROM call_outbox WHERE id IN (SELECT id FROM call_outbox
          WHERE created_at < ? AND status NOT IN ('pending', 'placing', 'ringing') ORDER BY created_at LIMIT ?)`,
      )
      .bind(before(retention.callLogDays * DAY_MS), batch),
  ]);
  const changed = (i: number) => results[i]?.meta.changes ?? 0;
  const report = {
    callLogDeleted: changed(0),
    smsInboundDeleted: changed(1),
    smsBodiesBlanked: changed(2),
    smsOutboxDeleted: changed(3),
    callOutboxDeleted: changed(5),
  };
  if (Object.values(report).some((n) => n > 0)) log.info("retention", { ...report });
  return report;
}
