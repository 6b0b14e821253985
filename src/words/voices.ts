/**
 * Which Twilio voices may speak each language. A <Say> whose voice does not speak its
 * language fails the call, so a configured override is only taken when it is on this list
 * (test/voices.test.ts checks every name here against the official `twilio` package's types).
 */
import type { Voice } from "../twilio/twiml.ts";
import type { Language } from "./index.ts";

const GOOGLE_VARIANTS = {
  "kn-IN": ["Standard-A", "Standard-B", "Standard-C", "Standard-D", "Wavenet-A", "Wavenet-B", "Wavenet-C", "Wavenet-D"],
  "hi-IN": ["Standard-A", "Standard-B", "Standard-C", "Standard-D", "Wavenet-A", "Wavenet-B", "Wavenet-C", "Wavenet-D"],
  "en-IN": ["Standard-A", "Standard-B", "Standard-C", "Standard-D", "Wavenet-A", "Wavenet-B", "Wavenet-C", "Wavenet-D"],
} as const;
const CHIRP3_HD = ["Aoede", "Charon", "Fenrir", "Kore", "Leda", "Orus", "Puck", "Zephyr"] as const;

function google(locale: keyof typeof GOOGLE_VARIANTS): string[] {
  return [
    ...GOOGLE_VARIANTS[locale].map((v) => `Google.${locale}-${v}`),
    ...CHIRP3_HD.map((v) => `Google.${locale}-Chirp3-HD-${v}`),
  ];
}

/** The BCP-47 language each of our languages is said and heard in. */
export const SPEECH_LANGUAGE: Record<Language, "kn-IN" | "hi-IN" | "en-IN"> = { kn: "kn-IN", hi: "hi-IN", en: "en-IN" };

/** Voices Twilio offers for each language (Kannada: Google voices only). */
export const VOICES: Record<Language, readonly string[]> = {
  kn: google("kn-IN"),
  hi: ["Polly.Aditi", "Polly.Kajal-Neural", ...google("hi-IN")],
  en: ["Polly.Raveena", "Polly.Aditi", "Polly.Kajal-Neural", ...google("en-IN")],
};

/** A configured voice for a language, or null (with the reason) when it cannot speak it. */
export function voiceFor(language: Language, name: string): { voice: Voice } | { problem: string } {
  if (VOICES[language].includes(name)) return { voice: { voice: name, language: SPEECH_LANGUAGE[language] } };
  return { problem: `${name} is not a Twilio voice for ${SPEECH_LANGUAGE[language]}` };
}
