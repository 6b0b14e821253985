/**
 * The SMS queue's consumer: each message names one outbox row. Retryable failures come back
 * through the queue after a backoff; everything else is acknowledged.
 */
import { readConfig } from "../config.ts";
import { database } from "../db/client.ts";
import { deliverOne, type SmsJob } from "./outbox.ts";

export async function consumeSmsBatch(batch: MessageBatch<SmsJob>, env: Env): Promise<void> {
  const config = readConfig(env);
  const db = database(env.DB);
  for (const message of batch.messages) {
    const id = Number(message.body?.outboxId);
    if (!Number.isInteger(id) || id <= 0) {
      console.error(`dropping malformed SMS queue message ${message.id}`);
      message.ack();
      continue;
    }
    try {
      const result = await deliverOne(db, config, id, new Date());
      if (result.outcome === "retry") message.retry({ delaySeconds: result.delaySeconds });
      else message.ack();
    } catch (error) {
      // D1 unavailable, say: the row is untouched or its claim will lapse; try again soon.
      console.error(`SMS delivery of outbox row ${id} failed:`, error);
      message.retry({ delaySeconds: 30 });
    }
  }
}
