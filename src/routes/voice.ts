/**
 * The voice webhooks of one provider: read the request, run the flow, write the response.
 * Twilio's live under /api/ivr (the seed system's paths, so an existing number's Voice URL
 * points here unchanged), Plivo's under /api/plivo, Exotel's under /api/exotel; each is
 * accepted with or without the trailing slash. Whatever goes wrong inside, the provider gets
 * 200 and a document that apologises in the caller's language and hangs up.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../context.ts";
import { parseCallState } from "../ivr/call-state.ts";
import { logStep } from "../stores/call-log.ts";
import { apologyVerbs, IVR_PATHS, runIvr, type Step } from "../ivr/flow.ts";
import { livePorts, prefetchFor } from "../ivr/live-ports.ts";
import { log } from "../log.ts";
import { normalizePhone } from "../patients/phone.ts";
import { exotel } from "../providers/exotel.ts";
import { lineFor, flowSettings } from "../providers/line.ts";
import { plivo } from "../providers/plivo.ts";
import { loadPacks } from "../prompts/store.ts";
import type { CallInput, VoiceProvider } from "../providers/provider.ts";
import { twilio } from "../providers/twilio.ts";
import type { VoiceVerb } from "../providers/verbs.ts";
import { wordsFor, type Language } from "../words/index.ts";
import { callStatus } from "./call-status.ts";
import { outboundStatus } from "./outbound-status.ts";

/** The answer as the provider's XML; if even that fails, its plainest document that hangs up. */
async function respond(provider: VoiceProvider, c: Context<AppEnv>, verbs: VoiceVerb[]): Promise<Response> {
  try {
    return await provider.render(verbs, c);
  } catch (error) {
    log.error("rendering the answer failed", { provider: provider.name, error });
    return provider.render([{ kind: "Hangup" }], c);
  }
}

function apology(c: Context<AppEnv>, language: Language): VoiceVerb[] {
  return apologyVerbs(wordsFor(language, c.var.config.voices[language]));
}

/** The number the caller dialled, on a provider other than Twilio (whose number is TWILIO_PHONE_NUMBER). */
function lineNumber(provider: VoiceProvider, input: CallInput): { line?: string } {
  const called = provider.name === "twilio" ? null : normalizePhone(input.to);
  return called ? { line: called } : {};
}

async function answerStep(provider: VoiceProvider, step: Step, c: Context<AppEnv>): Promise<Response> {
  const { config } = c.var;
  const line = lineFor(provider, config);
  if (line.problem) {
    // A configuration no caller should hear (a language without a voice): said plainly in the log.
    log.error("voice provider misconfigured", { provider: provider.name, problem: line.problem });
    return c.text("Service Unavailable: this provider is misconfigured (see the log)", 503);
  }
  const input: CallInput = provider.read(c);
  const lang = line.languages[0]!;
  const state = parseCallState(input.state, lang);
  // Not a call at all; nothing to hold or book against.
  if (!input.callId) return respond(provider, c, apology(c, lang));
  const db = c.var.db;
  // The call log is written after the answer has gone (a macrotask later), so the caller never waits for it.
  const after = (work: () => Promise<unknown>) =>
    c.executionCtx.waitUntil(
      new Promise((resolve) => setTimeout(resolve, 0))
        .then(work)
        .catch((error) => log.error("after-response work failed", { callSid: input.callId, error })),
    );
  try {
    const ctx = c.var.bookingContext();
    const { origin } = ctx;
    const output = await runIvr(
      {
        step,
        state,
        digits: input.digits,
        speech: input.speech,
        ...(input.dialStatus ? { dialStatus: input.dialStatus } : {}),
        ...(input.machine ? { machine: true } : {}),
      },
      livePorts(
        ctx,
        { callSid: input.callId, from: input.from, lang: state.lang, ...lineNumber(provider, input) },
        prefetchFor(step, state, input.digits),
      ),
      { ...flowSettings(provider, config, origin), packs: await loadPacks(c.env.PROMPTS, config.promptPacks, origin) },
    );
    const { held } = output;
    // The hold is noted with the log, after the answer: it costs the caller no round trip.
    after(() => logStep(db, input, step, output.outcome, held));
    return await respond(provider, c, output.verbs);
  } catch (error) {
    log.error("IVR step failed", { provider: provider.name, step, callSid: input.callId, error });
    after(() => logStep(db, input, step, "fault"));
    return respond(provider, c, apology(c, state.lang));
  }
}

/** One provider's webhooks: its guard first, then the status callback and every step of the flow. */
export function voiceRoutes(provider: VoiceProvider): Hono<AppEnv> {
  const router = new Hono<AppEnv>({ strict: false });
  router.use("*", provider.guard);
  const methods = [...provider.methods];
  // The call status callback: a call that ended lets go of its holds (see slots/call-holds.ts).
  router.on(methods, "/status", callStatus(provider));
  // A call the line placed (src/calls): its progress and end.
  router.on(methods, "/outbound-status", outboundStatus(provider));
  for (const [step, path] of Object.entries(IVR_PATHS) as [Step, string][]) {
    // Registered without the trailing slash; strict: false then accepts both forms.
    router.on(methods, path.replace(/^\/api\/ivr/, "").replace(/\/$/, ""), (c) => answerStep(provider, step, c));
  }
  return router;
}

export const voice = voiceRoutes(twilio);
export const plivoVoice = voiceRoutes(plivo);
export const exotelVoice = voiceRoutes(exotel);
