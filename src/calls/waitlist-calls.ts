/**
 * The waitlist offer's call: a freed time held for a waiting patient is offered by a call ("1 to
 * take it, 2 to pass") where the clinic's reminder calls are on, the patient has not stopped the
 * line's calls, the SMS policy allows the number, it is calling hours, and enough of the window
 * is left to answer; else by the text as before. One call, no retry (the hold is short): nobody
 * answering, a machine, a refusal or the end of calling hours sends the text instead, once.
 */
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { localClock, localToInstant } from "../slots/calendar.ts";
import { smsDestination } from "../sms/policy.ts";
import { insertWaitlistCallStatement, type CallRow } from "../stores/call-outbox.ts";
import { offerForCall } from "../stores/waitlist.ts";
import { waitlistSmsStatement, type HeldTimeFacts } from "../waitlist/offer-sms.ts";
import { CALLING_HOURS } from "./settings.ts";

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

/** Whether the row's offer is still worth a call: live with time to answer, and the patient not opted out. */
export async function waitlistCallWanted(db: Db, row: CallRow, now: Date): Promise<"call" | "drop" | "give-up"> {
  const offer = row.waitlistOfferId === null ? null : await offerForCall(db.$client, row.waitlistOfferId);
  if (!offer || offer.outcome !== "offered" || offer.expiresAtMs <= now.getTime()) return "drop";
  if (offer.callsOffAt) return "give-up";
  return now < new Date(row.notAfter) ? "call" : "give-up";
}

/**
 * The text an offer's unanswered (or never placed) call leaves behind: written only if the call's
 * own final transition landed (`guard`) and the offer is still live, so it goes once and never
 * for a time already taken or passed on.
 */
export async function waitlistFallback(
  db: Db,
  config: Config,
  row: CallRow,
  now: Date,
  guard: { sql: string; params: unknown[] },
): Promise<D1PreparedStatement[]> {
  const offer = row.waitlistOfferId === null ? null : await offerForCall(db.$client, row.waitlistOfferId);
  if (!offer) return [];
  const slot = {
    doctorName: offer.doctorName,
    clinic: { name: offer.clinicName, displayNames: offer.clinicDisplayNames, timezone: offer.timezone },
    date: offer.date,
    startMinute: offer.startMinute,
    expiresAtMs: offer.expiresAtMs,
  };
  const condition = {
    from: "waitlist_offers",
    where: `id = ? AND outcome = 'offered' AND expires_at_ms > ? AND ${guard.sql.replace(/\?\d+/g, "?")}`,
    params: [offer.id, now.getTime(), ...guard.params],
  };
  const statement = waitlistSmsStatement(
    db.$client,
    config,
    offer,
    slot,
    { origin: config.publicBaseUrl, now },
    condition,
  );
  return statement ? [statement] : [];
}
