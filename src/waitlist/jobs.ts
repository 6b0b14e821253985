/**
 * The queue job that hands a freed time to the waitlist: written by the booking service beside
 * the cancel's or move's own SMS jobs (no round trip of its own), run by the queue consumer.
 * It names a time only, never a patient.
 */
import { parseDate } from "../slots/calendar.ts";
import type { FreedTime } from "../stores/waitlist.ts";

export type WaitlistJob = { waitlistFreed: FreedTime };

/**
 * How long the job waits on the queue: the object frees the time beside the job's send, and
 * the consumer must find it free.
 */
export const FREED_DELAY_SECONDS = 2;

export function asWaitlistJob(body: unknown): WaitlistJob | null {
  const freed = (body as { waitlistFreed?: Partial<FreedTime> } | null)?.waitlistFreed;
  if (!freed || typeof freed !== "object") return null;
  const { doctorId, date, startMinute } = freed;
  const valid =
    Number.isInteger(doctorId) &&
    doctorId! > 0 &&
    typeof date === "string" &&
    parseDate(date) !== null &&
    Number.isInteger(startMinute) &&
    startMinute! >= 0 &&
    startMinute! < 24 * 60;
  return valid ? { waitlistFreed: { doctorId: doctorId!, date, startMinute: startMinute! } } : null;
}
