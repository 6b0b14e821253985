/**
 * The SMS queue's consumer. A message names one outbox row to deliver, or a patient who asked
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
import { isAccountSecret } from "../patients/account-sms.ts";
import type { AiRunner } from "../reasons/ai.ts";
import { asReasonJob, runReasonJob } from "../reasons/jobs.ts";
import { deliverOne, enqueueJobs, enqueueSms, type SmsJob } from "./outbox.ts";
import { backgroundService } from "../waitlist/background.ts";
import { asWaitlistJob } from "../waitlist/jobs.ts";

export async function consumeSmsBatch(batch: MessageBatch<SmsJob>, env: Env): Promise<void> {
  const config = readConfig(env);
  const db = database(env.DB);
  // Messages are independent (each row is claimed before it is sent), so a batch is handled
  // concurrently: a rush of bookings is not delivered one SMS at a time.
  await Promise.all(batch.messages.map((message) => handle(message, env, config, db)));
}

async function handle(
  message: Message<SmsJob>,
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
    const waitlistJob = asWaitlistJob(message.body);
    if (waitlistJob) {
      // offerFreedTimes never throws: a time it cannot offer stays free for callers.
      await backgroundService(env, db, config, new Date()).offerFreedTimes([waitlistJob.waitlistFreed]);
      message.ack();
      return;
    }
    const reasonJob = asReasonJob(message.body);
    if (reasonJob) {
      const outcome = await runReasonJob(reasonJob, {
        db,
        config,
        // Optional binding: absent locally and in tests (see wrangler.toml), and the fallbacks run.
        ai: env.AI as AiRunner | undefined,
        enqueue: (next) => enqueueJobs(env.SMS_QUEUE, [next]),
        enqueueSms: (outboxId) => enqueueSms(env.SMS_QUEUE, [outboxId]),
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
        env.SMS_QUEUE,
        made.map(({ outboxId, secret }) => ({ outboxId, secret })),
      );
      message.ack();
      return;
    }
    const id = Number(job?.outboxId);
    if (!Number.isInteger(id) || id <= 0) {
      log.error("dropping malformed SMS queue message", { messageId: message.id });
      message.ack();
      return;
    }
    const secret = isAccountSecret(job?.secret) ? job.secret : undefined;
    const result = await deliverOne(db, config, id, new Date(), secret);
    if (result.outcome === "retry") message.retry({ delaySeconds: result.delaySeconds });
    else message.ack();
  } catch (error) {
    // D1 unavailable, say: nothing was half-done (claims lapse, accounts are idempotent).
    log.error("SMS queue message failed", { messageId: message.id, error });
    message.retry({ delaySeconds: 30 });
  }
}
