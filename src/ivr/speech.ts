/**
 * What a caller said, turned into the key they would have pressed. Pure: the flow hands in
 * the phrases each key answers to (menu item names in every form we know, the number words of
 * the call's language, yes/no at the offer), and gets back one key or null. Anything unsure
 * (low confidence, nothing matched, two keys matched equally well) is null, which the flow
 * treats like a wrong key.
 */
import type { SpeechWords } from "../words/index.ts";
import { MORE_KEY, REPEAT_KEY } from "./menu.ts";

export interface HeardSpeech {
  text: string;
  /** Twilio's Confidence, 0..1; absent when the recogniser gives none. */
  confidence?: number;
}

export interface SpokenOption {
  key: string;
  phrases: readonly string[];
}

/** What the flow passes on for speech that matched nothing: handled like a wrong key, with its own apology. */
export const UNMATCHED = "?";

/** Below this, Twilio's guess is as likely wrong as right: ask again rather than act on it. */
export const MIN_CONFIDENCE = 0.4;

/** Lower-cased, without punctuation (. , । ? !), joiners or repeated spaces. */
export function normalizeSpeech(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\u200c\u200d]/g, "")
    .replace(/[\p{P}\p{S}\u0964\u0965]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The words of `names` that only one option has (like "Puttur" in "Puttur Town Clinic"). */
export function distinctiveWords(names: readonly (readonly string[])[]): string[][] {
  const wordsOf = names.map((forms) => new Set(forms.flatMap((n) => normalizeSpeech(n).split(" ")).filter(Boolean)));
  return wordsOf.map((words, i) =>
    [...words].filter((w) => [...w].length >= 4 && wordsOf.every((other, j) => j === i || !other.has(w))),
  );
}

function score(heard: string, phrase: string): number {
  const p = normalizeSpeech(phrase);
  if (!p) return 0;
  if (heard === p) return 1000 + p.length;
  return ` ${heard} `.includes(` ${p} `) ? p.length : 0;
}

/** The key `speech` stands for among `options`, or null when unsure. */
export function matchSpeech(speech: HeardSpeech, options: readonly SpokenOption[]): string | null {
  if (speech.confidence !== undefined && speech.confidence < MIN_CONFIDENCE) return null;
  const heard = normalizeSpeech(speech.text);
  if (!heard) return null;
  // Recognisers often write a spoken number as a digit.
  if (/^\d$/.test(heard)) return options.some((o) => o.key === heard) ? heard : null;
  let best: { key: string; score: number } | null = null;
  let tied = false;
  for (const option of options) {
    const s = Math.max(0, ...option.phrases.map((p) => score(heard, p)));
    if (s === 0) continue;
    if (!best || s > best.score) {
      best = { key: option.key, score: s };
      tied = false;
    } else if (s === best.score && option.key !== best.key) tied = true;
  }
  return best && !tied ? best.key : null;
}

/**
 * What each key of one menu page answers to: the item's names in every form we know, the
 * words only that item has ("Puttur"), its number word; 9 for more, 0 for the reception; "again" for star.
 */
export function menuOptions(words: SpeechWords, shownNames: readonly (readonly string[])[]): SpokenOption[] {
  const distinctive = distinctiveWords(shownNames);
  const options: SpokenOption[] = shownNames.map((names, i) => ({
    key: String(i + 1),
    phrases: [...names, ...(distinctive[i] ?? []), ...(words.numbers[i + 1] ?? [])],
  }));
  // 9 pages on (a page has at most four items); 0 is the reception.
  options.push({ key: MORE_KEY, phrases: words.numbers[Number(MORE_KEY)] ?? [] });
  options.push({ key: "0", phrases: words.numbers[0] ?? [] });
  options.push({ key: REPEAT_KEY, phrases: words.repeat });
  return options;
}

/** At the offer: yes books (1), no hears the next time (2), a number, "start again", "again" repeats. */
export function offerOptions(words: SpeechWords): SpokenOption[] {
  return [
    { key: "1", phrases: [...words.yes, ...(words.numbers[1] ?? [])] },
    { key: "2", phrases: [...words.no, ...(words.numbers[2] ?? [])] },
    { key: "3", phrases: words.numbers[3] ?? [] },
    { key: "4", phrases: words.numbers[4] ?? [] },
    { key: "restart", phrases: words.restart },
    { key: REPEAT_KEY, phrases: words.repeat },
  ];
}
