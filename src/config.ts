/** Settings read from the Worker's environment, parsed once per request with safe defaults. */
import type { Language } from "./ivr/prompts.ts";
import { isLanguage } from "./ivr/prompts.ts";

export interface Config {
  authToken: string;
  accountSid: string;
  phoneNumber: string;
  apiBaseUrl: string;
  publicBaseUrl: string;
  defaultLanguage: Language;
  holdMs: number;
  leadMinutes: number;
  horizonDays: number;
  maxActivePerPhone: number;
  /** How long an isolate keeps its copy of the directory (0: read it on every request). */
  directoryCacheMs: number;
  /** How long one call to Twilio's REST API may take before it counts as failed (and is retried). */
  twilioTimeoutMs: number;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function nonNegativeInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function readConfig(env: Env): Config {
  const language = env.DEFAULT_LANGUAGE ?? "en";
  return {
    authToken: env.TWILIO_AUTH_TOKEN ?? "",
    accountSid: env.TWILIO_ACCOUNT_SID ?? "",
    phoneNumber: env.TWILIO_PHONE_NUMBER ?? "",
    apiBaseUrl: env.TWILIO_API_BASE_URL || "https://api.twilio.com",
    publicBaseUrl: env.PUBLIC_BASE_URL ?? "",
    defaultLanguage: isLanguage(language) ? language : "en",
    holdMs: positiveInt(env.HOLD_SECONDS, 300) * 1000,
    leadMinutes: positiveInt(env.BOOKING_LEAD_MINUTES, 15),
    horizonDays: positiveInt(env.BOOKING_HORIZON_DAYS, 30),
    maxActivePerPhone: positiveInt(env.MAX_ACTIVE_APPOINTMENTS_PER_PHONE, 4),
    directoryCacheMs: nonNegativeInt(env.DIRECTORY_CACHE_SECONDS, 10) * 1000,
    twilioTimeoutMs: 10_000,
  };
}
