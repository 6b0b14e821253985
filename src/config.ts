/** Settings read from the Worker's environment, parsed once per request with safe defaults. */
import type { Voice } from "./twilio/twiml.ts";
import { ALL_LANGUAGES, isLanguage, type Language } from "./words/index.ts";
import { voiceFor } from "./words/voices.ts";
import { log } from "./log.ts";
import { readProviderSettings, type ProviderSettings } from "./providers/settings.ts";
import { readCallSettings, type CallSettings } from "./calls/settings.ts";

export type StaffRole = "admin" | "desk" | "doctor";

export interface AiSettings {
  summaryModel: string;
  transcribeModel: string;
  /** One model call may take this long before the fallback (or a retry) takes over. */
  timeoutMs: number;
}

export interface RetentionSettings {
  callLogDays: number;
  smsInboundDays: number;
  /** Outbox rows (bodies long gone) are deleted after this many days. */
  smsOutboxDays: number;
  /** Bodies of settled but undelivered SMS (sent, failed, logged...) are blanked after this; delivered ones at once. */
  smsBodyHours: number;
  /** Visit notes, reasons and summaries. */
  notesDays: number;
  recordingsDays: number;
}

/** Outbound SMS beyond the mode and the policy: which provider, DLT registration, inbound or not. */
export interface SmsSettings {
  /** SMS_PROVIDER: "twilio" (the default) or "exotel" (an Indian provider sending DLT templates). */
  provider: "twilio" | "exotel";
  /** SMS_INBOUND: whether patients can text the line (Twilio's default: on; Exotel's: off). */
  inbound: boolean;
  /** LINE_PHONE_NUMBER: the number patients call, named in texts (default TWILIO_PHONE_NUMBER). */
  lineNumber: string;
  dlt: {
    /** DLT_ENTITY_ID: the clinic's registered entity. */
    entityId: string;
    /** DLT_SENDER_HEADER: the registered sender header (e.g. CLINIC), the From of every text. */
    header: string;
    /** DLT_TEMPLATE_IDS: "kind.language" -> the template id the portal gave ({"booked.kn": "1107..."}). */
    templateIds: Record<string, string>;
    /** Why DLT_TEMPLATE_IDS could not be read, if it could not. */
    problem?: string;
  };
  exotel: { apiKey: string; apiToken: string; accountSid: string; apiBaseUrl: string };
  /** SMS_CALLBACK_SECRET: signs the delivery-report URLs of providers that do not sign their requests. */
  callbackSecret: string;
}

/** "kind.language" -> id from JSON; anything else is a problem named without its value. */
function templateIds(value: string | undefined): { ids: Record<string, string>; problem?: string } {
  if (!value?.trim()) return { ids: {} };
  try {
    const parsed: unknown = JSON.parse(value);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    const ids: Record<string, string> = {};
    for (const [key, id] of Object.entries(parsed)) if (typeof id === "string" && id.trim()) ids[key] = id.trim();
    return { ids };
  } catch {
    return { ids: {}, problem: 'DLT_TEMPLATE_IDS is not a JSON object of "kind.language": "id"' };
  }
}

function smsSettings(env: Env): SmsSettings {
  const provider = env.SMS_PROVIDER?.trim().toLowerCase() === "exotel" ? "exotel" : "twilio";
  const inbound = env.SMS_INBOUND?.trim().toLowerCase();
  const ids = templateIds(env.DLT_TEMPLATE_IDS);
  return {
    provider,
    // A DLT sender header cannot receive texts; a Twilio number outside India can.
    inbound: inbound === "on" ? true : inbound === "off" ? false : provider === "twilio",
    lineNumber: env.LINE_PHONE_NUMBER?.trim() || env.TWILIO_PHONE_NUMBER || "",
    dlt: {
      entityId: env.DLT_ENTITY_ID?.trim() ?? "",
      header: env.DLT_SENDER_HEADER?.trim() ?? "",
      templateIds: ids.ids,
      ...(ids.problem ? { problem: ids.problem } : {}),
    },
    exotel: {
      apiKey: env.EXOTEL_API_KEY?.trim() ?? "",
      apiToken: env.EXOTEL_API_TOKEN ?? "",
      accountSid: env.EXOTEL_ACCOUNT_SID?.trim() ?? "",
      apiBaseUrl: env.EXOTEL_API_BASE_URL?.trim() || "https://api.exotel.com",
    },
    callbackSecret: env.SMS_CALLBACK_SECRET ?? "",
  };
}

/** The reason for the visit asked after the token (ivr/reason-step.ts). */
export interface ReasonSettings {
  /** REASON_CAPTURE=off skips the question entirely. */
  enabled: boolean;
  /** Languages asked by speech; the rest are recorded. The line's SPEECH_LANGUAGES (kn-IN is opt-in). */
  speechLanguages: readonly Language[];
  maxRecordSeconds: number;
}

