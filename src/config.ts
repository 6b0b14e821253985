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
  /** "log" only when SMS_MODE=log is configured: a missing credential is never a silent switch. */
  smsMode: "twilio" | "log";
  /** Country calling codes ("+91") outbound SMS may go to. */
  smsAllowedCountryCodes: string[];
  smsDailyBudget: number;
  smsRepliesPerSenderPerHour: number;
  retention: RetentionSettings;
}

export interface RetentionSettings {
  callLogDays: number;
  smsInboundDays: number;
  /** Outbox rows (bodies long gone) are deleted after this many days. */
  smsOutboxDays: number;
  /** Bodies of settled but undelivered SMS (sent, failed, logged...) are blanked after this; delivered ones at once. */
  smsBodyHours: number;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** "+91, 44" -> ["+91", "+44"]; junk entries are dropped, and nothing valid means the default. */
function countryCodes(value: string | undefined): string[] {
  const codes = (value ?? "")
    .split(",")
    .map((code) => code.trim().replace(/^\+?/, "+"))
    .filter((code) => /^\+[1-9]\d{0,2}$/.test(code));
  return codes.length ? codes : ["+91"];
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
    smsMode: env.SMS_MODE?.trim().toLowerCase() === "log" ? "log" : "twilio",
    smsAllowedCountryCodes: countryCodes(env.SMS_ALLOWED_COUNTRY_CODES),
    smsDailyBudget: positiveInt(env.SMS_DAILY_BUDGET, 2000),
    smsRepliesPerSenderPerHour: positiveInt(env.SMS_REPLIES_PER_SENDER_PER_HOUR, 5),
    retention: {
      callLogDays: positiveInt(env.RETENTION_CALL_LOG_DAYS, 90),
      smsInboundDays: positiveInt(env.RETENTION_SMS_INBOUND_DAYS, 90),
      smsOutboxDays: positiveInt(env.RETENTION_SMS_OUTBOX_DAYS, 30),
      smsBodyHours: positiveInt(env.RETENTION_SMS_BODY_HOURS, 24),
    },
  };
}
