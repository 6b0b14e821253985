/**
 * Numbered menus: "For X, press 1." A page says at most four choices, as a caller can keep
 * four in mind; a longer list goes on with 9 ("for more choices"), and its last page's 9 goes
 * back to the first choices, so no page needs a second paging key. 0 is never a choice: on
 * Indian phone lines it is the key for a person (the clinic's reception), and * repeats.
 */
import type { Catalogue } from "../words/index.ts";

export const PAGE_SIZE = 4;
export const MORE_KEY = "9";
/** Repeats the current question; never counts as a miss. */
export const REPEAT_KEY = "*";

export type Choice<T> =
  { kind: "chosen"; item: T } | { kind: "page"; page: number } | { kind: "invalid" } | { kind: "silent" };

interface Page<T> {
  /** The page shown: the one asked for, clamped to the list. */
  index: number;
  items: T[];
  /** Whether the list has more than one page (then 9 pages on, from the last page back to the first). */
  paged: boolean;
  isLast: boolean;
}

function pageOf<T>(items: readonly T[], page: number): Page<T> {
  if (items.length <= PAGE_SIZE) return { index: 0, items: [...items], paged: false, isLast: true };
  const last = Math.ceil(items.length / PAGE_SIZE) - 1;
  const p = Math.min(Math.max(page, 0), last);
  return { index: p, items: items.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE), paged: true, isLast: p === last };
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
  // From the page shown, so a page number past the end (from a tampered URL) pages on correctly.
  if (shown.paged && digits === MORE_KEY) return { kind: "page", page: shown.isLast ? 0 : shown.index + 1 };
  const key = Number(digits);
  const item = key >= 1 ? shown.items[key - 1] : undefined;
  return item === undefined ? { kind: "invalid" } : { kind: "chosen", item };
}

/** The spoken choices of one page: "For A, press 1. For B, press 2. For more choices, press 9." */
export function menuLines<T extends { name: string }>(words: Catalogue, items: readonly T[], page: number): string[] {
  const shown = pageOf(items, page);
  const lines = shown.items.map((item, i) => words.choose(item.name, String(i + 1)));
  if (shown.paged) lines.push(shown.isLast ? words.firstChoices(MORE_KEY) : words.moreChoices(MORE_KEY));
  return lines;
}
