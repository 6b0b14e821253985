/**
 * Sends outbox rows. Every SMS is first written to sms_outbox (in the same batch as the
 * booking that causes it); this is the one place that hands rows to Twilio. Without
 * Twilio credentials (local runs) a row is printed and marked "logged", never sent.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { smsOutbox } from "../db/schema.ts";
import { sendSms } from "../twilio/rest.ts";

export const WITHHELD_BODY = "[text withheld: it carried a temporary password]";

export function canSend(config: Config): boolean {
  return Boolean(config.accountSid && config.authToken && config.phoneNumber);
}

export async function deliverSms(db: Db, config: Config, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db
    .select()
    .from(smsOutbox)
    .where(and(inArray(smsOutbox.id, [...ids]), eq(smsOutbox.status, "pending")));
  for (const row of rows) {
    const now = new Date().toISOString();
    const finalBody = row.sensitive ? WITHHELD_BODY : row.body;
    if (!canSend(config)) {
      console.log(
        `[sms log mode] to ${row.toNumber} (${row.purpose}): ${row.sensitive ? "(temporary password withheld from the log)" : row.body}`,
      );
      await db
        .update(smsOutbox)
        .set({ status: "logged", body: finalBody, updatedAt: now })
        .where(eq(smsOutbox.id, row.id));
      continue;
    }
    const result = await sendSms(
      { accountSid: config.accountSid, authToken: config.authToken, apiBaseUrl: config.apiBaseUrl },
      { to: row.toNumber, from: config.phoneNumber, body: row.body },
    );
    await db
      .update(smsOutbox)
      .set(
        result.ok
          ? { status: "sent", messageSid: result.sid, attempts: row.attempts + 1, body: finalBody, updatedAt: now }
          : {
              status: result.retryable ? "pending" : "failed",
              attempts: row.attempts + 1,
              lastError: result.message,
              errorCode: result.errorCode ?? null,
              ...(result.retryable ? {} : { body: finalBody }),
              updatedAt: now,
            },
      )
      .where(eq(smsOutbox.id, row.id));
    if (!result.ok) console.warn(`sms ${row.id} to ${row.toNumber} not sent: ${result.message}`);
  }
}
