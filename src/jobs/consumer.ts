/**
 * The job queue's consumer. A message names one outbox row to deliver, or a patient who asked
 * the patient page for a temporary password (then its SMS is queued, the password
 * itself riding on that queue message and nowhere else), or a reason job (transcribe a
 * recorded reason, summarise an appointment: src/reasons/jobs.ts), or a freed time for the
 * waitlist (src/waitlist/jobs.ts).
 * Retryable failures come back through the queue after a backoff; everything else is acked.
 */
import { readConfig } from "../config.ts";
import { database } from "../db/client.ts";
import { log } from "../log.ts";
import { issueTemporaryPassword } from "../patients/account.ts";
import { isAccountSecret } from "../sms/account-sms.ts";
import type { AiRunner } from "../reasons/ai.ts";
import { asReasonJob, runReasonJob } from "../reasons/jobs.ts";
import { deliverOne } from "../sms/outbox.ts";
import { backgroundService } from "../waitlist/background.ts";
import { asWaitlistJob } from "../waitlist/jobs.ts";
import { enqueueJobs, enqueueSms, type Job, type ReasonJob } from "./queue.ts";

export async function consumeJobs(batch: MessageBatch<Job>, env: Env): Promise<void> {
  const config = readConfig(env);
  const db = database(env.DB);
  // Messages are independent (each row is claimed before it is sent), so a batch is handled
  // concurrently: a rush of bookings is not delivered one SMS at a time.
  await Promise.all(batch.messages.map((message) => handle(message, env, config, db)));
}

type Config = ReturnType<typeof readConfig>;
type Db = ReturnType<typeof database>;
/** What became of a job: done (acked, including a job given up on), or to be tried again later. */
type Settled = { retryInSeconds: number } | "done";
/** The fields a message may carry, unchecked: it is parsed, never trusted. */
type Unchecked = Partial<Record<"outboxId" | "secret" | "accountFor" | "callbackBase", unknown>> | null;

async function handle(message: Message<Job>, env: Env, config: Config, db: Db) {
  try {
    const settled = await run(message, env, config, db);
    if (settled === "done") message.ack();
    else message.retry({ delaySeconds: settled.retryInSeconds });
  } catch (error) {
    // D1 unavailable, say: nothing was half-done (claims lapse, accounts are idempotent).
    log.error("job queue message failed", { messageId: message.id, error });
    message.retry({ delaySeconds: 30 });
  }
}

/** Runs one job by its kind: a freed time, a reason job, a temporary password, or an outbox row's delivery. */
async function run(message: Message<Job>, env: Env, config: Config, db: Db): Promise<Settled> {
  const waitlistJob = asWaitlistJob(message.body);
  if (waitlistJob) {
    // offerFreedTimes never throws: a time it cannot offer stays free for callers.
    await backgroundService(env, db, config, new Date()).offerFreedTimes([waitlistJob.waitlistFreed]);
    return "done";
  }
  const reasonJob = asReasonJob(message.body);
  if (reasonJob) return runReason(reasonJob, message.attempts, env, config, db);
  const job = message.body as Unchecked;
  if (typeof job?.accountFor === "string") return issuePassword(job.accountFor, job.callbackBase, env, config, db);
  const id = Number(job?.outboxId);
  if (!Number.isInteger(id) || id <= 0) {
    log.error("dropping malformed job queue message", { messageId: message.id });
    return "done";
  }
  const secret = isAccountSecret(job?.secret) ? job.secret : undefined;
  const result = await deliverOne(db, config, id, new Date(), secret);
  return result.outcome === "retry" ? { retryInSeconds: result.delaySeconds } : "done";
}

async function runReason(job: ReasonJob, attempt: number, env: Env, config: Config, db: Db): Promise<Settled> {
  const outcome = await runReasonJob(job, {
    db,
    config,
    // Optional binding: absent locally and in tests (see wrangler.toml), and the fallbacks run.
    ai: env.AI as AiRunner | undefined,
    enqueue: (next) => enqueueJobs(env.JOBS, [next]),
    enqueueSms: (outboxId) => enqueueSms(env.JOBS, [outboxId]),
    attempt,
  });
  return outcome.kind === "retry" ? { retryInSeconds: outcome.delaySeconds } : "done";
}

/** Makes the temporary password a patient asked for on /me, and queues its SMS. */
async function issuePassword(phone: string, callbackBase: unknown, env: Env, config: Config, db: Db): Promise<Settled> {
  const base = config.publicBaseUrl || (typeof callbackBase === "string" ? callbackBase : "");
  const made = await issueTemporaryPassword(db, config, phone, base);
  // The password goes on the queue message for its row, the only place it is kept.
  await enqueueJobs(
    env.JOBS,
    made.map(({ outboxId, secret }) => ({ outboxId, secret })),
  );
  return "done";
}