export interface Config {
  authToken: string;
  accountSid: string;
  phoneNumber: string;
  apiBaseUrl: string;
  publicBaseUrl: string;
  /** The languages callers may choose, in menu order (LANGUAGES); the first is the default. */
  languages: Language[];
  defaultLanguage: Language;
  /** Voices chosen by configuration (VOICE_KN, VOICE_HI, VOICE_EN) instead of a catalogue's own. */
  voices: Partial<Record<Language, Voice>>;
  /** Languages whose menus also listen for speech (SPEECH_LANGUAGES); keys always work. */
  speechLanguages: Language[];
  /** Languages whose recorded prompt pack plays instead of the voice (PROMPT_PACKS; needs the PROMPTS bucket). */
  promptPacks: Language[];
  holdMs: number;
  /** How long a freed time is held for the waiting patient it is offered to (WAITLIST_HOLD_MINUTES). */
  waitlistHoldMs: number;
  /** How many days ahead (today included) a caller who heard no free time waits for one (WAITLIST_DAYS). */
  waitlistDays: number;
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
  sms: SmsSettings;
  reason: ReasonSettings;
  ai: AiSettings;
  /** Roles that may write visit notes (the doctor always; the desk when configured). */
  noteWriters: StaffRole[];
  retention: RetentionSettings;
  /** Plivo and Exotel beside Twilio: their secrets, numbers and languages. */
  providers: ProviderSettings;
  /** Outbound calls (reminder calls): who places them and when. */
  calls: CallSettings;
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

/** "+91, 44" -> ["+91", "+44"]; junk entries are dropped, and nothing valid means the default. */
function countryCodes(value: string | undefined): string[] {
  const codes = (value ?? "")
    .split(",")
    .map((code) => code.trim().replace(/^\+?/, "+"))
    .filter((code) => /^\+[1-9]\d{0,2}$/.test(code));
  return codes.length ? codes : ["+91"];
}

/** "kn, en,hi" -> [kn, en, hi]: known languages, each once, in the order given. */
function languageList(value: string | undefined): Language[] {
  const listed = (value ?? "").split(",").map((part) => part.trim().toLowerCase());
  return [...new Set(listed.filter(isLanguage))];
}

function configuredVoices(env: Env): Partial<Record<Language, Voice>> {
  const names: Record<Language, string | undefined> = { kn: env.VOICE_KN, hi: env.VOICE_HI, en: env.VOICE_EN };
  const voices: Partial<Record<Language, Voice>> = {};
  for (const language of ALL_LANGUAGES) {
    const name = names[language]?.trim();
    if (!name) continue;
    const chosen = voiceFor(language, name);
    // A voice that cannot speak the language would fail every call: keep the catalogue's own.
    if ("voice" in chosen) voices[language] = chosen.voice;
    else log.warn(`VOICE_${language.toUpperCase()} ignored`, { problem: chosen.problem });
  }
  return voices;
}

function nonNegativeInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function readConfig(env: Env): Config {
  const languages = languageList(env.LANGUAGES);
  const offered = languages.length > 0 ? languages : [...ALL_LANGUAGES];
  // Kannada recognition on Twilio is unproven, so only English and Hindi listen unless configured.
  const speech = env.SPEECH_LANGUAGES?.trim() === "none" ? [] : languageList(env.SPEECH_LANGUAGES || "en,hi");
  return {
    authToken: env.TWILIO_AUTH_TOKEN ?? "",
    accountSid: env.TWILIO_ACCOUNT_SID ?? "",
    phoneNumber: env.TWILIO_PHONE_NUMBER ?? "",
    apiBaseUrl: env.TWILIO_API_BASE_URL || "https://api.twilio.com",
    publicBaseUrl: env.PUBLIC_BASE_URL ?? "",
    languages: offered,
    defaultLanguage: offered[0]!,
    voices: configuredVoices(env),
    speechLanguages: speech,
    promptPacks: languageList(env.PROMPT_PACKS ?? ""),
    holdMs: positiveInt(env.HOLD_SECONDS, 300) * 1000,
    waitlistHoldMs: positiveInt(env.WAITLIST_HOLD_MINUTES, 15) * 60_000,
    waitlistDays: positiveInt(env.WAITLIST_DAYS, 14),
    leadMinutes: positiveInt(env.BOOKING_LEAD_MINUTES, 15),
    horizonDays: positiveInt(env.BOOKING_HORIZON_DAYS, 30),
    maxActivePerPhone: positiveInt(env.MAX_ACTIVE_APPOINTMENTS_PER_PHONE, 4),
    directoryCacheMs: nonNegativeInt(env.DIRECTORY_CACHE_SECONDS, 10) * 1000,
    twilioTimeoutMs: 10_000,
    smsMode: env.SMS_MODE?.trim().toLowerCase() === "log" ? "log" : "twilio",
    smsAllowedCountryCodes: countryCodes(env.SMS_ALLOWED_COUNTRY_CODES),
    smsDailyBudget: positiveInt(env.SMS_DAILY_BUDGET, 2000),
    smsRepliesPerSenderPerHour: positiveInt(env.SMS_REPLIES_PER_SENDER_PER_HOUR, 5),
    sms: smsSettings(env),
    reason: {
      enabled: (env.REASON_CAPTURE ?? "on").trim().toLowerCase() !== "off",
      // One switch for Twilio's recogniser: the languages whose menus listen also have their
      // reason heard by speech; the others (kn unless SPEECH_LANGUAGES adds it) are recorded.
      speechLanguages: speech,
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
      callLogDays: positiveInt(env.RETENTION_CALL_LOG_DAYS, 90),
      smsInboundDays: positiveInt(env.RETENTION_SMS_INBOUND_DAYS, 90),
      smsOutboxDays: positiveInt(env.RETENTION_SMS_OUTBOX_DAYS, 30),
      smsBodyHours: positiveInt(env.RETENTION_SMS_BODY_HOURS, 24),
      notesDays: positiveInt(env.NOTES_RETENTION_DAYS, 730),
      recordingsDays: positiveInt(env.RECORDINGS_RETENTION_DAYS, 90),
    },
    providers: readProviderSettings(env, offered, languageList(env.PROMPT_PACKS ?? "")),
    calls: readCallSettings(env),
  };
}
