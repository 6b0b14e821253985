/**
 * SMS that did not reach a patient, beside their appointment on the desk: an operator's
 * rejection (do-not-disturb, a template or header not registered), a blocked text (no DLT
 * template id, a number the line may not text, the daily budget) or a failure Twilio or Exotel
 * reported. The desk can then call the patient instead. Read in one query for the whole queue.
 */
import type { Db } from "../db/client.ts";
import { undeliveredOf } from "../stores/outbox.ts";

/** The newest undelivered SMS of each appointment that has one, with its recorded reason. */
export async function smsProblems(db: Db, appointmentIds: readonly number[]): Promise<Map<number, string>> {
  const problems = new Map<number, string>();
  if (appointmentIds.length === 0) return problems;
  for (const row of await undeliveredOf(db, appointmentIds))
    problems.set(row.appointmentId!, row.reason?.trim() || row.status);
  return problems;
}
