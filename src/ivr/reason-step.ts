/**
 * The reason-for-visit step of a call, asked after the booking is confirmed and the token has
 * been said. Pure: settings and words in, TwiML verbs out. The booking is already committed
 * when this is asked, so nothing here can undo or delay it; silence or `#` goes on to goodbye.
 *
 * Speech (`<Gather input="speech">`) where Twilio recognises the language, else `<Record>`
 * with a short limit, transcribed later by a queue job. Which languages count as recognised is
 * the line's one switch, SPEECH_LANGUAGES (default en,hi; add kn for kn-IN), shared with the
 * menus. Every word comes from the caller's catalogue (src/words), spoken by its voice.
 */
import type { ReasonSettings } from "../config.ts";
import { languageOf, say } from "./speak.ts";
import type { Voice, VoiceVerb } from "../twilio/twiml.ts";
import { wordsFor, type Catalogue, type Language } from "../words/index.ts";
import { redFlagsIn } from "../reasons/red-flags.ts";
import { SPEECH_MODEL } from "../words/voices.ts";

export const REASON_PATHS = {
  answer: "/api/ivr/reason/",
  recordingStatus: "/api/ivr/recording-status/",
} as const;

export interface AskContext {
  lang: Language;
  /** A configured voice (VOICE_KN, ...) instead of the catalogue's own. */
  voice?: Voice;
  /** The call's own words, when they play from a recorded prompt pack. */
  words?: Catalogue;
  appointmentId: number;
  /** The public origin Twilio calls: recording status callbacks need an absolute URL. */
  origin: string;
}

function query(ctx: AskContext, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ lang: ctx.lang, appointment: String(ctx.appointmentId), ...extra }).toString();
}

export function captureMethod(settings: ReasonSettings, lang: Language): "speech" | "recording" {
  return settings.speechLanguages.includes(lang) ? "speech" : "recording";
}

/** Goodbye, in the caller's language: where every reason step ends. */
export function goodbyeVerbs(w: Catalogue): VoiceVerb[] {
  return [say(w, w.goodbye), { kind: "Hangup" }];
}

/** The question and what follows it: a skip (silence) falls through to goodbye. */
export function askReasonVerbs(settings: ReasonSettings, ctx: AskContext): VoiceVerb[] {
  const w = ctx.words ?? wordsFor(ctx.lang, ctx.voice);
  const goodbye = goodbyeVerbs(w);
  if (captureMethod(settings, ctx.lang) === "speech") {
    return [
      {
        kind: "Gather",
        input: "dtmf speech",
        action: `${REASON_PATHS.answer}?${query(ctx)}`,
        numDigits: 1,
        finishOnKey: "#",
        timeout: 5,
        speechTimeout: "auto",
        speechModel: SPEECH_MODEL[ctx.lang],
        voice: languageOf(w),
        children: [say(w, w.reasonAskBySpeech)],
      },
      ...goodbye,
    ];
  }
  return [
    say(w, w.reasonAskByRecording),
    {
      kind: "Record",
      action: `${REASON_PATHS.answer}?${query(ctx, { via: "recording" })}`,
      maxLength: settings.maxRecordSeconds,
      timeout: 4,
      finishOnKey: "#",
      recordingStatusCallback: `${ctx.origin}${REASON_PATHS.recordingStatus}?${query(ctx)}`,
    },
    // Twilio goes on to the next verb when nothing was recorded.
    ...goodbye,
  ];
}

export interface ReasonAnswer {
  /** What the caller said (Twilio's SpeechResult), if anything. */
  speech: string | undefined;
  digits: string | undefined;
  via: "speech" | "recording";
  recordingSeconds: number;
}

/** What the caller hears after answering: 108 advice at once for a red flag, else thanks. */
export function answerVerbs(w: Catalogue, answer: ReasonAnswer): VoiceVerb[] {
  const end = goodbyeVerbs(w);
  if (answer.via === "recording") {
    // The recording is transcribed after the call, so it cannot be checked now: everyone who
    // recorded hears the advice, said once, plainly.
    return answer.recordingSeconds > 0 ? [say(w, w.reasonThanks), say(w, w.reasonIfEmergency), ...end] : end;
  }
  const spoken = answer.speech?.trim() ?? "";
  if (!spoken) return end;
  // Said twice: a frightened caller may miss it the first time.
  if (redFlagsIn(spoken).length > 0) return [say(w, w.reasonEmergency), say(w, w.reasonEmergency), ...end];
  return [say(w, w.reasonThanks), ...end];
}
