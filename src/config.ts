/** Settings read from the Worker's environment, parsed once per request with safe defaults. */
import type { Language } from "./ivr/prompts.ts";
import { isLanguage } from "./ivr/prompts.ts";
import type { ReasonSettings } from "./reasons/ask.ts";
import { isReasonLanguage, type ReasonLanguage } from "./reasons/words.ts";

export type StaffRole = "admin" | "desk" | "doctor";

export interface AiSettings {
  summaryModel: string;
  transcribeModel: string;
  /** One model call may take this long before the fallback (or a retry) takes over. */
  timeoutMs: number;
}

export interface RetentionSettings {
  notesDays: number;
  recordingsDays: number;
}

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
  /** How long one call to Twilio's REST API may take before it counts as failed (and is retried). */
  twilioTimeoutMs: number;
  reason: ReasonSettings;
  ai: AiSettings;
  /** Roles that may write visit notes (the doctor always; the desk when configured). */
  noteWriters: StaffRole[];
  retention: RetentionSettings;
}

function list(value: string | undefined, fallback: string): string[] {
  return (value ?? fallback)
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
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
    twilioTimeoutMs: 10_000,
    reason: {
      enabled: (env.REASON_CAPTURE ?? "on").trim().toLowerCase() !== "off",
      speechLanguages: list(env.REASON_SPEECH_LANGUAGES, "en,hi").filter(isReasonLanguage) as ReasonLanguage[],
      maxRecordSeconds: Math.min(positiveInt(env.REASON_MAX_RECORD_SECONDS, 20), 60),
    },
    ai: {
      summaryModel: env.AI_SUMMARY_MODEL || "@cf/meta/llama-3.1-8b-instruct",
      transcribeModel: env.AI_TRANSCRIBE_MODEL || "@cf/openai/whisper-large-v3-turbo",
      timeoutMs: positiveInt(env.AI_TIMEOUT_MS, 8000),
    },
    noteWriters: [
      "doctor",
      ...list(env.NOTE_WRITERS, "doctor").filter((r): r is "desk" | "admin" => r === "desk" || r === "admin"),
    ],
    retention: {
      notesDays: positiveInt(env.NOTES_RETENTION_DAYS, 730),
      recordingsDays: positiveInt(env.RECORDINGS_RETENTION_DAYS, 90),
    },
  };
}
