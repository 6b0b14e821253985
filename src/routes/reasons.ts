/**
 * The reason-for-visit webhooks, after a call's booking is committed:
 *   POST /api/ivr/reason/             the Gather (speech) or Record action: what the caller hears next
 *   POST /api/ivr/recording-status/   Twilio's recording status callback: the recording's SID
 * Both are signed like every Twilio webhook (403 otherwise, nothing written). The caller's
 * answer (108 advice or thanks) is decided from the words alone, before and apart from any
 * storage, so a broken D1 or queue never silences the advice, and nothing here can touch the
 * booking or its SMS. Reasons are health data: logs name appointment ids and error kinds only.
 */
import { log } from "../log.ts";
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import type { Db } from "../db/client.ts";
import { twilioWebhook } from "../middleware/twilio-webhook.ts";
import { answerVerbs, goodbyeVerbs } from "../ivr/reason-step.ts";
import { saveRecordedReason, saveSpokenReason } from "../reasons/store.ts";
import { enqueueJobs, type ReasonJob } from "../jobs/queue.ts";
import { RECORDING_SID } from "../twilio/recordings.ts";
import { twimlResponse } from "../twilio/twiml.ts";
import { isLanguage, wordsFor, type Language } from "../words/index.ts";

export const reasons = new Hono<AppEnv>({ strict: false });

reasons.use("*", twilioWebhook);

function appointmentOf(url: URL): number | undefined {
  const value = url.searchParams.get("appointment") ?? "";
  return /^[1-9]\d{0,9}$/.test(value) ? Number(value) : undefined;
}

function languageOf(url: URL, fallback: Language): Language {
  const lang = url.searchParams.get("lang") ?? "";
  return isLanguage(lang) ? lang : fallback;
}

function errorKind(error: unknown): string {
  // Never the message of an error that might quote a transcript; the kind is enough to look into it.
  return error instanceof Error ? error.name : typeof error;
}

reasons.post("/reason", (c) => {
  const { params, config } = c.var;
  const url = new URL(c.req.url);
  const lang = languageOf(url, config.defaultLanguage);
  const appointmentId = appointmentOf(url);
  const callSid = params.CallSid;
  const via = url.searchParams.get("via") === "recording" ? "recording" : "speech";
  const speech = params.SpeechResult?.trim() ?? "";
  const words = wordsFor(lang, config.voices[lang]);
  try {
    const verbs = answerVerbs(words, {
      via,
      speech,
      digits: params.Digits,
      recordingSeconds: Number(params.RecordingDuration ?? 0) || 0,
    });
    if (via === "speech" && speech && appointmentId !== undefined && callSid) {
      // After the answer: the caller hears the advice even if storing the reason fails.
      c.executionCtx.waitUntil(
        storeSpoken(c.env, c.var.db, { appointmentId, callSid, language: lang, transcript: speech }).catch((error) =>
          log.error("storing the reason failed", { appointmentId, kind: errorKind(error) }),
        ),
      );
    }
    return twimlResponse(verbs);
  } catch (error) {
    log.error("reason step failed", { appointmentId: appointmentId ?? null, kind: errorKind(error) });
    return twimlResponse(goodbyeVerbs(words));
  }
});

async function storeSpoken(
  env: Env,
  db: Db,
  reason: { appointmentId: number; callSid: string; language: string; transcript: string },
): Promise<void> {
  const saved = await saveSpokenReason(db, reason);
  if (saved) await enqueue(env, { summarise: reason.appointmentId });
}

function enqueue(env: Env, job: ReasonJob): Promise<void> {
  return enqueueJobs(env.JOBS, [job]);
}

reasons.post("/recording-status", async (c) => {
  const { params, config } = c.var;
  const url = new URL(c.req.url);
  const appointmentId = appointmentOf(url);
  const recordingSid = params.RecordingSid ?? "";
  const seconds = Number(params.RecordingDuration ?? 0);
  const callSid = params.CallSid;
  // "absent" (nothing said) and anything malformed: nothing to keep.
  if (
    params.RecordingStatus !== "completed" ||
    appointmentId === undefined ||
    !callSid ||
    !RECORDING_SID.test(recordingSid) ||
    !(seconds > 0)
  ) {
    return c.body(null, 204);
  }
  try {
    const saved = await saveRecordedReason(c.var.db, {
      appointmentId,
      callSid,
      language: languageOf(url, config.defaultLanguage),
      recordingSid,
      seconds: Math.round(seconds),
    });
    if (saved) await enqueue(c.env, { transcribe: appointmentId });
  } catch (error) {
    log.error("recording status not stored", { appointmentId, kind: errorKind(error) });
  }
  // Twilio only needs to know it arrived; a failure here is ours to log, not Twilio's to retry.
  return c.body(null, 204);
});
