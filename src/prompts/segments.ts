/**
 * What the line says, neutral of any voice provider: words for a text-to-speech voice, or a
 * recorded clip to play. The TwiML renderer turns them into <Say> and <Play>; another provider's
 * renderer turns them into its own verbs.
 */
import type { Voice } from "../twilio/twiml.ts";

export type Segment = { kind: "say"; text: string; voice: Voice } | { kind: "play"; url: string };

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
