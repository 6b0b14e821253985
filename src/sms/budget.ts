/**
 * The line's daily outbound SMS budget: a ceiling on what a flood of bookings (real or
 * scripted with spoofed caller IDs) can cost in a day. Counted per UTC day in D1, one atomic
 * statement per send, so concurrent consumers cannot overshoot it.
 */
import type { Db } from "../db/client.ts";
import { log } from "../log.ts";

export function budgetDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Counts one SMS against today's budget; false (and nothing counted) once it is spent. */
export async function takeFromDailyBudget(db: Db, budget: number, now: Date): Promise<boolean> {
  const d1 = db.$client;
  const day = budgetDay(now);
  const counted = await d1
    .prepare(
      `INSERT INTO sms_daily_usage (day, sent) VALUES (?1, 1)
       ON CONFLICT (day) DO UPDATE SET sent = sent + 1 WHERE sent < ?2
       RETURNING sent`,
    )
    .bind(day, budget)
    .first<{ sent: number }>();
  if (counted) return true;
  // The first refusal of the day raises the alert; later ones stay quiet.
  const first = await d1
    .prepare("UPDATE sms_daily_usage SET alerted_at = ?2 WHERE day = ?1 AND alerted_at IS NULL RETURNING day")
    .bind(day, now.toISOString())
    .first();
  if (first) {
    log.error("ALERT: daily SMS budget reached; further SMS today are blocked", { day, budget });
  }
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
