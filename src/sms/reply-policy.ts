/**
 * Whether an inbound SMS gets an answer. Every reply is an outbound SMS someone pays for,
 * and two auto-responders answering each other never stop. So: no reply to senders that are
 * not phone numbers (short codes, alphanumeric IDs like "VK-HDFCBK"), none to numbers the
 * line may not text (sms/policy.ts), at most N an hour to one sender, and none once the
 * daily budget is spent. Texts that get no answer are still stored for the staff.
 */
import { and, count, eq, gt, ne } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { smsInbound } from "../db/schema.ts";
import { normalizePhone } from "../patients/phone.ts";
import { takeFromDailyBudget } from "./budget.ts";
import { smsDestination } from "./policy.ts";

export type ReplyDecision =
  | { reply: true; phone: string }
  /** "ignored": nobody to answer; "unanswered": a sender we could answer, but not now. */
  | { reply: false; command: "ignored" | "unanswered" };

const HOUR_MS = 60 * 60_000;

export async function replyDecision(
  db: Db,
  config: Config,
  from: string | undefined,
  now: Date,
): Promise<ReplyDecision> {
  const phone = normalizePhone(from);
  if (!phone || !from) return { reply: false, command: "ignored" };
  if (!smsDestination(phone, config).allowed) return { reply: false, command: "ignored" };
  const recent = await db
    .select({ replies: count() })
    .from(smsInbound)
    .where(
      and(
        eq(smsInbound.fromNumber, from),
        gt(smsInbound.createdAt, new Date(now.getTime() - HOUR_MS).toISOString()),
        ne(smsInbound.reply, ""),
      ),
    )
    .get();
  if ((recent?.replies ?? 0) >= config.smsRepliesPerSenderPerHour) return { reply: false, command: "unanswered" };
  if (!(await takeFromDailyBudget(db, config.smsDailyBudget, now))) return { reply: false, command: "unanswered" };
  return { reply: true, phone };
}
