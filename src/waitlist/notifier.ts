/**
 * How a waiting patient hears that a freed time is held for them. A port: the booking service
 * calls `offer` once per offer. Where the clinic's reminder calls are on (and the patient has not
 * stopped the line's calls, and it is calling hours: offer-call.ts), the line calls them ("1 to
 * take it, 2 to pass": ivr/outbound.ts), through the call outbox, exactly once; an unanswered
 * call leaves the text behind (calls/waitlist-calls.ts). Elsewhere the text through the SMS outbox ("call the
 * line and press 1": Indian numbers cannot reply to texts). Either way the line itself says the
 * held time first when the patient calls (ivr/waitlist.ts).
 */
import type { BookingContext } from "../booking/context.ts";
import { log } from "../log.ts";
import { enqueueSms } from "../jobs/queue.ts";
import type { WaitingEntry } from "../stores/waitlist.ts";
import { waitlistCallStatement } from "./offer-call.ts";
import { waitlistSmsStatement, type HeldTimeFacts } from "./offer-sms.ts";

/** A time held for one waiting patient until `expiresAtMs`. */
export interface HeldForPatient extends HeldTimeFacts {
  offerId: number;
  /** The clinic's reminder calls switch: on, the offer is a call. */
  clinic: HeldTimeFacts["clinic"] & { reminderCalls?: boolean };
}

export interface WaitlistNotifier {
  /** Tells the patient of `entry` that `slot` is held for them. A failure is logged by the caller, never undone. */
  offer(entry: WaitingEntry, slot: HeldForPatient): Promise<void>;
}

/** The text through the SMS outbox, in the language the patient joined in, to numbers the SMS policy allows. */
export function smsWaitlistNotifier(ctx: BookingContext): WaitlistNotifier {
  return {
    async offer(entry, slot) {
      const statement = waitlistSmsStatement(ctx.db.$client, ctx.config, entry, slot, ctx);
      const row = await statement?.first<{ id: number }>();
      if (!row) return;
      // A lost queue message is not fatal: the outbox sweep finds the row.
      await enqueueSms(ctx.jobs, [row.id]).catch((error: unknown) =>
        log.error("queueing the waitlist SMS failed; the sweep will send it", { error }),
      );
    },
  };
}

/** A call where the clinic calls its patients, else the text. */
export function waitlistNotifier(ctx: BookingContext): WaitlistNotifier {
  const sms = smsWaitlistNotifier(ctx);
  return {
    async offer(entry, slot) {
      const offer = { ...slot, phone: entry.phone, language: entry.language };
      const statement = waitlistCallStatement(ctx.db.$client, ctx.config, offer, ctx.now);
      const row = await statement?.first<{ id: number }>();
      if (!row) return sms.offer(entry, slot);
      // The phone rings now where this context can place calls; else, or should placing fail
      // part-way, the cron's next run finds the row due.
      await ctx
        .placeCall?.(row.id)
        .catch((error: unknown) =>
          log.error("placing the waitlist offer's call failed; the cron will", { callId: row.id, error }),
        );
    },
  };
}
