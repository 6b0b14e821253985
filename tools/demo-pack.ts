/**
 * The demo prompt pack, made at test (or start) time rather than kept as binaries in git: every
 * key a language's catalogue can need, found by saying every entry with the sample values of
 * tools/prompt-samples.ts and every day and quarter hour, each given a short tone (8 kHz mono
 * WAV, the line's format) whose pitch tells clips apart. Files are named by the catalogue entry
 * that first needs them ("offer.2.wav"), numbers and letters by themselves.
 */
import { segmentsOf, type Speaker } from "../src/prompts/compose.ts";
import { markedCatalogue } from "../src/prompts/marks.ts";
import { letterKey, numberKey, type PromptPack } from "../src/prompts/pack.ts";
import { CATALOGUES, type Language, type SpokenDay } from "../src/words/index.ts";
import type { Voice } from "../src/twilio/twiml.ts";
import { SAMPLES } from "./prompt-samples.ts";

const DAYS: SpokenDay[] = [
  { kind: "today" },
  { kind: "tomorrow" },
  // Every day of the month, every weekday and every month, so each of their words is found.
  ...Array.from(
    { length: 31 },
    (_, d) => ({ kind: "date", date: `2027-01-${String(d + 1).padStart(2, "0")}` }) as const,
  ),
  ...Array.from(
    { length: 12 },
    (_, m) => ({ kind: "date", date: `2027-${String(m + 1).padStart(2, "0")}-01` }) as const,
  ),
];
const QUARTER_HOURS = Array.from({ length: 24 * 4 }, (_, i) => i * 15);

/** Every key of a language's catalogue, with the file it gets in a pack. */
export function packFiles(language: Language): Map<string, string> {
  const files = new Map<string, string>();
  let entry = "";
  let n = 0;
  const collector: PromptPack = {
    language,
    clip: (key) => {
      if (!files.has(key) && !key.startsWith("#") && !key.startsWith("@")) files.set(key, `${entry}.${n++}.wav`);
      return undefined;
    },
  };
  const words = CATALOGUES[language];
  const speaker: Speaker = { words, voice: words.voice as Voice, pack: collector };
  const marked = markedCatalogue(words);
  const hear = (texts: string[]) => texts.forEach((t) => segmentsOf(speaker, t));
  for (const [name, sample] of Object.entries(SAMPLES)) {
    if (name.startsWith("sms")) continue;
    entry = name;
    n = 0;
    hear(sample(marked));
  }
  entry = "dates";
  n = 0;
  for (const day of DAYS) hear(QUARTER_HOURS.map((m) => marked.when(day, m)));
  for (const [from, to] of [
    [1, 6],
    [1, 5],
    [0, 6],
  ] as const)
    hear(QUARTER_HOURS.map((m) => marked.openingHours(from, to, m, m)));
  for (let i = 0; i < 200; i++) files.set(numberKey(i), `numbers/${i}.wav`);
  for (const letter of "ABCDEFGHIJKLMNOPQRSTUVWXYZ") files.set(letterKey(letter), `letters/${letter}.wav`);
  return files;
}

/** The demo pack of a language: each key's file and its tone, plus `names` (directory names) as clips. */
export function demoPack(language: Language, names: readonly string[] = []) {
  const files = packFiles(language);
  names.forEach((name, i) => files.set(name, `names/demo-${i}.wav`));
  return [...files].map(([key, file], i) => ({ file, key, bytes: toneWav(0.3, 300 + (i % 40) * 20) }));
}

/** A WAV in the line's format: `seconds` of a soft tone at `hz`, padded with silence. */
export function toneWav(seconds: number, hz: number, rate = 8000, channels = 1): Uint8Array {
  const samples = Math.round(seconds * rate);
  const bytes = new Uint8Array(44 + samples * 2 * channels);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => [...s].forEach((c, i) => (bytes[at + i] = c.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + samples * 2 * channels, true);
  text(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2 * channels, true);
  view.setUint16(32, 2 * channels, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, samples * 2 * channels, true);
  const pad = Math.round(samples / 4);
  for (let i = pad; i < samples - pad; i++)
    view.setInt16(44 + i * 2 * channels, Math.round(4000 * Math.sin((2 * Math.PI * hz * i) / rate)), true);
  return bytes;
}

/** Every key the catalogue can need (the pack's checklist for the desk). */
export function requiredKeys(language: Language): string[] {
  return [...packFiles(language).keys()];
}
