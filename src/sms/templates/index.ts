/**
 * The SMS templates of every language, and the only way a text is made from them: fill the
 * variables, never touch the fixed text. `dltText` is the form a clinic registers
 * ({#var#} for each variable), `matchingTemplates` checks a text against the registered list.
 */
import type { Language } from "../../words/index.ts";
import { en } from "./en.ts";
import { hi } from "./hi.ts";
import {
  TEMPLATE_KEYS,
  TEMPLATE_VARIABLES,
  VARIABLES,
  type SmsLanguage,
  type TemplateKey,
  type TemplateVars,
  type VariableName,
} from "./kinds.ts";
import { kn } from "./kn.ts";

export * from "./kinds.ts";

export const SMS_LANGUAGES: Readonly<Record<Language, SmsLanguage>> = { en, kn, hi };

/** A text ready for the outbox: its words and the template (kind and language) it was made from. */
export interface RenderedSms {
  body: string;
  template: TemplateKey;
  language: Language;
}

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/**
 * A name longer than its variable's maximum, cut at the last word boundary that fits (trailing
 * punctuation dropped): "Hampankatta Family Health and Wellness Centre" -> "Hampankatta Family
 * Health and". A single word longer than the maximum becomes its words' initials, never half a word.
 */
export function shortenName(value: string, max: number): string {
  const clean = value.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const words = clean.split(" ");
  let kept = "";
  for (const word of words) {
    const next = kept ? `${kept} ${word}` : word;
    if (next.length > max) break;
    kept = next;
  }
  kept = kept.replace(/[\s,.;:-]+$/, "");
  if (kept) return kept;
  const initials = words.map((w) => [...w][0]).join("");
  return [...initials].slice(0, max).join("");
}

/** The value a variable may carry, or an error naming it (an exact value over its maximum). */
function fit(name: VariableName, value: string): string {
  const spec = VARIABLES[name];
  // A line break or a brace would change the fixed text around the variable.
  const flat = value.replace(/[\r\n{}]+/g, " ");
  if (flat.length <= spec.max) return flat;
  if (spec.shorten === "name") return shortenName(flat, spec.max);
  throw new Error(`SMS variable ${name} is ${flat.length} characters, more than its registered ${spec.max}`);
}

/** Fills a template's variables. The fixed text is the registered one, character for character. */
export function renderTemplate<K extends TemplateKey>(key: K, language: Language, vars: TemplateVars<K>): RenderedSms {
  const values = vars as Record<string, string>;
  const body = SMS_LANGUAGES[language].texts[key].replace(PLACEHOLDER, (_, name: string) =>
    fit(name as VariableName, values[name] ?? ""),
  );
  return { body, template: key, language };
}

/** The variables a template's text names, in order (a variable may appear twice). */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The text as registered on a DLT portal: each variable a {#var#}. */
export function dltText(key: TemplateKey, language: Language): string {
  return SMS_LANGUAGES[language].texts[key].replace(PLACEHOLDER, "{#var#}");
}

/** A sample text for the registration form, filled with each variable's sample value. */
export function sampleText(key: TemplateKey, language: Language): string {
  const own = SMS_LANGUAGES[language];
  const samples = Object.fromEntries(
    TEMPLATE_VARIABLES[key].map((name) => [
      name,
      name === "time" ? own.time(9 * 60 + 15) : (own.samples[name] ?? VARIABLES[name].sample),
    ]),
  );
  return renderTemplate(key, language, samples as TemplateVars<typeof key>).body;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const matchers = new Map<string, RegExp>();

/** Matches a text the way an operator's scrubber does: fixed text exactly, each variable up to its maximum. */
function matcher(key: TemplateKey, language: Language): RegExp {
  const id = `${key}.${language}`;
  let re = matchers.get(id);
  if (!re) {
    const text = SMS_LANGUAGES[language].texts[key];
    let pattern = "";
    let last = 0;
    for (const m of text.matchAll(PLACEHOLDER)) {
      pattern += escapeRegExp(text.slice(last, m.index));
      pattern += `[^\\n]{0,${VARIABLES[m[1] as VariableName].max}}`;
      last = m.index! + m[0].length;
    }
    pattern += escapeRegExp(text.slice(last));
    re = new RegExp(`^${pattern}$`, "u");
    matchers.set(id, re);
  }
  return re;
}

/** The registered templates (in `language`) a text matches: exactly one for every text the line sends. */
export function matchingTemplates(text: string, language: Language): TemplateKey[] {
  return TEMPLATE_KEYS.filter((key) => matcher(key, language).test(text));
}
