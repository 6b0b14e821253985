/**
 * The reason-for-visit webhooks of a provider that records, after a call's booking is committed:
 *   POST <prefix>/reason/             the question's answer (speech) or the recording's end: what the caller hears next
 *   POST <prefix>/recording-status/   the finished recording (Twilio's status callback, Plivo's Record callbackUrl)
 * Twilio's under /api/ivr, Plivo's under /api/plivo; both signed like every webhook of their
 * provider (403 otherwise, nothing written). The caller's answer (108 advice or thanks) is
 * decided from the words alone, before and apart from any storage, so a broken D1 or queue never
 * silences the advice, and nothing here can touch the booking or its SMS. Reasons are health
 * data: logs name appointment ids and error kinds only.
 */
import { log } from "../log.ts";
import { Hono } from "hono";
import type { AppEnv, AppVariables } from "../context.ts";
import { plivo } from "../providers/plivo.ts";
import type { RecordingProvider } from "../providers/provider.ts";
import { twilio } from "../providers/twilio.ts";
import { answerVerbs, goodbyeVerbs } from "../ivr/reason-step.ts";
import { saveRecordedReason, saveSpokenReason } from "../reasons/store.ts";
import { enqueueJobs, type ReasonJob } from "../jobs/queue.ts";
import { publicUrl } from "../middleware/twilio-webhook.ts";
import { loadPacks } from "../prompts/store.ts";
import { withPack } from "../prompts/speaker.ts";
import type { Context } from "hono";
import { isLanguage, wordsFor, type Catalogue, type Language } from "../words/index.ts";

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

async function storeSpoken(
  env: Env,
  db: AppVariables["db"],
  reason: { appointmentId: number; callSid: string; language: string; transcript: string },
): Promise<void> {
  const saved = await saveSpokenReason(db, reason);
  if (saved) await enqueue(env, { summarise: reason.appointmentId });
}

function enqueue(env: Env, job: ReasonJob): Promise<void> {
  return enqueueJobs(env.JOBS, [job]);
}

/** The caller's words, played from the language's prompt pack where it has one (as the call's were). */
async function wordsOf(c: Context<AppEnv>, lang: Language): Promise<Catalogue> {
  const { config } = c.var;
  const words = wordsFor(lang, config.voices[lang]);
  if (!config.promptPacks.includes(lang)) return words;
  const origin = new URL(publicUrl(c.req.url, config.publicBaseUrl)).origin;
  const packs = await loadPacks(c.env.PROMPTS, [lang], origin).catch(
    () => ({}) as Awaited<ReturnType<typeof loadPacks>>,
  );
  return withPack(words, packs[lang]);
}

export function reasonRoutes(provider: RecordingProvider): Hono<AppEnv> {
  const router = new Hono<AppEnv>({ strict: false });
  // On these two routes only: the provider's other webhooks pass through to its voice routes, guarded there.
  router.post("/reason", provider.guard, async (c) => {
    const { config } = c.var;
    const url = new URL(c.req.url);
    const lang = languageOf(url, config.defaultLanguage);
    const appointmentId = appointmentOf(url);
    const via = url.searchParams.get("via") === "recording" ? "recording" : "speech";
    let words = wordsFor(lang, config.voices[lang]);
    try {
      words = await wordsOf(c, lang);
      const input = provider.readReason(c);
      const { speech, callId } = input;
      const verbs = answerVerbs(words, {
        via,
        speech,
        digits: input.digits,
        recordingSeconds: input.recordingSeconds,
      });
      if (via === "speech" && speech && appointmentId !== undefined && callId) {
        // After the answer: the caller hears the advice even if storing the reason fails.
        c.executionCtx.waitUntil(
          storeSpoken(c.env, c.var.db, { appointmentId, callSid: callId, language: lang, transcript: speech }).catch(
            (error) => log.error("storing the reason failed", { appointmentId, kind: errorKind(error) }),
          ),
        );
      }
      return await provider.render(verbs, c);
    } catch (error) {
      log.error("reason step failed", { appointmentId: appointmentId ?? null, kind: errorKind(error) });
      // A pack that cannot say goodbye either (no voice behind it): the call still ends cleanly.
      return provider.render(goodbyeVerbs(words), c).catch(() => provider.render([{ kind: "Hangup" }], c));
    }
  });

  router.post("/recording-status", provider.guard, async (c) => {
    const { config } = c.var;
    const url = new URL(c.req.url);
    const appointmentId = appointmentOf(url);
    const { callId, recording } = provider.readReason(c);
    if (!recording || appointmentId === undefined || !callId) return c.body(null, 204);
    try {
      const saved = await saveRecordedReason(c.var.db, {
        appointmentId,
        callSid: callId,
        language: languageOf(url, config.defaultLanguage),
        recordingSid: recording.ref,
        seconds: recording.seconds,
      });
      if (saved) await enqueue(c.env, { transcribe: appointmentId });
    } catch (error) {
      log.error("recording status not stored", { appointmentId, kind: errorKind(error) });
    }
    // The provider only needs to know it arrived; a failure here is ours to log, not its to retry.
    return c.body(null, 204);
  });
  return router;
}

export const reasons = reasonRoutes(twilio);
export const plivoReasons = reasonRoutes(plivo);
