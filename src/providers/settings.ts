/**
 * Which providers serve the line, with what: Plivo when PLIVO_AUTH_TOKEN is set, Exotel when
 * EXOTEL_URL_SECRET and EXOTEL_NUMBERS are. Each may offer its own languages (PLIVO_LANGUAGES,
 * EXOTEL_LANGUAGES; LANGUAGES otherwise); a language the provider cannot speak, and has no
 * recorded prompts for, is a configuration problem: its webhooks answer 503 and the log says why,
 * rather than a caller hearing Kannada read by a Hindi voice.
 */
import { isLanguage, type Language } from "../words/index.ts";
import { EXOTEL_VOICES, isRecorded, PLIVO_VOICES, type ProviderVoice } from "./voices.ts";

export interface ProviderLine {
  /** The languages this provider's callers may choose, in menu order. */
  languages: Language[];
  /** Why this provider cannot serve the line as configured; absent when it can. */
  problem?: string;
}

export interface PlivoSettings extends ProviderLine {
  authToken: string;
  /** The account's Auth ID: with the token, fetches and deletes recorded reasons. */
  authId: string;
  /** https://api.plivo.com; a fake in tests. */
  apiBaseUrl: string;
  /** The Plivo numbers (E.164) whose calls this line answers; empty: any number of the account. */
  numbers: string[];
}

export interface ExotelSettings extends ProviderLine {
  /** Keys the entry URLs and signs every URL handed to Exotel. */
  urlSecret: string;
  /** The ExoPhones (E.164) whose calls this line answers. */
  numbers: string[];
  /** How long a URL handed to Exotel stays valid. */
  urlTtlSeconds: number;
  /** Exotel's webhook addresses (IPv4, CIDR allowed), when its support has given them; empty: any. */
  sourceRanges: string[];
}

export interface ProviderSettings {
  plivo: PlivoSettings;
  exotel: ExotelSettings;
}

function languagesOf(value: string | undefined, fallback: Language[]): Language[] {
  const listed = [...new Set((value ?? "").split(",").map((part) => part.trim().toLowerCase()))].filter(isLanguage);
  return listed.length > 0 ? listed : fallback;
}

/**
 * The languages a provider cannot speak (and has no recorded prompts for), as a sentence; undefined
 * when none. `packs` are the languages with a recorded prompt pack (PROMPT_PACKS): such a language
 * needs its pack complete on this provider, since no voice can say a missing clip's words.
 */
export function unspeakable(
  provider: string,
  voices: Partial<Record<Language, ProviderVoice>>,
  languages: readonly Language[],
  setting: string,
  packs: readonly Language[] = [],
): string | undefined {
  const missing = languages.filter((l) => !voices[l] && !isRecorded(l) && !packs.includes(l));
  if (missing.length === 0) return undefined;
  return `${provider} has no voice for ${missing.join(", ")}: take it out of ${setting} (or LANGUAGES), or record its prompts`;
}

/** A comma-separated list of E.164 numbers; anything else in it is left out. */
function phoneList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter((n) => /^\+\d{8,15}$/.test(n));
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function readProviderSettings(
  env: Env,
  lineLanguages: Language[],
  packs: readonly Language[] = [],
): ProviderSettings {
  const plivoLanguages = languagesOf(env.PLIVO_LANGUAGES, lineLanguages);
  const exotelLanguages = languagesOf(env.EXOTEL_LANGUAGES, lineLanguages);
  const plivoProblem = unspeakable("Plivo", PLIVO_VOICES, plivoLanguages, "PLIVO_LANGUAGES", packs);
  const exotelProblem = unspeakable("Exotel", EXOTEL_VOICES, exotelLanguages, "EXOTEL_LANGUAGES", packs);
  return {
    plivo: {
      authToken: env.PLIVO_AUTH_TOKEN ?? "",
      authId: env.PLIVO_AUTH_ID?.trim() ?? "",
      apiBaseUrl: env.PLIVO_API_BASE_URL?.trim() || "https://api.plivo.com",
      numbers: phoneList(env.PLIVO_NUMBERS),
      languages: plivoLanguages,
      ...(plivoProblem ? { problem: plivoProblem } : {}),
    },
    exotel: {
      urlSecret: env.EXOTEL_URL_SECRET ?? "",
      numbers: phoneList(env.EXOTEL_NUMBERS),
      urlTtlSeconds: positive(env.EXOTEL_URL_TTL_SECONDS, 900),
      sourceRanges: (env.EXOTEL_SOURCE_IPS ?? "")
        .split(",")
        .map((r) => r.trim())
        .filter(Boolean),
      languages: exotelLanguages,
      ...(exotelProblem ? { problem: exotelProblem } : {}),
    },
  };
}
