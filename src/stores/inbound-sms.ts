/**
 * The inbound SMS log (table sms_inbound): every text a patient sent, claimed by its
 * MessageSid before it is acted on (Twilio retries webhooks), with the command it was and the
 * reply it got, so a retry is answered with exactly that reply.
 */
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { smsInbound } from "../db/schema.ts";
import type { BatchPart } from "./batch.ts";

export interface InboundText {
  messageSid: string;
  from: string | null;
  to: string | null;
  body: string;
  /** From this request's clock, which the per-sender reply limit counts by. */
  receivedAt: string;
}

/**
 * Stores the text unless its MessageSid is stored already; read as whether this request
 * claimed it. Raw: ON CONFLICT DO NOTHING RETURNING, in a batch with raw statements.
 */
export function claimInboundPart(d1: D1Database, text: InboundText): BatchPart<boolean> {
  return {
    statements: [
      d1
        .prepare(
          `INSERT INTO sms_inbound (message_sid, from_number, to_number, body, command, reply, created_at)
       VALUES (?, ?, ?, ?, 'pending', '', ?) ON CONFLICT (message_sid) DO NOTHING RETURNING id`,
        )
        .bind(text.messageSid, text.from, text.to, text.body, text.receivedAt),
    ],
    read: ([claimed]) => (claimed?.results.length ?? 0) > 0,
  };
}

/** Records what the text was and the reply it got (to commit with the change it caused, or alone). */
export function recordReplyStatement(d1: D1Database, messageSid: string, command: string, reply: string) {
  return d1
    .prepare("UPDATE sms_inbound SET command = ?, reply = ? WHERE message_sid = ?")
    .bind(command, reply, messageSid);
}

/** How many replies this sender got since `since`: one statement, for the reply policy's batch. */
export function repliesSinceStatement(d1: D1Database, from: string, since: Date): D1PreparedStatement {
  return d1
    .prepare("SELECT count(*) AS replies FROM sms_inbound WHERE from_number = ? AND created_at > ? AND reply <> ''")
    .bind(from, since.toISOString());
}

/** The reply an earlier delivery of this text got ("" when it got none). */
export async function earlierReply(db: Db, messageSid: string): Promise<string> {
  const row = await db
    .select({ reply: smsInbound.reply })
    .from(smsInbound)
    .where(eq(smsInbound.messageSid, messageSid))
    .get();
  return row?.reply ?? "";
}

/** Forgets a claimed text, so a retry of it is handled afresh. */
export async function releaseInbound(db: Db, messageSid: string): Promise<void> {
  await db.delete(smsInbound).where(eq(smsInbound.messageSid, messageSid));
}

/** Texts that were not commands ("help") or were not answered ("unanswered"), newest first: the desk's messages. */
export function textsForStaff(db: Db, page: { before?: number; limit: number }) {
  return db
    .select({
      id: smsInbound.id,
      from: smsInbound.fromNumber,
      body: smsInbound.body,
      /** "help" (answered with the help text) or "unanswered" (not acted on: staff may need to). */
      command: smsInbound.command,
      receivedAt: smsInbound.createdAt,
    })
    .from(smsInbound)
    .where(
      and(
        inArray(smsInbound.command, ["help", "unanswered"]),
        page.before ? lt(smsInbound.id, page.before) : undefined,
      ),
    )
    .orderBy(desc(smsInbound.id))
    .limit(page.limit);
}
