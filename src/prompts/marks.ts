/**
 * A catalogue whose entries say which entry and arguments they are, instead of the finished
 * text: the flow builds its sentences exactly as before (concatenating, nesting `when` and
 * `spokenToken` in other entries), and the speak layer later knows, for each piece, which
 * recorded clip plays it or what the voice says instead. Marks are private-use characters that
 * never reach a caller: every text is unmarked (or played) before it is rendered.
 */
import type { Catalogue } from "../words/index.ts";

const OPEN = "\uE000";
const CLOSE = "\uE001";

export type Marked = { entry: string; args: unknown[] };
export type Piece = { kind: "text"; text: string } | { kind: "mark"; mark: Marked };

/** Entries that are not words the line says. */
const UNMARKED = new Set(["language", "voice", "name", "speech"]);

function mark(entry: string, args: unknown[] = []): string {
  return `${OPEN}${JSON.stringify([entry, args])}${CLOSE}`;
}

export function isMarked(text: string): boolean {
  return text.includes(OPEN);
}

/** The catalogue with every spoken entry answering its own mark. */
export function markedCatalogue(words: Catalogue): Catalogue {
  const marked: Record<string, unknown> = {};
  for (const [entry, value] of Object.entries(words)) {
    if (UNMARKED.has(entry)) marked[entry] = value;
    else if (typeof value === "function") marked[entry] = (...args: unknown[]) => mark(entry, args);
    else if (typeof value === "string") marked[entry] = mark(entry);
    else if (value && typeof value === "object")
      marked[entry] = Object.fromEntries(Object.keys(value).map((k) => [k, mark(`${entry}.${k}`)]));
  }
  return marked as unknown as Catalogue;
}

/** Plain text and top-level marks, in order. */
export function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === OPEN) {
      if (depth === 0 && i > start) out.push({ kind: "text", text: text.slice(start, i) });
      if (depth === 0) start = i;
      depth++;
    } else if (ch === CLOSE && depth > 0) {
      depth--;
      if (depth === 0) {
        const [entry, args] = JSON.parse(text.slice(start + 1, i)) as [string, unknown[]];
        out.push({ kind: "mark", mark: { entry, args } });
        start = i + 1;
      }
    }
  }
  if (start < text.length) out.push({ kind: "text", text: text.slice(start) });
  return out;
}

/** An argument with every mark inside it replaced by its text. */
function unmarkValue(words: Catalogue, value: unknown): unknown {
  if (typeof value === "string") return unmark(words, value);
  if (Array.isArray(value)) return value.map((v) => unmarkValue(words, v));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmarkValue(words, v)]));
  return value;
}

/** What a marked entry says, as the real catalogue words it. */
export function textOf(words: Catalogue, { entry, args }: Marked): string {
  const [name, field] = entry.split(".");
  const value = (words as unknown as Record<string, unknown>)[name!];
  if (field !== undefined) return String((value as Record<string, string>)[field]);
  if (typeof value === "function")
    return (value as (...a: unknown[]) => string)(...args.map((a) => unmarkValue(words, a)));
  return String(value);
}

/** Text with its marks replaced by what they say. */
export function unmark(words: Catalogue, text: string): string {
  if (!isMarked(text)) return text;
  return pieces(text)
    .map((p) => (p.kind === "text" ? p.text : textOf(words, p.mark)))
    .join("");
}
