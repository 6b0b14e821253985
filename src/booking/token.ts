/**
 * Appointment tokens: the doctor's prefix, a hyphen, a number from the slot's start time
 * ("KS-7" is Dr. Kavya Shetty at 10:30).
 *
 * - The prefix is chosen once, when the doctor is first needed, and stored on the doctor:
 *   1-3 letters A-Z, unique among all the clinic's doctors, past ones included, so it never
 *   changes when colleagues come and go and is never handed to a successor.
 * - The number depends on the time alone, never on the day's hours: a start on the quarter
 *   hour from 09:00 is its quarter-hour count from 09:00 (09:00 -> 1, 10:30 -> 7, 16:45 -> 32,
 *   the seed system's meaning); any other start is its clock time (08:30 -> 830, 14:20 -> 1420,
 *   00:40 -> 2440). Different times always give different numbers, so with the D1 guard (one
 *   live appointment per doctor and start) a token is unique within its clinic and date.
 * - A token, once issued, is stored on the appointment and never recomputed.
 */

const TITLES = new Set(["dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "shri", "smt", "sri"]);

/** The words of a name that are not titles, reduced to the letters A-Z. */
export function nameWords(name: string): string[] {
  return name
    .normalize("NFKD")
    .split(/[\s.]+/)
    .filter((w) => !TITLES.has(w.replace(/[^\p{L}]/gu, "").toLowerCase()))
    .map((w) => w.toUpperCase().replace(/[^A-Z]/g, ""))
    .filter((w) => w.length > 0);
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Prefixes a doctor could have, best first: initials, then more letters of the name, then any. */
export function prefixCandidates(name: string): string[] {
  const words = nameWords(name);
  const first = words[0] ?? "";
  const last = words.length > 1 ? words[words.length - 1]! : "";
  const fromName = [
    first.slice(0, 1),
    first.slice(0, 1) + last.slice(0, 1),
    first.slice(0, 2) + last.slice(0, 1),
    first.slice(0, 1) + last.slice(0, 2),
    first.slice(0, 2),
    first.slice(0, 3),
    ...words.map((w) => w.slice(0, 1)).filter(Boolean),
  ].filter((p) => p.length >= 1 && p.length <= 3);
  return [...new Set(fromName)];
}

/** Every 1-3 letter prefix in order (A..Z, AA..ZZ, AAA..ZZZ): the fallback when a name's are taken. */
function* anyPrefix(): Generator<string> {
  for (const a of ALPHABET) yield a;
  for (const a of ALPHABET) for (const b of ALPHABET) yield a + b;
  for (const a of ALPHABET) for (const b of ALPHABET) for (const c of ALPHABET) yield a + b + c;
}

/** The best prefix for `name` that the clinic has not used; null only when all 18,278 are taken. */
export function choosePrefix(name: string, taken: ReadonlySet<string>): string | null {
  const anchor = nameWords(name)[0]?.slice(0, 1) ?? "";
  for (const p of prefixCandidates(name)) if (!taken.has(p)) return p;
  // Prefer letters that still start with the doctor's initial, then anything.
  for (const p of anyPrefix()) if (anchor && p.startsWith(anchor) && !taken.has(p)) return p;
  for (const p of anyPrefix()) if (!taken.has(p)) return p;
  return null;
}

const NINE_AM = 9 * 60;

/** The token number of a slot starting `startMinute` minutes after local midnight. */
export function tokenNumber(startMinute: number): number {
  const sinceNine = startMinute - NINE_AM;
  if (sinceNine >= 0 && sinceNine % 15 === 0) return sinceNine / 15 + 1; // 1..60
  const hour = Math.floor(startMinute / 60);
  const minute = startMinute % 60;
  return (hour === 0 ? 24 : hour) * 100 + minute; // 100..2459, never 1..60
}

export function formatToken(prefix: string, startMinute: number): string {
  return `${prefix}-${tokenNumber(startMinute)}`;
}

/** How a token is read out: "K S, 7" so a text-to-speech voice spells the letters. */
export function spokenToken(token: string): string {
  const [letters = "", number = ""] = token.split("-");
  return `${letters.split("").join(" ")}, ${number}`;
}

/**
 * A token as a patient types or dictates it: "KS-6", "ks6", "K S 6", "k.s. 6" all read KS-6.
 * Null when the text is not shaped like a token.
 */
export function parseToken(text: string): string | null {
  const compact = text
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s.\-_:,#/]+/g, "");
  const match = /^([A-Z]{1,3})(\d{1,4})$/.exec(compact);
  return match ? `${match[1]}-${Number(match[2])}` : null;
}
