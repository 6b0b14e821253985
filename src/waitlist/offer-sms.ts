/**
 * The text that tells a waiting patient a time is held for them ("call the line and press 1":
 * Indian numbers cannot reply to texts): the notifier's where calls are off, and the fallback
 * of an offer's call nobody answered (src/calls/waitlist-calls.ts).
 */
import type { Config } from "../config.ts";
import { nameIn } from "../db/display-names.ts";
import { localClock } from "../slots/calendar.ts";
import { insertOutbox, type OutboxCondition } from "../stores/outbox.ts";
import { smsDestination } from "../sms/policy.ts";
import { smsWording, waitlistOfferSms } from "../sms/texts.ts";
import { isLanguage } from "../words/index.ts";

/** The held time as the text names it. */
export interface HeldTimeFacts {
  doctorName: string;
  clinic: { name: string; displayNames?: string | null; timezone: string };
  date: string;
  startMinute: number;
  expiresAtMs: number;
}

/** The outbox row of the offer's text (RETURNING id), or null where the SMS policy does not allow the number. */
export function waitlistSmsStatement(
  d1: D1Database,
  config: Config,
  to: { phone: string; language: string },
  slot: HeldTimeFacts,
  at: { origin: string; now: Date },
  condition?: OutboxCondition,
): D1PreparedStatement | null {
  if (!smsDestination(to.phone, config).allowed) return null;
  const language = isLanguage(to.language) ? to.language : config.defaultLanguage;
  const until = localClock(new Date(slot.expiresAtMs), slot.clinic.timezone);
  // A window that ends after midnight still names the clock time: the text says the day of the time itself.
  const sms = waitlistOfferSms(
    language,
    { doctor: slot.doctorName, clinic: nameIn(slot.clinic, language), date: slot.date, startMinute: slot.startMinute },
    until.minute,
    smsWording(config),
  );
  const message = {
    to: to.phone,
    sms,
    purpose: "waitlist" as const,
    callbackBase: at.origin,
    createdAt: at.now.toISOString(),
  };
  return insertOutbox(d1, message, condition);
}
