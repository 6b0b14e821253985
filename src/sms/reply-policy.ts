/**
 * Whether an inbound SMS gets an answer. Every reply is an outbound SMS someone pays for,
 * and two auto-responders answering each other never stop. So: no reply to senders that are
 * not phone numbers (short codes, alphanumeric IDs like "VK-HDFCBK"), none to numbers the
 * line may not text (sms/policy.ts), at most N an hour to one sender, and none once the
 * daily budget is spent. Texts that get no answer are still stored for the staff.
 *
 * The checks that need D1 are two statements the inbound route sends in the batch it already
 * makes (claiming the message), so they cost no round trip of their own.
 */
import type { Config } from "../config.ts";
import { normalizePhone } from "../patients/phone.ts";
import { budgetRefused, returnToBudget, takeFromBudgetStatement } from "./budget.ts";
import { smsDestination } from "./policy.ts";
import type { BatchPart } from "../stores/batch.ts";
import { repliesSinceStatement } from "../stores/inbound-sms.ts";

export type ReplyDecision =
  | { reply: true; phone: string }
  /** "ignored": nobody to answer; "unanswered": a sender we could answer, but not now. */
  | { reply: false; command: "ignored" | "unanswered" };

/**
 * Its statements run in one batch (after the message is stored; none when no reply is possible
 * at all); read back, a decision. `answering: false` (a repeated message gets its earlier
 * reply) gives back the budget the statements took.
 */
export type ReplyCheck = BatchPart<(answering?: boolean) => Promise<ReplyDecision>>;

const HOUR_MS = 60 * 60_000;

export function replyCheck(d1: D1Database, config: Config, from: string | undefined, now: Date): ReplyCheck {
  const phone = normalizePhone(from);
  if (!phone || !from || !smsDestination(phone, config).allowed) {
    return { statements: [], read: () => async () => ({ reply: false, command: "ignored" }) };
  }
  const statements = [
    // Replies this sender got in the last hour (the message just stored has none yet).
    repliesSinceStatement(d1, from, new Date(now.getTime() - HOUR_MS)),
    takeFromBudgetStatement(d1, config.smsDailyBudget, now),
  ];
  return {
    statements,
    read:
      ([recent, budget]) =>
      async (answering = true) => {
        const replies = Number((recent?.results[0] as { replies?: number } | undefined)?.replies ?? 0);
        const counted = (budget?.results.length ?? 0) > 0;
        const allowed = answering && replies < config.smsRepliesPerSenderPerHour;
        if (counted && !allowed) await returnToBudget(d1, now);
        if (!counted && allowed) await budgetRefused(d1, config.smsDailyBudget, now);
        return counted && allowed ? { reply: true, phone } : { reply: false, command: "unanswered" };
      },
  };
}
