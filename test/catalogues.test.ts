/**
 * The catalogues: complete in every language (the Catalogue type already refuses a missing
 * entry; here, no entry is empty or quietly left in English), and every voice and language
 * checked against the official `twilio` package's VoiceResponse types, the oracle for what a
 * <Say voice> and a <Gather language> may be.
 */
import type VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import voiceResponseTypes from "twilio/lib/twiml/VoiceResponse.d.ts?raw";
import { describe, expect, it } from "vitest";
import { ALL_LANGUAGES, CATALOGUES, type Language } from "../src/words/index.ts";
import {
  DEFAULT_VOICES as LINE_DEFAULTS,
  SPEECH_LANGUAGE,
  SPEECH_MODEL,
  VOICES,
  voiceFor,
} from "../src/words/voices.ts";
import { SAMPLES } from "../tools/prompt-samples.ts";

// Compile-time: the defaults and languages are members of twilio's unions (typecheck fails otherwise).
type SayVoice = NonNullable<VoiceResponse.SayAttributes["voice"]>;
type SayLanguage = NonNullable<VoiceResponse.SayAttributes["language"]>;
type GatherLanguage = NonNullable<VoiceResponse.GatherAttributes["language"]>;
const DEFAULT_VOICES = {
  kn: "Google.kn-IN-Wavenet-A",
  en: "Polly.Kajal-Neural",
  hi: "Polly.Kajal-Neural",
} as const satisfies Record<Language, SayVoice>;
const LANGUAGE_TAGS = {
  kn: "kn-IN",
  en: "en-IN",
  hi: "hi-IN",
} as const satisfies Record<Language, SayLanguage & GatherLanguage>;

