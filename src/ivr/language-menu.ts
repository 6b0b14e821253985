/**
 * The language menu a new caller hears first: every offered language in its own words and
 * voice ("ಕನ್ನಡಕ್ಕಾಗಿ 1 ಒತ್ತಿ. For English, press 2. हिंदी के लिए 3 दबाएँ।"). Keys always work;
 * where an offered language listens for speech, its recogniser also hears a language's name,
 * known in several scripts ("Kannada", "ಕನ್ನಡ", "कन्नड़"), or a number.
 */
import type { PromptPack } from "../prompts/pack.ts";
import { withPack } from "../prompts/speaker.ts";
import type { GatherChild, Voice, VoiceVerb } from "../twilio/twiml.ts";
import { wordsFor, type Catalogue, type Language } from "../words/index.ts";
import { SPEECH_MODEL } from "../words/voices.ts";
import { languageOf, say } from "./speak.ts";
import { matchSpeech, type HeardSpeech } from "./speech.ts";

export interface LanguageSettings {
  languages: readonly Language[];
  speechLanguages: readonly Language[];
  voices: Partial<Record<Language, Voice>>;
  packs?: Partial<Record<Language, PromptPack>>;
}

/** The recogniser of the language menu: the first offered language that listens for speech. */
function listener(settings: LanguageSettings): Catalogue | null {
  const language = settings.languages.find((l) => settings.speechLanguages.includes(l));
  return language ? wordsFor(language, settings.voices[language]) : null;
}

/** The menu, after an optional notice; silence falls through to the same handler. */
export function languageMenuVerbs(settings: LanguageSettings, action: string, notice: GatherChild | null): VoiceVerb[] {
  // First a one-line greeting naming the service (in the first language); on a retry, why it is asked again.
  const first = withPack(
    wordsFor(settings.languages[0] ?? "en", settings.voices[settings.languages[0] ?? "en"]),
    settings.packs?.[settings.languages[0] ?? "en"],
  );
  const children: GatherChild[] = [notice ?? say(first, first.welcome)];
  settings.languages.forEach((language, i) => {
    const words = withPack(wordsFor(language, settings.voices[language]), settings.packs?.[language]);
    children.push(say(words, words.chooseLanguage(String(i + 1))));
  });
  const hearing = listener(settings);
  const hints = settings.languages.flatMap((l) => wordsFor(l).speech.languageNames).join(", ");
  const listening = hearing
    ? {
        input: "dtmf speech" as const,
        speechTimeout: "auto" as const,
        speechModel: SPEECH_MODEL[hearing.language],
        hints,
        voice: languageOf(hearing),
      }
    : { input: "dtmf" as const, voice: languageOf(wordsFor(settings.languages[0] ?? "en")) };
  return [
    { kind: "Gather", numDigits: 1, timeout: 6, action, ...listening, children },
    { kind: "Redirect", url: action },
  ];
}

/** The key a spoken answer stands for ("Hindi" -> its position), `repeatKey` for "again", or null. */
export function spokenLanguageKey(settings: LanguageSettings, speech: HeardSpeech, repeatKey: string): string | null {
  const hearing = listener(settings);
  if (!hearing) return null;
  const options = settings.languages.map((language, i) => ({
    key: String(i + 1),
    phrases: [...wordsFor(language).speech.languageNames, ...(hearing.speech.numbers[i + 1] ?? [])],
  }));
  return matchSpeech(speech, [...options, { key: repeatKey, phrases: hearing.speech.repeat }]);
}
