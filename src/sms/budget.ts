/**
 * The line's daily outbound SMS budget: a ceiling on what a flood of bookings or texts (real
 * or scripted with spoofed numbers) can cost in a day. Counted per UTC day in D1, one atomic
 * statement per SMS, so concurrent senders cannot overshoot it. The statement is exposed so
 * callers can send it in a batch they already make (no extra round trip). Raw statements: the
 * counter is an upsert that adds to itself up to a ceiling, sent in other modules' raw batches.
 */
import type { Db } from "../db/client.ts";
import { log } from "../log.ts";

export function budgetDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Counts one SMS against today's budget; returns a row when it fits, none once the budget is spent. */
export function takeFromBudgetStatement(d1: D1Database, budget: number, now: Date): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO sms_daily_usage (day, sent) VALUES (?1, 1)
       ON CONFLICT (day) DO UPDATE SET sent = sent + 1 WHERE sent < ?2
       RETURNING sent`,
    )
    .bind(budgetDay(now), budget);
}

/** Gives back an SMS counted but not sent after all. */
export async function returnToBudget(d1: D1Database, now: Date): Promise<void> {
  await d1.prepare("UPDATE sms_daily_usage SET sent = max(sent - 1, 0) WHERE day = ?").bind(budgetDay(now)).run();
}

/** The budget refused an SMS: the first refusal of the day raises the alert; later ones stay quiet. */
export async function budgetRefused(d1: D1Database, budget: number, now: Date): Promise<void> {
  const day = budgetDay(now);
  const first = await d1
    .prepare("UPDATE sms_daily_usage SET alerted_at = ?2 WHERE day = ?1 AND alerted_at IS NULL RETURNING day")
    .bind(day, now.toISOString())
    .first();
  if (first) log.error("ALERT: daily SMS budget reached; further SMS today are blocked", { day, budget });
}

/** Counts one SMS against today's budget; false (and nothing counted) once it is spent. */
export async function takeFromDailyBudget(db: Db, budget: number, now: Date): Promise<boolean> {
  const counted = await takeFromBudgetStatement(db.$client, budget, now).first();
  if (counted) return true;
  await budgetRefused(db.$client, budget, now);
  return false;
}

export interface SmsUsage {
  day: string;
  sent: number;
  budget: number;
  reached: boolean;
  alertedAt: string | null;
}

/** Today's usage, for the staff desk. */
export async function smsUsage(db: Db, budget: number, now: Date): Promise<SmsUsage> {
  const day = budgetDay(now);
  const row = await db.$client
    .prepare("SELECT sent, alerted_at AS alertedAt FROM sms_daily_usage WHERE day = ?")
    .bind(day)
    .first<{ sent: number; alertedAt: string | null }>();
  const sent = row?.sent ?? 0;
  return { day, sent, budget, reached: sent >= budget, alertedAt: row?.alertedAt ?? null };
}
