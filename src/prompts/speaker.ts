/** Which catalogues speak through a prompt pack: marked words, and the pack and voice behind them. */
import type { Catalogue } from "../words/index.ts";
import type { Speaker } from "./compose.ts";
import { markedCatalogue } from "./marks.ts";
import type { PromptPack } from "./pack.ts";

const SPEAKERS = new WeakMap<Catalogue, Speaker>();

/** The catalogue as the flow uses it: marked when a pack is there, so say() can play its clips. */
export function withPack(words: Catalogue, pack: PromptPack | undefined): Catalogue {
  const voice = words.voice;
  if (!pack || "clipUrl" in voice) return words;
  const marked = markedCatalogue(words);
  SPEAKERS.set(marked, { words, voice, pack });
  return marked;
}

export function speakerOf(words: Catalogue): Speaker | undefined {
  return SPEAKERS.get(words);
}
