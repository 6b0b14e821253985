/**
 * SMS that did not reach a patient, beside their appointment on the desk: an operator's
 * rejection (do-not-disturb, a template or header not registered), a blocked text (no DLT
 * template id, a number the line may not text, the daily budget) or a failure Twilio or Exotel
 * reported. The desk can then call the patient instead. Read in one query for the whole queue.
 */
import type { Db } from "../db/client.ts";

/** The newest undelivered SMS of each appointment that has one, with its recorded reason. */
export async function smsProblems(db: Db, appointmentIds: readonly number[]): Promise<Map<number, string>> {
  const problems = new Map<number, string>();
  if (appointmentIds.length === 0) return problems;
  const { results } = await db.$client
    .prepare(
      `SELECT appointment_id AS id, status, last_error AS reason FROM sms_outbox
        WHERE appointment_id IN (SELECT value FROM json_each(?)) AND status IN ('failed', 'undelivered', 'blocked')
        ORDER BY id`,
    )
    .bind(JSON.stringify(appointmentIds))
    .all<{ id: number; status: string; reason: string | null }>();
  for (const row of results) problems.set(row.id, row.reason?.trim() || row.status);
  return problems;
}
