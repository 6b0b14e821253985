/** A patient's "stop these calls" (9 on a reminder call): kept, with its first time, for every later reminder. */
import type { Db } from "../db/client.ts";

export async function stopReminderCalls(db: Db, phone: string, now: Date): Promise<void> {
  await db.$client
    .prepare("UPDATE patients SET reminder_calls_off_at = coalesce(reminder_calls_off_at, ?1) WHERE phone = ?2")
    .bind(now.toISOString(), phone)
    .run();
}
