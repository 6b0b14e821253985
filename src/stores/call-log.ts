/**
 * The call log (table call_log): one row per call, a step appended per webhook, with how the
 * call ended. Written after the answer has gone; never allowed to fail a call. Raw: one upsert
 * that appends to a JSON array (json_insert), in a batch with the call's hold.
 */
import type { Db } from "../db/client.ts";
import { recordHoldStatement } from "../slots/call-holds.ts";

/** What a provider's webhook said on this step (the fields of providers/provider.ts's CallInput the log keeps). */
export interface LoggedInput {
  callId?: string;
  from?: string;
  to?: string;
  digits?: string;
  speech?: { text: string; confidence?: number | string };
}

/**
 * Appends this step to the call's log, with the hold the step made noted in the same batch (one
 * write after the answer).
 */
export async function logStep(
  db: Db,
  input: LoggedInput,
  step: string,
  outcome: string | undefined,
  held?: Parameters<typeof recordHoldStatement>[2],
): Promise<void> {
  const { speech } = input;
  const entry = JSON.stringify({
    step,
    // Capped at write time: providers' fields are short, and nothing else should make a row large.
    digits: input.digits?.slice(0, 32) ?? null,
    // What the caller said is free text: capped here, and gone with the call log after its retention period.
    ...(speech
      ? { speech: speech.text.slice(0, 300), confidence: speech.confidence?.toString().slice(0, 16) ?? null }
      : {}),
    at: new Date().toISOString(),
  });
  const d1 = db.$client;
  const callSid = input.callId!.slice(0, 64);
  const log = d1
    .prepare(
      `INSERT INTO call_log (call_sid, from_number, to_number, steps, outcome, created_at) VALUES (?1, ?2, ?3, json_array(json(?4)), ?5, ?6)
       ON CONFLICT (call_sid) DO UPDATE SET steps = json_insert(steps, '$[#]', json(?4)),
         outcome = coalesce(?5, outcome), updated_at = ?6`,
    )
    .bind(
      callSid,
      input.from?.slice(0, 32) ?? null,
      input.to?.slice(0, 32) ?? null,
      entry,
      outcome ?? null,
      new Date().toISOString(),
    );
  await d1.batch(held ? [log, recordHoldStatement(d1, callSid, held)] : [log]);
}
