/**
 * Marked words into segments: each piece played from the pack when it has the clip, else said
 * by the voice, so nothing is ever silent where words were due. Variable parts are composed as
 * Indian IVRs do: a time from its words and numbers ("ಬೆಳಿಗ್ಗೆ" + 9 + "ಗಂಟೆ" + 15 + "ನಿಮಿಷಕ್ಕೆ"),
 * a token from its letters and number ("K" + "S" + 14), a name from the clinic's recording.
 */
import type { Voice } from "../providers/verbs.ts";
import type { Catalogue } from "../words/index.ts";
import { isMarked, pieces, textOf, unmark, type Marked } from "./marks.ts";
import { letterKey, numberKey, textKey, type PromptPack } from "./pack.ts";
import { joinSays, type Segment } from "./segments.ts";

/** Entries said word by word (every word of them is in a pack's vocabulary). */
const WORD_BY_WORD = new Set(["when", "openingHours"]);
const HOLE = /\uE002(\d+)\uE003/;
const SPEAKABLE = /[\p{L}\p{N}]/u;

export interface Speaker {
  /** The real catalogue (finished text, the voice). */
  words: Catalogue;
  voice: Voice;
  pack: PromptPack;
}

function say(speaker: Speaker, text: string): Segment[] {
  return SPEAKABLE.test(text) ? [{ kind: "say", text: text.trim(), voice: speaker.voice }] : [];
}

/** All of `keys` played, or (if any clip is missing) `fallback` said. */
function allOrVoice(speaker: Speaker, keys: string[], fallback: string): Segment[] {
  const urls = keys.map((key) => speaker.pack.clip(key));
  if (urls.every((url): url is string => url !== undefined)) return urls.map((url) => ({ kind: "play", url }));
  return say(speaker, fallback);
}

/** A piece of fixed text: its own clip, else the voice. */
function fixed(speaker: Speaker, text: string): Segment[] {
  const key = textKey(text);
  if (!SPEAKABLE.test(key)) return [];
  const url = speaker.pack.clip(key);
  return url ? [{ kind: "play", url }] : say(speaker, text);
}

/** A value put into an entry: nested words, a number, or a name. */
function value(speaker: Speaker, v: string): Segment[] {
  if (isMarked(v)) return segmentsOf(speaker, v);
  if (/^\d+$/.test(v.trim())) return allOrVoice(speaker, [numberKey(v)], v);
  return fixed(speaker, v);
}

/** "9", "ಗಂಟೆ", "15", "ನಿಮಿಷಕ್ಕೆ": the keys of a time or date said word by word. */
export function wordKeys(text: string): string[] {
  return text
    .split(/[\s,.।]+/u)
    .filter((w) => SPEAKABLE.test(w))
    .map((w) => (/^\d+$/.test(w) ? numberKey(w) : textKey(w)));
}

/** "KS-14": K, S, 14. */
export function tokenKeys(token: string): string[] {
  const dash = token.lastIndexOf("-");
  const letters = [...(dash < 0 ? token : token.slice(0, dash))].filter((c) => /[A-Za-z]/.test(c)).map(letterKey);
  return dash < 0 ? letters : [...letters, numberKey(token.slice(dash + 1))];
}

/**
 * An entry's text with each string it was given replaced by a hole: what stays is the entry's
 * own fixed wording, the same for every value. A SpokenDay ({ kind }) is kept: it changes the wording.
 */
export function withHoles(words: Catalogue, { entry, args }: Marked): { parts: string[]; values: string[] } {
  const values: string[] = [];
  const hole = (s: string) => `\uE002${values.push(s) - 1}\uE003`;
  const holed = args.map((a) => {
    if (typeof a === "string") return hole(a);
    if (a && typeof a === "object" && !("kind" in a))
      return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v === "string" ? hole(v) : v]));
    return a;
  });
  return { parts: textOf(words, { entry, args: holed }).split(HOLE), values };
}

function entrySegments(speaker: Speaker, mark: Marked): Segment[] {
  const { words } = speaker;
  if (mark.entry === "spokenToken") return allOrVoice(speaker, tokenKeys(String(mark.args[0])), textOf(words, mark));
  if (WORD_BY_WORD.has(mark.entry)) {
    const text = textOf(words, mark);
    return allOrVoice(speaker, wordKeys(text), text);
  }
  // split() with a capturing group alternates: fixed text, hole index, fixed text, ...
  const { parts, values } = withHoles(words, mark);
  const segments = parts.flatMap((part, i) =>
    i % 2 === 0 ? fixed(speaker, part) : value(speaker, values[Number(part)]!),
  );
  // Nothing of it recorded: the voice says the entry whole, as the catalogue words it.
  return segments.some((s) => s.kind === "play") ? segments : say(speaker, textOf(words, mark));
}

/** Marked text into segments: clips where the pack has them, the voice for the rest. */
export function segmentsOf(speaker: Speaker, text: string): Segment[] {
  const out = pieces(text).flatMap((p) =>
    p.kind === "text" ? say(speaker, unmark(speaker.words, p.text)) : entrySegments(speaker, p.mark),
  );
  return joinSays(out);
}
