/**
 * Whether a waitlist offer is a call: where the clinic's reminder calls are on, the patient has
 * not stopped the line's calls, the SMS policy allows the number, it is calling hours, and enough
 * of the hold is left to answer; else the text (offer-sms.ts). The call's row is written here, in
 * the call outbox; placing it, its callbacks and its fallback are the outbox's (src/calls).
 */
import type { Config } from "../config.ts";
import { CALLING_HOURS } from "../calls/settings.ts";
import { localClock, localToInstant } from "../slots/calendar.ts";
import { smsDestination } from "../sms/policy.ts";
import { insertWaitlistCallStatement } from "../stores/call-outbox.ts";
import type { HeldTimeFacts } from "./offer-sms.ts";

/** Less than this left of the hold: a call would ring out the window, the text goes instead. */
export const MIN_CALL_WINDOW_MS = 3 * 60_000;

export interface OfferToCall extends HeldTimeFacts {
  offerId: number;
  phone: string;
  language: string;
  clinic: HeldTimeFacts["clinic"] & { reminderCalls?: boolean };
}

/**
 * The offer's call row, if the offer is to be a call (null: text it). The statement writes
 * nothing when the patient has stopped the line's calls (then the text goes) or a row exists.
 */
export function waitlistCallStatement(
  d1: D1Database,
  config: Pick<Config, "smsAllowedCountryCodes">,
  offer: OfferToCall,
  now: Date,
): D1PreparedStatement | null {
  if (!offer.clinic.reminderCalls || !smsDestination(offer.phone, config).allowed) return null;
  const local = localClock(now, offer.clinic.timezone);
  if (local.minute < CALLING_HOURS.from || local.minute >= CALLING_HOURS.to) return null;
  // No call is placed once the patient could no longer answer it in time, nor after calling hours.
  const endOfHours = localToInstant(local.date, CALLING_HOURS.to, offer.clinic.timezone).getTime();
  const notAfter = Math.min(offer.expiresAtMs - MIN_CALL_WINDOW_MS, endOfHours);
  if (notAfter <= now.getTime()) return null;
  return insertWaitlistCallStatement(d1, {
    offerId: offer.offerId,
    to: offer.phone,
    language: offer.language,
    notAfter: new Date(notAfter),
    now,
  });
}
