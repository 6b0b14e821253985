/**
 * Which Twilio voices may speak each language, and which speech model hears it. A <Say> whose
 * voice does not speak its language fails the call, so a configured override (VOICE_KN,
 * VOICE_HI, VOICE_EN) is only taken when it is on Twilio's own list (twilio-voices.ts,
 * generated from the `twilio` package's types by `npm run voices`).
 */
import type { Voice } from "../twilio/twiml.ts";
import type { Language } from "./index.ts";
import { TWILIO_VOICES } from "./twilio-voices.ts";

/** The BCP-47 language each of our languages is said and heard in. */
export const SPEECH_LANGUAGE: Record<Language, "kn-IN" | "hi-IN" | "en-IN"> = { kn: "kn-IN", hi: "hi-IN", en: "en-IN" };

/** Voices Twilio offers for each language (Kannada: Google voices only). */
export const VOICES: Record<Language, readonly string[]> = {
  kn: TWILIO_VOICES["kn-IN"],
  hi: TWILIO_VOICES["hi-IN"],
  en: TWILIO_VOICES["en-IN"],
};

/**
 * The best voice each language has on Twilio (README, "Voices"): Google's WaveNet for Kannada
 * (neural, where Standard-A is the old concatenative-sounding engine), Amazon's neural Kajal for
 * Hindi and Indian English (she reads Hindi with English loanwords, and English with Indian
 * names, without switching accent; Aditi and Raveena are the standard engine).
 */
export const DEFAULT_VOICES = {
  kn: "Google.kn-IN-Wavenet-A",
  hi: "Polly.Kajal-Neural",
  en: "Polly.Kajal-Neural",
} as const satisfies Record<Language, string>;

/**
 * The speech model each language's <Gather> names, so Twilio's account default (which Twilio
 * has changed underneath lines before) cannot change what the line hears. Google's V2
 * telephony model is trained on 8 kHz phone audio; Kannada (opt-in, SPEECH_LANGUAGES=…,kn)
 * takes Google's V2 short-utterance model, which covers kn-IN (README, "Speech input").
 */
export const SPEECH_MODEL: Record<Language, string> = {
  en: "googlev2_telephony",
  hi: "googlev2_telephony",
  kn: "googlev2_short",
};

/** A configured voice for a language, or the reason it cannot speak it. */
export function voiceFor(language: Language, name: string): { voice: Voice } | { problem: string } {
  if (VOICES[language].includes(name)) return { voice: { voice: name, language: SPEECH_LANGUAGE[language] } };
  return { problem: `${name} is not a Twilio voice for ${SPEECH_LANGUAGE[language]}` };
}
