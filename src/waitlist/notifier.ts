/**
 * How a waiting patient hears that a freed time is held for them. A port, so the outbound
 * call (when the line can place one) plugs in beside or instead of the text. Today: an SMS
 * through the outbox ("call the line and press 1": Indian numbers cannot reply to texts), and
 * the line itself, which says the held time first when the patient calls (ivr/waitlist.ts reads
 * the live offer with the caller's appointments).
 */
import type { BookingContext } from "../booking/context.ts";
import { nameIn } from "../db/display-names.ts";
import { log } from "../log.ts";
import { localClock } from "../slots/calendar.ts";
import { enqueueSms } from "../jobs/queue.ts";
import { insertOutbox } from "../stores/outbox.ts";
import { smsDestination } from "../sms/policy.ts";
import { smsWording, waitlistOfferSms } from "../sms/texts.ts";
import { isLanguage } from "../words/index.ts";
import type { WaitingEntry } from "../stores/waitlist.ts";

/** A time held for one waiting patient until `expiresAtMs`. */
export interface HeldForPatient {
  offerId: number;
  doctorName: string;
  clinic: { name: string; displayNames?: string | null; timezone: string };
  date: string;
  startMinute: number;
  expiresAtMs: number;
}

export interface WaitlistNotifier {
  /** Tells the patient of `entry` that `slot` is held for them. A failure is logged by the caller, never undone. */
  offer(entry: WaitingEntry, slot: HeldForPatient): Promise<void>;
}

/** The text through the SMS outbox, in the language the patient joined in, to numbers the SMS policy allows. */
export function smsWaitlistNotifier(ctx: BookingContext): WaitlistNotifier {
  return {
    async offer(entry, slot) {
      if (!smsDestination(entry.phone, ctx.config).allowed) return;
      const language = isLanguage(entry.language) ? entry.language : ctx.config.defaultLanguage;
      const until = localClock(new Date(slot.expiresAtMs), slot.clinic.timezone);
      // A window that ends after midnight still names the clock time: the text says the day of the time itself.
      const sms = waitlistOfferSms(
        language,
        {
          doctor: slot.doctorName,
          clinic: nameIn(slot.clinic, language),
          date: slot.date,
          startMinute: slot.startMinute,
        },
        until.minute,
        smsWording(ctx.config),
      );
      const row = await insertOutbox(ctx.db.$client, {
        to: entry.phone,
        sms,
        purpose: "waitlist",
        callbackBase: ctx.origin,
        createdAt: ctx.now.toISOString(),
      }).first<{ id: number }>();
      if (!row) return;
      // A lost queue message is not fatal: the outbox sweep finds the row.
      await enqueueSms(ctx.jobs, [row.id]).catch((error: unknown) =>
        log.error("queueing the waitlist SMS failed; the sweep will send it", { error }),
      );
    },
  };
}
