/**
 * Plivo: answer URL POST /api/plivo/welcome/, hangup URL /api/plivo/status/, every other
 * URL one the line hands out. Plivo XML (Speak, Play, Wait, GetInput, Dial, Redirect, Hangup)
 * with absolute URLs (Plivo requires them), and X-Plivo-Signature-V3 on every request.
 * Plivo's parameters: CallUUID, From, To, Digits, Speech and SpeechConfidenceScore (GetInput),
 * CallStatus, DialStatus; RecordingID and RecordingDuration (Record's action and callbackUrl).
 *
 * Speech: GetInput inputType="dtmf speech" with the call's language (en-IN, hi-IN, kn-IN), the
 * menu's hints and the recognition model named (Plivo's equivalent of the one named for Twilio).
 * The reason for the visit: by speech where the line listens, else <Record>, whose callback
 * (signed like every Plivo request) gives the recording's id; the audio is fetched from Plivo's
 * API for transcription (providers/plivo-recordings.ts).
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { log } from "../log.ts";
import { boundedForm, firstValues, publicUrl } from "../middleware/twilio-webhook.ts";
import { normalizePhone } from "../patients/phone.ts";
import { attrs, escapeXml } from "../twilio/twiml.ts";
import { validPlivoSignature } from "./plivo-signature.ts";
import type { HeardSpeech } from "../ivr/speech.ts";
import { plivoRecordingRef } from "./plivo-recordings.ts";
import type { RecordingProvider } from "./provider.ts";
import { PLIVO_VOICES, voiceForTag } from "./voices.ts";
import { renderVerbs, underPrefix, xmlResponse, type XmlDialect } from "./xml.ts";

const PREFIX = "/api/plivo";

/** Statuses Plivo's hangup URL reports: every one means the call is over. */
const ENDED = new Set(["completed", "busy", "failed", "timeout", "no-answer", "cancel", "canceled"]);

const plivoWebhook = createMiddleware<AppEnv>(async (c, next) => {
  const { config } = c.var;
  if (c.req.method !== "POST") return c.text("Method Not Allowed: Plivo webhooks are POST", 405, { Allow: "POST" });
  const fields = await boundedForm(c, "Plivo");
  if (fields instanceof Response) return fields;
  const { authToken } = config.providers.plivo;
  if (!authToken) {
    log.error("PLIVO_AUTH_TOKEN is not configured: refusing every Plivo webhook until it is set");
    return c.text("Forbidden", 403);
  }
  const url = publicUrl(c.req.url, config.publicBaseUrl);
  const pairs = [...fields].flatMap(([name, values]) => values.map((value): [string, string] => [name, value]));
  const ok = await validPlivoSignature(
    authToken,
    c.req.header("x-plivo-signature-v3"),
    c.req.header("x-plivo-signature-v3-nonce"),
    url,
    pairs,
  );
  if (!ok) {
    log.warn("rejected unsigned or mis-signed Plivo webhook", { path: new URL(c.req.url).pathname });
    return c.text("Forbidden", 403);
  }
  const params = firstValues(fields);
  // The answer URL starts a call: only a call to one of this line's numbers, where they are listed.
  const { numbers } = config.providers.plivo;
  if (numbers.length > 0 && /\/welcome\/?$/.test(new URL(c.req.url).pathname)) {
    const called = normalizePhone(params.To);
    if (!called || !numbers.includes(called)) {
      log.warn("rejected a Plivo call to a number not in PLIVO_NUMBERS");
      return c.text("Forbidden", 403);
    }
  }
  c.set("params", params);
  await next();
});

/**
 * Plivo's recognition model for the one the line names (Twilio's names): phone audio for
 * phone audio, short commands for short commands (Plivo's speechModel: default,
 * command_and_search, phone_call).
 */
const PLIVO_SPEECH_MODEL: Record<string, string> = {
  googlev2_telephony: "phone_call",
  googlev2_short: "command_and_search",
  phone_call: "phone_call",
  numbers_and_commands: "command_and_search",
};

/** Plivo's Speech and SpeechConfidenceScore, when the caller spoke at a GetInput that listens. */
function heardSpeech(params: Record<string, string>): HeardSpeech | undefined {
  const text = params.Speech?.trim();
  if (!text) return undefined;
  const confidence = Number(params.SpeechConfidenceScore);
  return params.SpeechConfidenceScore && Number.isFinite(confidence) ? { text, confidence } : { text };
}

