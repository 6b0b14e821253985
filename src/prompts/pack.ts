/**
 * A recorded prompt pack: for one language, clips that replace the voice piece by piece. Each
 * clip stands for a key: a fixed piece of a catalogue entry by its exact text ("ಒತ್ತಿ."), a word
 * of a time or date ("ಬೆಳಿಗ್ಗೆ", "ನಿಮಿಷಕ್ಕೆ"), a number ("#14"), a token letter ("@K") or a name
 * the clinic recorded (a doctor's or the clinic's, by its text in that language). A pack's
 * manifest maps its files (named by catalogue entry: "offer.2.wav") to those keys.
 */
import type { Language } from "../words/index.ts";

export interface PromptPack {
  language: Language;
  /** The URL of the clip for a key, or undefined: that piece falls back to the voice. */
  clip(key: string): string | undefined;
}

/** The manifest of a language's pack: file name -> key. Only clips that passed the checks are in it. */
export type Manifest = Record<string, string>;

export const numberKey = (n: string | number) => `#${Number(n)}`;
export const letterKey = (letter: string) => `@${letter.toUpperCase()}`;
/** A fixed piece or a name, as its key: spaces collapsed, nothing else changed. */
export const textKey = (text: string) => text.replace(/\s+/g, " ").trim();

/** A pack whose clips are served under `base` (e.g. "https://line.example/prompts/kn/"). */
export function packFrom(language: Language, manifest: Manifest, base: string): PromptPack {
  const byKey = new Map<string, string>();
  for (const [file, key] of Object.entries(manifest))
    byKey.set(key, `${base}${file.split("/").map(encodeURIComponent).join("/")}`);
  return { language, clip: (key) => byKey.get(key) };
}
