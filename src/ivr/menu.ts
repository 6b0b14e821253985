/**
 * Numbered menus: "For X, press 1." Up to 9 choices fit on one page; longer lists show 7 a
 * page, with 9 for more and 8 for the previous page, and the prompt says so. 0 is never a
 * choice: on Indian phone lines it is the key for a person (the clinic's reception).
 */
import type { Catalogue } from "../words/index.ts";

export const PAGE_SIZE = 7;
export const MORE_KEY = "9";
export const PREVIOUS_PAGE_KEY = "8";
/** Repeats the current question; never counts as a miss. */
export const REPEAT_KEY = "*";

export type Choice<T> =
  { kind: "chosen"; item: T } | { kind: "page"; page: number } | { kind: "invalid" } | { kind: "silent" };

interface Page<T> {
  /** The page shown: the one asked for, clamped to the list. */
  index: number;
  items: T[];
  hasPrevious: boolean;
  hasNext: boolean;
}

function pageOf<T>(items: readonly T[], page: number): Page<T> {
  if (items.length <= 9) return { index: 0, items: [...items], hasPrevious: false, hasNext: false };
  const last = Math.ceil(items.length / PAGE_SIZE) - 1;
  const p = Math.min(Math.max(page, 0), last);
  return { index: p, items: items.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE), hasPrevious: p > 0, hasNext: p < last };
}

/** The items on one page of a menu, in key order (key 1 is the first). */
export function pageItems<T>(items: readonly T[], page: number): T[] {
  return pageOf(items, page).items;
}

/** What a key press means on this page of this menu. */
export function resolveChoice<T>(items: readonly T[], page: number, digits: string | undefined): Choice<T> {
  if (digits === undefined || digits === "") return { kind: "silent" };
  const shown = pageOf(items, page);
  if (!/^\d$/.test(digits)) return { kind: "invalid" };
  const key = Number(digits);
  // From the page shown, so a page number past the end (from a tampered URL) pages back correctly.
  if (shown.hasNext && digits === MORE_KEY) return { kind: "page", page: shown.index + 1 };
  if (shown.hasPrevious && digits === PREVIOUS_PAGE_KEY) return { kind: "page", page: shown.index - 1 };
  const item = key >= 1 ? shown.items[key - 1] : undefined;
  return item === undefined ? { kind: "invalid" } : { kind: "chosen", item };
}

/** The spoken choices of one page: "For A, press 1. For B, press 2. For more choices, press 9." */
export function menuLines<T extends { name: string }>(words: Catalogue, items: readonly T[], page: number): string[] {
  const shown = pageOf(items, page);
  const lines = shown.items.map((item, i) => words.choose(item.name, String(i + 1)));
  if (shown.hasNext) lines.push(words.moreChoices(MORE_KEY));
  if (shown.hasPrevious) lines.push(words.previousChoices(PREVIOUS_PAGE_KEY));
  return lines;
}
