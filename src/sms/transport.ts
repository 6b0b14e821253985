/**
 * How outbound SMS leave the Worker: printed (SMS_MODE=log, for local runs), or sent through
 * the provider SMS_PROVIDER names (Twilio by default, Exotel with DLT templates). Missing
 * settings are a configuration error, never a quiet fall-back to printing: production with an
 * empty TWILIO_ACCOUNT_SID must not log patients' texts.
 */
import type { Config } from "../config.ts";
import { log } from "../log.ts";
import { isSafeApiBase } from "../twilio/rest.ts";
import { exotelProvider } from "./providers/exotel.ts";
import { twilioProvider } from "./providers/twilio.ts";
import type { SmsProvider } from "./providers/types.ts";
import { INBOUND_ONLY, TEMPLATE_KEYS, type TemplateKey } from "./templates/index.ts";

export type SmsTransport =
  | { kind: "log" }
  | { kind: "send"; provider: SmsProvider }
  /** `problem` names settings, never their values. */
  | { kind: "misconfigured"; problem: string };

function missingSettings(names: Record<string, string>): string[] {
  return Object.entries(names)
    .filter(([, value]) => !value)
    .map(([name]) => name);
}

export function smsTransport(config: Config): SmsTransport {
  if (config.smsMode === "log") return { kind: "log" };
  if (config.sms.provider === "exotel") {
    const { exotel, dlt } = config.sms;
    const missing = missingSettings({
      EXOTEL_API_KEY: exotel.apiKey,
      EXOTEL_API_TOKEN: exotel.apiToken,
      EXOTEL_ACCOUNT_SID: exotel.accountSid,
      DLT_ENTITY_ID: dlt.entityId,
      DLT_SENDER_HEADER: dlt.header,
      SMS_CALLBACK_SECRET: config.sms.callbackSecret,
    });
    if (missing.length)
      return { kind: "misconfigured", problem: `${missing.join(", ")} not set (SMS_PROVIDER=exotel)` };
    if (!isSafeApiBase(exotel.apiBaseUrl)) {
      return { kind: "misconfigured", problem: "EXOTEL_API_BASE_URL must be https (plain http only to loopback)" };
    }
    return {
      kind: "send",
      provider: exotelProvider({
        ...exotel,
        entityId: dlt.entityId,
        header: dlt.header,
        callbackSecret: config.sms.callbackSecret,
      }),
    };
  }
  const missing = missingSettings({
    TWILIO_ACCOUNT_SID: config.accountSid,
    TWILIO_AUTH_TOKEN: config.authToken,
    TWILIO_PHONE_NUMBER: config.phoneNumber,
  });
  if (missing.length) {
    return { kind: "misconfigured", problem: `${missing.join(", ")} not set (or set SMS_MODE=log for local runs)` };
  }
  if (!isSafeApiBase(config.apiBaseUrl)) {
    return { kind: "misconfigured", problem: "TWILIO_API_BASE_URL must be https (plain http only to loopback)" };
  }
  return {
    kind: "send",
    provider: twilioProvider(
      { accountSid: config.accountSid, authToken: config.authToken, apiBaseUrl: config.apiBaseUrl },
      config.phoneNumber,
    ),
  };
}

/** "booked.kn": how DLT_TEMPLATE_IDS names one template in one language. */
export function templateIdKey(template: string, language: string): string {
  return `${template}.${language}`;
}

/** The templates the line can send (in its languages, with its inbound setting) that have no DLT id. */
export function missingTemplateIds(config: Config): string[] {
  if (config.sms.provider !== "exotel") return [];
  const used = TEMPLATE_KEYS.filter((key: TemplateKey) => config.sms.inbound || !INBOUND_ONLY.has(key));
  return config.languages.flatMap((language) =>
    used.map((key) => templateIdKey(key, language)).filter((id) => !config.sms.dlt.templateIds[id]),
  );
}

let reportedProblem: string | null = null;

/**
 * Says at the start of the request path, once per isolate and problem, that SMS cannot go out
 * (or that some templates have no DLT id, so their texts will be blocked): an operator sees it
 * with the first call, not only when the first SMS is due.
 */
export function reportSmsMisconfiguration(config: Config): void {
  const transport = smsTransport(config);
  const missingIds = transport.kind === "send" ? missingTemplateIds(config) : [];
  const problem =
    transport.kind === "misconfigured"
      ? transport.problem
      : config.sms.dlt.problem && config.sms.provider === "exotel"
        ? config.sms.dlt.problem
        : missingIds.length
          ? `DLT_TEMPLATE_IDS has no id for ${missingIds.join(", ")}: those texts will be blocked, never sent as free text`
          : null;
  if (!problem || problem === reportedProblem) return;
  reportedProblem = problem;
  log.error("SMS cannot be sent: configuration error", { problem });
}
