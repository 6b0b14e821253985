/**
 * The line's one job queue (binding JOBS): work done after the answer has gone, each message
 * one job. Producers are the booking service, the patient page, the reason step, the desk, the
 * reminders and the sweeps; the consumer is jobs/consumer.ts in this same Worker.
 */
import type { AccountSecret } from "../sms/account-sms.ts";
import type { WaitlistJob } from "../waitlist/jobs.ts";

/** Transcribe a recorded reason, or (re)make an appointment's summary (reasons/jobs.ts runs them). */
export type ReasonJob = { transcribe: number } | { summarise: number };

/**
 * One job: deliver one outbox row; or give a patient who asked for one on the patient page a
 * temporary password (a slow PBKDF2 hash, kept out of the request) and then deliver its SMS;
 * or a reason job (transcribe a recorded reason, summarise an appointment for its doctor); or a
 * freed time for the waitlist (waitlist/jobs.ts).
 * `secret` is a password SMS's temporary password: it is kept here and nowhere else (never in D1).
 */
export type Job =
  { outboxId: number; secret?: AccountSecret } | { accountFor: string; callbackBase: string } | ReasonJob | WaitlistJob;

/** Hands outbox rows to the queue. A lost message is not fatal: the sweep finds the row. */
export async function enqueueSms(queue: Queue<Job>, ids: readonly number[], delaySeconds = 0): Promise<void> {
  await enqueueJobs(
    queue,
    ids.map((outboxId) => ({ outboxId })),
    delaySeconds,
  );
}

export async function enqueueJobs(queue: Queue<Job>, jobs: readonly Job[], delaySeconds = 0): Promise<void> {
  if (jobs.length === 0) return;
  await queue.sendBatch(jobs.map((body) => ({ body, ...(delaySeconds ? { delaySeconds } : {}) })));
}
