/**
 * The voices of the providers other than Twilio (Twilio's are in words/voices.ts), by language.
 * (Each provider's voices live here, by language.) A language with none is never spoken on that provider by another language's voice: the
 * line refuses the configuration instead (providers/settings.ts), unless its prompts are recorded.
 *
 * Plivo <Speak>: WOMAN speaks en-IN and hi-IN; Plivo has no Kannada voice (plivo.com/docs, Speak
 * languages). Exotel <Say>: voice man|woman, language en, hi, kn among others
 * (developer.exotel.com/docs/exoml/verbs/say).
 */
import { wordsFor, type Language } from "../words/index.ts";
import { SPEECH_LANGUAGE } from "../words/voices.ts";

export interface ProviderVoice {
  voice: string;
  language: string;
}

export const PLIVO_VOICES: Partial<Record<Language, ProviderVoice>> = {
  en: { voice: "WOMAN", language: "en-IN" },
  hi: { voice: "WOMAN", language: "hi-IN" },
};

export const EXOTEL_VOICES: Partial<Record<Language, ProviderVoice>> = {
  kn: { voice: "woman", language: "kn" },
  hi: { voice: "woman", language: "hi" },
  en: { voice: "woman", language: "en" },
};

/** Our language for a Say's BCP-47 tag ("kn-IN" -> kn). */
export function languageOfTag(tag: string): Language | undefined {
  return (Object.keys(SPEECH_LANGUAGE) as Language[]).find((l) => SPEECH_LANGUAGE[l] === tag);
}

/** The provider's voice for a Say in `tag`; throws rather than let another language's voice say it. */
export function voiceForTag(voices: Partial<Record<Language, ProviderVoice>>, tag: string): ProviderVoice {
  const language = languageOfTag(tag);
  const voice = language && voices[language];
  if (!voice) throw new Error(`no voice for ${tag} on this provider`);
  return voice;
}

/** A language whose catalogue plays recorded clips needs no voice at all. */
export function isRecorded(language: Language): boolean {
  return "clipUrl" in wordsFor(language).voice;
}
