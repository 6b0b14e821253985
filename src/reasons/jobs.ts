/**
 * Queue jobs for reasons and summaries, carried on the job queue (jobs/queue.ts) beside the SMS
 * deliveries and passwords: `{ transcribe }` turns a recorded reason into text (Workers AI's Whisper), `{ summarise }`
 * (re)makes an appointment's summary. Both are idempotent, name only an appointment id
 * (never health data), and log only ids and failure kinds.
 */
import type { ReasonJob } from "../jobs/queue.ts";
import { log } from "../log.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { pendingTranscriptions, recordedReasonOf } from "../stores/health.ts";
import { canReachRecording, fetchReasonAudio } from "./recordings.ts";
import { aiTranscribe, type AiRunner } from "./ai.ts";
import { saveTranscript, setTranscriptionStatus, writeAdviceSms } from "./store.ts";
import { noticeSms, smsWording } from "../sms/texts.ts";
import { isLanguage } from "../words/index.ts";
import { summariseAppointment } from "./summarise.ts";

function positiveId(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

export function asReasonJob(body: unknown): ReasonJob | null {
  if (!body || typeof body !== "object") return null;
  const job = body as { transcribe?: unknown; summarise?: unknown };
  if (positiveId(job.transcribe)) return { transcribe: job.transcribe };
  if (positiveId(job.summarise)) return { summarise: job.summarise };
  return null;
}

export interface ReasonJobDeps {
  db: Db;
  config: Config;
  ai: AiRunner | undefined;
  /** Queues a follow-up job (the summary after a transcript). */
  enqueue: (job: ReasonJob) => Promise<void>;
  /** Queues an outbox row for delivery (the 108 advice SMS). */
  enqueueSms: (outboxId: number) => Promise<void>;
  /** How many times this message has been tried, from 1. */
  attempt: number;
}

export type JobOutcome = { kind: "done" } | { kind: "retry"; delaySeconds: number };

/** How many tries a transcription gets before it is marked failed (the recording stays playable). */
export const TRANSCRIBE_ATTEMPTS = 4;

export async function runReasonJob(job: ReasonJob, deps: ReasonJobDeps): Promise<JobOutcome> {
  if ("summarise" in job) {
    await summariseAppointment(deps.db, deps.ai, deps.config.ai, job.summarise);
    return { kind: "done" };
  }
  return transcribe(job.transcribe, deps);
}

async function transcribe(appointmentId: number, deps: ReasonJobDeps): Promise<JobOutcome> {
  const { db, config, ai } = deps;
  const row = await recordedReasonOf(db, appointmentId);
  if (!row || row.transcriptionStatus !== "pending" || !row.recordingSid) return { kind: "done" };

  const giveUp = async (status: "failed" | "unavailable") => {
    await setTranscriptionStatus(db, appointmentId, status);
    await deps.enqueue({ summarise: appointmentId }); // the summary says the reason is a recording
    return { kind: "done" } as const;
  };
  if (!ai || !canReachRecording(config, row.recordingSid)) return giveUp("unavailable");

  const retryOr = (delaySeconds: number): Promise<JobOutcome> =>
    deps.attempt >= TRANSCRIBE_ATTEMPTS ? giveUp("failed") : Promise.resolve({ kind: "retry", delaySeconds });

  const fetched = await fetchReasonAudio(config, row.recordingSid);
  if (!fetched.ok) {
    log.warn("transcription: recording not fetched", { appointmentId, cause: fetched.message });
    // 404 right after the call: Twilio may still be processing; try again shortly.
    return fetched.retryable || fetched.status === 404 ? retryOr(30) : giveUp("failed");
  }
  const audio = await fetched.audio.arrayBuffer();
  const text = await aiTranscribe(ai, config.ai.transcribeModel, config.ai.timeoutMs * 4, audio, row.language);
  if (!text.ok) {
    log.warn("transcription: model gave nothing usable", { appointmentId, cause: text.cause });
    return retryOr(60);
  }
  const { flags } = await saveTranscript(db, appointmentId, text.value);
  if (flags.length > 0) {
    // The caller heard general advice after recording; now that we know, tell them by SMS too.
    const outboxId = await writeAdviceSms(
      db,
      appointmentId,
      noticeSms(
        "emergencyAdvice",
        isLanguage(row.language) ? row.language : config.defaultLanguage,
        smsWording(config),
      ),
    );
    if (outboxId !== null) await deps.enqueueSms(outboxId);
  }
  await deps.enqueue({ summarise: appointmentId });
  return { kind: "done" };
}

/** A transcription job younger than this may still be in the queue; older pending ones were lost. */
const LOST_AFTER_MS = 10 * 60_000;
/** Past this, a recording is left untranscribed (still playable) rather than tried again. */
const GIVE_UP_AFTER_MS = 86_400_000;

/**
 * Re-queues transcriptions whose queue message was lost (the queue refused the send after the
 * recording's SID was stored). Run by the cron; bounded; a duplicate job finds nothing to do.
 */
export async function sweepLostTranscriptions(
  db: Db,
  enqueue: (jobs: ReasonJob[]) => Promise<void>,
  now: Date,
  limit = 20,
): Promise<number> {
  const ids = await pendingTranscriptions(
    db,
    new Date(now.getTime() - LOST_AFTER_MS).toISOString(),
    new Date(now.getTime() - GIVE_UP_AFTER_MS).toISOString(),
    limit,
  );
  if (ids.length > 0) await enqueue(ids.map((id) => ({ transcribe: id })));
  return ids.length;
}
