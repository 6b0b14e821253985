/**
 * Which doctor-days a call holds a time in, so that a call that ends lets go of them at once
 * instead of when the holds expire.
 *
 * Why a D1 table written after the answer: the flow knows its hold only from its action URLs,
 * and Twilio's status callback (set once per number) carries none of them. Writing the hold
 * beside the call log, after the TwiML has gone, costs the caller no round trip, so the offer
 * keeps its budget of three. The price: a caller who hangs up within milliseconds of hearing
 * an offer may end the call before the row exists; that hold then lapses by its expiry, the
 * fallback that stays in place for every other failure too. The hold's INSERT is raw: it is
 * written in the call log's raw batch (stores/call-log.ts).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { callHolds } from "../db/schema.ts";
import type { DoctorDay } from "./doctor-day.ts";
import { doctorDayStub } from "./doctor-day.ts";
import type { HeldSlot } from "./calendar.ts";

/** Twilio's CallStatus values for a call that is over. */
export const ENDED_CALL_STATUSES = ["completed", "busy", "no-answer", "failed", "canceled"] as const;

export function callHasEnded(status: string | undefined): boolean {
  return (ENDED_CALL_STATUSES as readonly string[]).includes(status ?? "");
}

/** Notes that this call holds (or held) a time in the hold's doctor-day. Idempotent. */
export function recordHoldStatement(d1: D1Database, callSid: string, held: HeldSlot): D1PreparedStatement {
  return d1
    .prepare("INSERT OR IGNORE INTO call_holds (call_sid, doctor_id, local_date) VALUES (?, ?, ?)")
    .bind(callSid, held.doctorId, held.date);
}

/**
 * Releases every hold the call has in any doctor-day it held a time in, all at once. Never
 * books or cancels (release drops holds only); an unknown call releases nothing; a replay
 * finds the rows gone. Returns how many doctor-days were asked.
 */
export async function releaseCallHolds(
  db: Db,
  doctorDays: DurableObjectNamespace<DoctorDay>,
  callSid: string,
): Promise<number> {
  const held = await db
    .select({ doctorId: callHolds.doctorId, date: callHolds.localDate })
    .from(callHolds)
    .where(eq(callHolds.callSid, callSid));
  await Promise.all(held.map((r) => doctorDayStub(doctorDays, r.doctorId, r.date).release(callSid)));
  // Only after every object has let go: a failed release leaves the rows for Twilio's retry.
  if (held.length > 0) await db.delete(callHolds).where(eq(callHolds.callSid, callSid));
  return held.length;
}
