/**
 * The outbound calls' settings: which provider places them (or "log": placed nowhere, answered by
 * `npm run call -- --answer`), when the reminder call is due, and each provider's caller id.
 */
import { parseHhmm } from "../slots/calendar.ts";

export type CallProviderName = "twilio" | "plivo" | "exotel" | "log";

/** Calling hours, clinic-local: no call is placed before 9:00 or from 20:00 on. */
export const CALLING_HOURS = { from: 9 * 60, to: 20 * 60 } as const;

export interface CallSettings {
  /** OUTBOUND_CALLS: the provider that places calls; "log" places none (local runs). */
  provider: CallProviderName;
  /** REMINDER_CALL_TIME: the evening before, clinic-local minute, clamped to calling hours. */
  reminderMinute: number;
  /** REMINDER_CALL_RETRY_MINUTES: after no answer, the one retry. */
  retryMinutes: number;
  plivo: PlivoCallSettings;
  exotel: Pick<ExotelCallSettings, "callerId" | "flowUrl">;
}

/** "18:30" or "1830" as a minute of the day within calling hours (the last start is 19:59). */
export function reminderMinute(value: string | undefined): number {
  const minute = parseHhmm((value ?? "").replace(":", "").trim()) ?? 18 * 60;
  return Math.min(Math.max(minute, CALLING_HOURS.from), CALLING_HOURS.to - 1);
}

export function readCallSettings(env: Env): CallSettings {
  const named = env.OUTBOUND_CALLS?.trim().toLowerCase();
  const provider: CallProviderName = named === "plivo" || named === "exotel" || named === "log" ? named : "twilio";
  const retry = Number(env.REMINDER_CALL_RETRY_MINUTES);
  return {
    provider,
    reminderMinute: reminderMinute(env.REMINDER_CALL_TIME),
    retryMinutes: Number.isInteger(retry) && retry >= 10 && retry <= 180 ? retry : 60,
    plivo: {
      authId: env.PLIVO_AUTH_ID?.trim() ?? "",
      authToken: env.PLIVO_AUTH_TOKEN ?? "",
      callerId: env.PLIVO_CALLER_ID?.trim() ?? "",
      apiBaseUrl: env.PLIVO_API_BASE_URL?.trim() || "https://api.plivo.com",
    },
    exotel: { callerId: env.EXOTEL_CALLER_ID?.trim() ?? "", flowUrl: env.EXOTEL_CALL_FLOW_URL?.trim() ?? "" },
  };
}

export interface PlivoCallSettings {
  authId: string;
  authToken: string;
  /** The Plivo number the patient sees (E.164). */
  callerId: string;
  apiBaseUrl: string;
}

export interface ExotelCallSettings {
  apiKey: string;
  apiToken: string;
  accountSid: string;
  apiBaseUrl: string;
  /** The ExoPhone the patient sees. */
  callerId: string;
  /** The dashboard flow whose applet fetches /api/exotel/outbound/ (EXOTEL_CALL_FLOW_URL). */
  flowUrl: string;
}
