/**
 * The patient confirms they will come (1 on the reminder call): the appointment is marked, once.
 * Only a booked appointment of this phone; a second confirmation keeps the first one's time.
 */
import type { Db } from "../db/client.ts";

export async function confirmAttendance(db: Db, phone: string, appointmentId: number, now: Date): Promise<boolean> {
  const row = await db.$client
    .prepare(
      `UPDATE appointments SET confirmed_at = coalesce(confirmed_at, ?1)
        WHERE id = ?2 AND status = 'booked' AND patient_id = (SELECT id FROM patients WHERE phone = ?3)
        RETURNING id`,
    )
    .bind(now.toISOString(), appointmentId, phone)
    .first<{ id: number }>();
  return row !== null;
}
