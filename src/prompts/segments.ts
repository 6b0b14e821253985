/**
 * What the line says, neutral of any voice provider: words for a text-to-speech voice, or a
 * recorded clip to play. Each provider's renderer turns them into its own say and play verbs
 * (providers/verbs.ts carries them as a Segments child).
 */
import type { Segment } from "../providers/verbs.ts";

export type { Segment };

/** Adjacent words for the same voice become one segment, so a partly recorded entry is one <Say> per gap. */
export function joinSays(segments: readonly Segment[]): Segment[] {
  const joined: Segment[] = [];
  for (const segment of segments) {
    const last = joined.at(-1);
    if (segment.kind === "say" && last?.kind === "say" && last.voice.voice === segment.voice.voice)
      joined[joined.length - 1] = {
        ...last,
        text: `${last.text}${/^[.,?!।]/u.test(segment.text) ? "" : " "}${segment.text}`,
      };
    else joined.push(segment);
  }
  return joined;
}
