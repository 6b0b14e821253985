/**
 * The job queue's consumer. A message names one outbox row to deliver, or a patient who asked
 * the patient page for a temporary password (then its SMS is queued, the password
 * itself riding on that queue message and nowhere else), or a reason job (transcribe a
 * recorded reason, summarise an appointment: src/reasons/jobs.ts).
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
import { enqueueJobs, enqueueSms, type Job } from "./queue.ts";

export async function consumeJobs(batch: MessageBatch<Job>, env: Env): Promise<void> {
  const config = readConfig(env);
  const db = database(env.DB);
  // Messages are independent (each row is claimed before it is sent), so a batch is handled
  // concurrently: a rush of bookings is not delivered one SMS at a time.
  await Promise.all(batch.messages.map((message) => handle(message, env, config, db)));
}

async function handle(
  message: Message<Job>,
  env: Env,
  config: ReturnType<typeof readConfig>,
  db: ReturnType<typeof database>,
) {
  const job = message.body as Partial<{
    outboxId: unknown;
    secret: unknown;
    accountFor: unknown;
    callbackBase: unknown;
  }> | null;
  try {
    const reasonJob = asReasonJob(message.body);
    if (reasonJob) {
      const outcome = await runReasonJob(reasonJob, {
        db,
        config,
        // Optional binding: absent locally and in tests (see wrangler.toml), and the fallbacks run.
        ai: env.AI as AiRunner | undefined,
        enqueue: (next) => enqueueJobs(env.JOBS, [next]),
        enqueueSms: (outboxId) => enqueueSms(env.JOBS, [outboxId]),
        attempt: message.attempts,
      });
      if (outcome.kind === "retry") message.retry({ delaySeconds: outcome.delaySeconds });
      else message.ack();
      return;
    }
    if (typeof job?.accountFor === "string") {
      const base = config.publicBaseUrl || (typeof job.callbackBase === "string" ? job.callbackBase : "");
      const made = await issueTemporaryPassword(db, config, job.accountFor, base);
      // The password goes on the queue message for its row, the only place it is kept.
      await enqueueJobs(
        env.JOBS,
        made.map(({ outboxId, secret }) => ({ outboxId, secret })),
      );
      message.ack();
      return;
    }
    const id = Number(job?.outboxId);
    if (!Number.isInteger(id) || id <= 0) {
      log.error("dropping malformed job queue message", { messageId: message.id });
      message.ack();
      return;
    }
    const secret = isAccountSecret(job?.secret) ? job.secret : undefined;
    const result = await deliverOne(db, config, id, new Date(), secret);
    if (result.outcome === "retry") message.retry({ delaySeconds: result.delaySeconds });
    else message.ack();
  } catch (error) {
    // D1 unavailable, say: nothing was half-done (claims lapse, accounts are idempotent).
    log.error("job queue message failed", { messageId: message.id, error });
    message.retry({ delaySeconds: 30 });
  }
}
