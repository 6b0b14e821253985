/** Words into TwiML: each language said by its own voice, in breaths with short pauses. */
import type { GatherChild, Voice } from "../twilio/twiml.ts";
import { segmentsOf } from "../prompts/compose.ts";
import { speakerOf } from "../prompts/speaker.ts";
import type { Catalogue } from "../words/index.ts";

/** Choice lines said in one breath; a short pause follows each group in longer menus. */
const LINES_PER_BREATH = 4;
const PAUSE_SECONDS = 1;

/** Words in one language, said by its voice (or played from its recordings). */
export function say(words: Catalogue, text: string): GatherChild {
  const speaker = speakerOf(words);
  if (speaker) return { kind: "Segments", segments: segmentsOf(speaker, text) };
  const voice = words.voice;
  if ("clipUrl" in voice) return { kind: "Play", url: voice.clipUrl(text) };
  return { kind: "Say", text, voice };
}

/** The language a <Gather> speaks and hears in. */
export function languageOf(words: Catalogue): Voice {
  const voice = words.voice;
  return "clipUrl" in voice ? { voice: "", language: voice.language } : voice;
}

/** Groups of text as <Say>s with a short pause between them. */
export function spoken(words: Catalogue, groups: string[][]): GatherChild[] {
  const children: GatherChild[] = [];
  for (const group of groups.filter((g) => g.length > 0)) {
    if (children.length > 0) children.push({ kind: "Pause", length: PAUSE_SECONDS });
    children.push(say(words, group.join(" ")));
  }
  return children;
}

/** A menu's choice lines in breaths: one group up to four lines, else groups of four. */
export function breaths(lines: string[]): string[][] {
  if (lines.length <= LINES_PER_BREATH) return [lines];
  const groups: string[][] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_BREATH) groups.push(lines.slice(i, i + LINES_PER_BREATH));
  return groups;
}
