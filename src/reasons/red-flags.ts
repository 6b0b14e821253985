/**
 * Emergency red flags in a caller's reason for visit, in English, Kannada and Hindi (native
 * script and the common romanised forms). Pure and deterministic on purpose: the advice to
 * call 108 must never wait for, or depend on, a model. A model may add flags elsewhere; it
 * never sees or changes this table.
 *
 * Each rule is a set of patterns that must all match the normalised reason ("pregnant" and
 * "bleeding" anywhere in a few words). Patterns use letter boundaries that work for Indic
 * scripts too (JavaScript's \b only knows ASCII), and name the near-misses they step around
 * ("blood test", "burning urine", "ವಿಷಯ" = matter, not "ವಿಷ" = poison).
 */
import { PHRASES } from "./red-flag-phrases.ts";

export const RED_FLAGS = [
  "chest-pain",
  "breathing",
  "unconscious",
  "seizure",
  "heavy-bleeding",
  "stroke",
  "pregnancy-bleeding-or-pain",
  "poisoning",
  "snake-bite",
  "severe-burn",
  "infant-fever",
  "self-harm",
  "severe-injury",
] as const;
export type RedFlag = (typeof RED_FLAGS)[number];

export function isRedFlag(value: unknown): value is RedFlag {
  return typeof value === "string" && (RED_FLAGS as readonly string[]).includes(value);
}

/**
 * Lower case, one space between words, no punctuation, one spelling of the marks that speech
 * engines write either way (Hindi nukta and chandrabindu; Kannada and Hindi zero-width joiners).
 */
export function normaliseReason(text: string): string {
  return normaliseMarks(text.toLowerCase())
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, " ")
    .trim();
}

/** The spelling differences that are no difference; applied to the phrase table too. */
function normaliseMarks(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\u200c\u200d]/g, "")
    .replace(/\u093c/g, "") // nukta: ज़हर and जहर are the same word to a caller
    .replace(/\u0901/g, "\u0902"); // chandrabindu -> anusvara: साँस / सांस
}

const compiled: { flag: RedFlag; all: RegExp[] }[] = PHRASES.flatMap(({ flag, rules }) =>
  rules.map((rule) => ({ flag, all: rule.map((source) => new RegExp(normaliseMarks(source), "u")) })),
);

/** The red flags a reason raises, in table order; empty when none (or no reason at all). */
export function redFlagsIn(reason: string | null | undefined): RedFlag[] {
  if (!reason) return [];
  const text = normaliseReason(reason);
  if (!text) return [];
  const found = new Set<RedFlag>();
  for (const { flag, all } of compiled) if (!found.has(flag) && all.every((re) => re.test(text))) found.add(flag);
  return RED_FLAGS.filter((flag) => found.has(flag));
}

/** Deterministic flags plus any a model added: a model can add a flag, never take one away. */
export function mergeFlags(deterministic: readonly RedFlag[], added: readonly unknown[]): RedFlag[] {
  const all = new Set<RedFlag>(deterministic);
  for (const flag of added) if (isRedFlag(flag)) all.add(flag);
  return RED_FLAGS.filter((flag) => all.has(flag));
}

/** Reads a stored JSON list of flags, keeping only known ones (a damaged row never hides the urgent mark). */
export function parseFlags(json: string | null | undefined): RedFlag[] {
  try {
    const value: unknown = JSON.parse(json ?? "[]");
    return Array.isArray(value) ? mergeFlags([], value) : [];
  } catch {
    return [];
  }
}

/** Plain English labels for the desk. */
export const RED_FLAG_LABELS: Record<RedFlag, string> = {
  "chest-pain": "chest pain",
  breathing: "difficulty breathing",
  unconscious: "unconscious or fainting",
  seizure: "fits or seizures",
  "heavy-bleeding": "heavy bleeding",
  stroke: "stroke signs",
  "pregnancy-bleeding-or-pain": "pregnancy with bleeding or pain",
  poisoning: "poisoning",
  "snake-bite": "snake bite",
  "severe-burn": "burns",
  "infant-fever": "fever in an infant",
  "self-harm": "self-harm",
  "severe-injury": "serious injury or accident",
};