/** Plivo XML: Speak, Play, Wait, GetInput, Record, Redirect, Dial with a Number, Hangup. */
const PLIVO_XML: XmlDialect = {
  say(text, tag, budget) {
    const voice = voiceForTag(PLIVO_VOICES, tag);
    return budget.spoken(`<Speak${attrs({ voice: voice.voice, language: voice.language })}>`, text, "</Speak>");
  },
  play: (url) => `<Play>${url}</Play>`,
  pause: (seconds) => `<Wait${attrs({ length: seconds })}/>`,
  gather: (v, action, children) => {
    const listens = v.input !== "dtmf";
    return `<GetInput${attrs({
      action,
      method: "POST",
      inputType: v.input,
      // Plivo waits 5 to 60 s after the prompt.
      executionTimeout: Math.min(Math.max(v.timeout ?? 5, 5), 60),
      numDigits: v.numDigits,
      // An empty finishing key is "none" to Plivo: # is then a key like any other.
      finishOnKey: v.finishOnKey === "" ? "none" : v.finishOnKey,
      ...(listens
        ? {
            language: v.voice.language,
            speechEndTimeout: v.speechTimeout ?? "auto",
            ...(v.speechModel ? { speechModel: PLIVO_SPEECH_MODEL[v.speechModel] ?? "default" } : {}),
            ...(v.hints ? { hints: v.hints } : {}),
          }
        : {}),
      redirect: "true",
    })}>${children}</GetInput>`;
  },
  record: (v, url) =>
    `<Record${attrs({
      action: url(v.action),
      method: "POST",
      maxLength: v.maxLength,
      timeout: v.timeout,
      finishOnKey: v.finishOnKey,
      playBeep: "true",
      callbackUrl: url(v.recordingStatusCallback),
      callbackMethod: "POST",
    })}/>`,
  redirect: (url) => `<Redirect method="POST">${url}</Redirect>`,
  dial: (v, action) =>
    `<Dial${attrs({ action, method: "POST", timeout: v.timeout, redirect: "true" })}><Number>${escapeXml(v.number)}</Number></Dial>`,
  hangup: "<Hangup/>",
};

/** Plivo's DialStatus in the flow's (Twilio's) words: only "completed" matters to it. */
function dialStatus(status: string | undefined): string | undefined {
  return status === "timeout" ? "no-answer" : status;
}

export const plivo: RecordingProvider = {
  name: "plivo",
  prefix: PREFIX,
  methods: ["POST"],
  guard: plivoWebhook,
  read(c) {
    const { params } = c.var;
    const dialed = dialStatus(params.DialStatus);
    // On a call the line placed (Direction outbound), To is the patient.
    const outbound = params.Direction === "outbound";
    const speech = heardSpeech(params);
    return {
      callId: params.CallUUID,
      from: outbound ? params.To : params.From,
      to: outbound ? params.From : params.To,
      ...(params.Machine === "true" ? { machine: true } : {}),
      digits: params.Digits,
      ...(speech ? { speech } : {}),
      ...(params.CallStatus ? { callStatus: params.CallStatus } : {}),
      ...(dialed ? { dialStatus: dialed } : {}),
      state: new URL(c.req.url).searchParams,
    };
  },
  readReason(c) {
    const { params } = c.var;
    // Plivo reports -1 where it does not know the length yet; only a real length counts.
    const seconds = Math.max(Number(params.RecordingDuration ?? 0) || 0, 0);
    const ref = plivoRecordingRef(params.RecordingID);
    return {
      callId: params.CallUUID,
      speech: params.Speech?.trim() ?? "",
      digits: params.Digits,
      recordingSeconds: seconds,
      recording: ref && seconds > 0 ? { ref, seconds: Math.round(seconds) } : null,
    };
  },
  async render(verbs, c) {
    const origin = new URL(publicUrl(c.req.url, c.var.config.publicBaseUrl)).origin;
    const url = (path: string) => new URL(underPrefix(PREFIX, path), origin).toString();
    return xmlResponse(renderVerbs(verbs, PLIVO_XML, url));
  },
  ended: (status) => ENDED.has(status ?? ""),
  hearsSpeech: true,
  records: true,
};