/** The string members of `type Name = "a" | "b" ...` in twilio's VoiceResponse.d.ts. */
function unionMembers(name: string): Set<string> {
  const match = new RegExp(`type ${name} = ([^;]+);`).exec(voiceResponseTypes);
  if (!match) throw new Error(`twilio's VoiceResponse types have no ${name}`);
  return new Set([...match[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
}
const SAY_VOICES = unionMembers("SayVoice");
const SAY_LANGUAGES = unionMembers("SayLanguage");
const GATHER_LANGUAGES = unionMembers("GatherLanguage");

/**
 * Which languages a Polly voice speaks: not in twilio's types, so from Twilio's and Amazon's
 * voice lists. Google voices carry their language in the name.
 */
const POLLY_LANGUAGES: Record<string, string[]> = {
  "Polly.Raveena": ["en-IN"],
  "Polly.Aditi": ["en-IN", "hi-IN"],
  "Polly.Kajal-Neural": ["en-IN", "hi-IN"],
  "Polly.Kajal-Generative": ["en-IN", "hi-IN"],
};
function speaks(voice: string, language: string): boolean {
  const google = /^Google\.([a-z]{2,3}-[A-Z]{2})-/.exec(voice);
  return google ? google[1] === language : (POLLY_LANGUAGES[voice] ?? []).includes(language);
}

describe("voices and languages, checked against the twilio package", () => {
  it("reads the unions from the package (guards the oracle itself)", () => {
    expect(SAY_VOICES.size).toBeGreaterThan(500);
    expect(SAY_VOICES.has("Google.kn-IN-Standard-A")).toBe(true);
    expect(SAY_VOICES.has("Google.kn-IN-Standard-Z")).toBe(false);
    expect(GATHER_LANGUAGES.has("kn-IN")).toBe(true);
  });

  it.each(ALL_LANGUAGES)("%s: the catalogue's voice is a Twilio voice that speaks its language", (language) => {
    const voice = CATALOGUES[language].voice;
    expect(voice).toEqual({ voice: DEFAULT_VOICES[language], language: LANGUAGE_TAGS[language] });
    expect(SAY_VOICES.has(DEFAULT_VOICES[language])).toBe(true);
    expect(SAY_LANGUAGES.has(LANGUAGE_TAGS[language])).toBe(true);
    expect(GATHER_LANGUAGES.has(LANGUAGE_TAGS[language])).toBe(true);
    expect(SPEECH_LANGUAGE[language]).toBe(LANGUAGE_TAGS[language]);
    expect(speaks(DEFAULT_VOICES[language], LANGUAGE_TAGS[language])).toBe(true);
  });

  it.each(ALL_LANGUAGES)("%s: every voice configuration may choose is a Twilio voice for the language", (language) => {
    expect(VOICES[language].length).toBeGreaterThan(8);
    for (const voice of VOICES[language]) {
      expect(SAY_VOICES.has(voice), voice).toBe(true);
      expect(speaks(voice, SPEECH_LANGUAGE[language]), voice).toBe(true);
    }
  });

  it.each(ALL_LANGUAGES)("%s: the voice list is twilio's own, all of it (npm run voices is not stale)", (language) => {
    const locale = SPEECH_LANGUAGE[language];
    const google = [...SAY_VOICES].filter((v) => v.startsWith(`Google.${locale}-`));
    const polly = [...SAY_VOICES].filter((v) => (POLLY_LANGUAGES[v] ?? []).includes(locale));
    expect([...VOICES[language]].sort()).toEqual([...google, ...polly].sort());
  });

  it("takes any valid voice from configuration, neural ones included (VOICE_HI=Google.hi-IN-Neural2-A)", () => {
    expect(voiceFor("hi", "Google.hi-IN-Neural2-A")).toEqual({
      voice: { voice: "Google.hi-IN-Neural2-A", language: "hi-IN" },
    });
    expect(voiceFor("en", "Google.en-IN-Chirp3-HD-Kore")).toHaveProperty("voice");
    expect(voiceFor("kn", "Google.kn-IN-Chirp3-HD-Kore")).toHaveProperty("voice");
    expect(voiceFor("hi", "Google.hi-IN-Neural9-Z")).toHaveProperty("problem");
  });

  it("defaults to the best engine each language has: neural, never standard", () => {
    expect(LINE_DEFAULTS).toEqual(DEFAULT_VOICES);
    for (const voice of Object.values(LINE_DEFAULTS)) expect(voice).toMatch(/Wavenet|Neural|Chirp3-HD/);
  });

  it.each(ALL_LANGUAGES)("%s: speech input names its recognition model", (language) => {
    expect(SPEECH_MODEL[language]).toMatch(/^googlev2_(telephony|short)$/);
  });

  it("Kannada has Google voices only, and the other languages' voices are refused for it", () => {
    expect(VOICES.kn.every((v) => v.startsWith("Google.kn-IN-"))).toBe(true);
    expect([...SAY_VOICES].filter((v) => v.includes("kn-IN")).sort()).toEqual([...VOICES.kn].sort());
    expect(voiceFor("kn", "Polly.Aditi")).toEqual({ problem: "Polly.Aditi is not a Twilio voice for kn-IN" });
    expect(voiceFor("hi", "Google.kn-IN-Wavenet-A")).toHaveProperty("problem");
    expect(voiceFor("hi", "Polly.Kajal-Neural")).toEqual({ voice: { voice: "Polly.Kajal-Neural", language: "hi-IN" } });
  });
});

describe("catalogue completeness", () => {
  const entries = Object.keys(SAMPLES) as (keyof typeof SAMPLES)[];

  it("has an example for every entry of every catalogue", () => {
    for (const language of ALL_LANGUAGES) {
      const keys = Object.keys(CATALOGUES[language]).filter((k) => !["language", "voice", "speech"].includes(k));
      expect(keys.sort(), language).toEqual([...entries].sort());
    }
  });

  it.each(["kn", "hi"] as const)("%s: no entry is empty or left the same as the English one", (language) => {
    for (const entry of entries) {
      const own = SAMPLES[entry](CATALOGUES[language]);
      const english = SAMPLES[entry](CATALOGUES.en);
      for (const text of own) expect(text.trim(), entry).not.toBe("");
      expect(own, entry).not.toEqual(english);
    }
  });

  it.each<[Language, RegExp]>([
    ["kn", /[\u0C80-\u0CFF]/],
    ["hi", /[\u0900-\u097F]/],
  ])("%s: spoken entries are in the language's script, without English words", (language, script) => {
    for (const entry of entries.filter((e) => !e.startsWith("sms"))) {
      for (const text of SAMPLES[entry](CATALOGUES[language])) {
        expect(text, entry).toMatch(script);
        // Only the example doctor's name may be in Latin letters.
        expect(text.replace("Dr. Kavya Shetty", ""), entry).not.toMatch(/[A-Za-z]/);
      }
    }
  });

  it.each(ALL_LANGUAGES)("%s: speech words for every key and answer", (language) => {
    const { numbers, yes, no, restart, repeat, languageNames } = CATALOGUES[language].speech;
    expect(numbers).toHaveLength(10);
    for (const forms of [...numbers, yes, no, restart, repeat, languageNames]) expect(forms.length).toBeGreaterThan(0);
  });
});
