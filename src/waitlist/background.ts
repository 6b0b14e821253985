/**
 * The waitlist's work outside a request: a freed time off the queue, and the cron's pass over
 * lapsed offers and the times the reconcile freed. Both run through the booking service.
 */
import { BookingService } from "../booking/service.ts";
import { placeCallNow } from "../calls/outbox.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { Job } from "../jobs/queue.ts";
import { wordsFor } from "../words/index.ts";
import type { FreedTime } from "../stores/waitlist.ts";

/** The booking service as a queue consumer or the cron uses it (no request: delivery reports go to PUBLIC_BASE_URL). */
export function backgroundService(env: Env, db: Db, config: Config, now: Date): BookingService {
  const calls = { db, config, jobs: env.JOBS as Queue<Job> };
  const ctx = {
    ...calls,
    doctorDays: env.DOCTOR_DAY,
    now,
    origin: config.publicBaseUrl,
    // A waitlist offer's call rings at once, not at the next cron run.
    placeCall: (id: number) => placeCallNow(calls, id, now),
  };
  return new BookingService(ctx, wordsFor(config.defaultLanguage));
}

/** The cron's waitlist pass: lapsed offers to the next in line, then the reconcile's freed times. */
export async function waitlistCron(service: BookingService, reconciled: readonly FreedTime[]): Promise<void> {
  await service.passOnLapsedWaitlistOffers();
  if (reconciled.length > 0) await service.offerFreedTimes(reconciled);
}
