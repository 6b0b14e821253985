/**
 * The boundary between the call flow and a voice provider (after mailroom's ivr.Service):
 * an adapter authenticates a webhook, reads it into one neutral input, and renders the
 * flow's neutral verbs into its own XML. The flow and the routes know nothing else of it.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";
import type { HeardSpeech } from "../ivr/speech.ts";
import type { VoiceVerb } from "./verbs.ts";

export type ProviderName = "twilio" | "exotel" | "plivo";

/** One webhook request, in no provider's names. */
export interface CallInput {
  /** The provider's id of the call (Twilio CallSid, Plivo CallUUID, Exotel CallSid). */
  callId: string | undefined;
  /** The patient's number, as the provider sent it (on a call the line placed, the number it called). */
  from: string | undefined;
  /** The line's number (the one the caller dialled, or the line's calls come from). */
  to: string | undefined;
  /** Keys pressed; undefined or "" when the caller said nothing. */
  digits: string | undefined;
  /** What the caller said, where the provider hears speech. */
  speech?: HeardSpeech;
  /** The provider's call status (on the status callback). */
  callStatus?: string;
  /** After a dial: how the dialled call ended, in Twilio's words (completed, busy, no-answer, failed). */
  dialStatus?: string;
  /** The provider detected an answering machine (Twilio's AnsweredBy, Plivo's Machine). */
  machine?: boolean;
  /** The call state the request URL carries (for Exotel, only what the line signed). */
  state: URLSearchParams;
}

/** A reason-for-visit webhook (the question's answer, or the finished recording), in no provider's names. */
export interface ReasonInput {
  callId: string | undefined;
  /** What the caller said, trimmed; "" when nothing. */
  speech: string;
  digits: string | undefined;
  /** On the answer to a recording: the seconds recorded (0 when nothing). */
  recordingSeconds: number;
  /** On the recording's callback: the finished recording as the line stores it; null when nothing to keep. */
  recording: { ref: string; seconds: number } | null;
}

export interface VoiceProvider {
  name: ProviderName;
  /** Where its webhooks live; the flow's /api/ivr paths move under it. */
  prefix: string;
  /** HTTP methods its webhooks arrive with. */
  methods: readonly ("GET" | "POST")[];
  /** Bounds and authenticates every request (403 otherwise, before any state is read); sets c.var.params. */
  guard: MiddlewareHandler<AppEnv>;
  read(c: Context<AppEnv>): CallInput;
  /** The verbs as this provider's XML, with every URL in it one the provider may call back. */
  render(verbs: readonly VoiceVerb[], c: Context<AppEnv>): Promise<Response>;
  /** Whether a status callback's status means the call is over. */
  ended(status: string | undefined): boolean;
  /** Does it hear speech (at a menu, and the reason for the visit), and can it record the reason? */
  hearsSpeech: boolean;
  records: boolean;
  /** Reads a reason-for-visit webhook: only a provider that `records` has them. */
  readReason?(c: Context<AppEnv>): ReasonInput;
}

/** A provider that records (and so has the reason-for-visit webhooks). */
export interface RecordingProvider extends VoiceProvider {
  readReason(c: Context<AppEnv>): ReasonInput;
}
