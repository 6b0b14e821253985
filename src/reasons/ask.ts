/**
 * The reason-for-visit step of a call, asked after the booking is confirmed and the token has
 * been said. Pure: settings and words in, TwiML verbs out. The booking is already committed
 * when this is asked, so nothing here can undo or delay it; silence or `#` goes on to goodbye.
 *
 * Speech (`<Gather input="speech">`) where Twilio recognises the language, else `<Record>`
 * with a short limit, transcribed later by a queue job.
 */
import type { VoiceVerb } from "../twilio/twiml.ts";
import { redFlagsIn } from "./red-flags.ts";
import { reasonWords, type ReasonLanguage } from "./words.ts";

export const REASON_PATHS = {
  answer: "/api/ivr/reason/",
  recordingStatus: "/api/ivr/recording-status/",
} as const;

export interface ReasonSettings {
  /** REASON_CAPTURE=off skips the question entirely. */
  enabled: boolean;
  /** Languages asked by speech; the rest are recorded. kn-IN is opt-in (REASON_SPEECH_LANGUAGES). */
  speechLanguages: readonly ReasonLanguage[];
  maxRecordSeconds: number;
}

export interface AskContext {
  lang: string;
  appointmentId: number;
  /** The public origin Twilio calls: recording status callbacks need an absolute URL. */
  origin: string;
}

function query(ctx: AskContext, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ lang: ctx.lang, appointment: String(ctx.appointmentId), ...extra }).toString();
}

export function captureMethod(settings: ReasonSettings, lang: string): "speech" | "recording" {
  return (settings.speechLanguages as readonly string[]).includes(lang) ? "speech" : "recording";
}

/** The question and what follows it: a skip (silence) falls through to goodbye. */
export function askReasonVerbs(settings: ReasonSettings, ctx: AskContext): VoiceVerb[] {
  const w = reasonWords(ctx.lang);
  const goodbye: VoiceVerb[] = [{ kind: "Say", text: w.goodbye, voice: w.voice }, { kind: "Hangup" }];
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
        voice: w.voice,
        children: [{ kind: "Say", text: w.askBySpeech, voice: w.voice }],
      },
      ...goodbye,
    ];
  }
  return [
    { kind: "Say", text: w.askByRecording, voice: w.voice },
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
export function answerVerbs(lang: string, answer: ReasonAnswer): VoiceVerb[] {
  const w = reasonWords(lang);
  const say = (text: string): VoiceVerb => ({ kind: "Say", text, voice: w.voice });
  const end: VoiceVerb[] = [say(w.goodbye), { kind: "Hangup" }];
  if (answer.via === "recording") {
    // The recording is transcribed after the call, so it cannot be checked now: everyone who
    // recorded hears the advice, said once, plainly.
    return answer.recordingSeconds > 0 ? [say(w.thanks), say(w.ifEmergency), ...end] : end;
  }
  const spoken = answer.speech?.trim() ?? "";
  if (!spoken) return end;
  // Said twice: a frightened caller may miss it the first time.
  if (redFlagsIn(spoken).length > 0) return [say(w.emergency), say(w.emergency), ...end];
  return [say(w.thanks), ...end];
}
