/**
 * How outbound SMS leave the Worker: printed (SMS_MODE=log, for local runs), or sent through
 * Twilio's REST API. Missing credentials are a configuration error, never a quiet fall-back
 * to printing: production with an empty TWILIO_ACCOUNT_SID must not log patients' texts.
 */
import type { Config } from "../config.ts";
import { log } from "../log.ts";
import { isSafeApiBase, type TwilioCredentials } from "../twilio/rest.ts";

export type SmsTransport =
  | { kind: "log" }
  | { kind: "twilio"; credentials: TwilioCredentials; from: string }
  /** `problem` names settings, never their values. */
  | { kind: "misconfigured"; problem: string };

export function smsTransport(config: Config): SmsTransport {
  if (config.smsMode === "log") return { kind: "log" };
  const missing = [
    config.accountSid ? null : "TWILIO_ACCOUNT_SID",
    config.authToken ? null : "TWILIO_AUTH_TOKEN",
    config.phoneNumber ? null : "TWILIO_PHONE_NUMBER",
  ].filter((name): name is string => name !== null);
  if (missing.length) {
    return { kind: "misconfigured", problem: `${missing.join(", ")} not set (or set SMS_MODE=log for local runs)` };
  }
  if (!isSafeApiBase(config.apiBaseUrl)) {
    return { kind: "misconfigured", problem: "TWILIO_API_BASE_URL must be https (plain http only to loopback)" };
  }
  return {
    kind: "twilio",
    credentials: { accountSid: config.accountSid, authToken: config.authToken, apiBaseUrl: config.apiBaseUrl },
    from: config.phoneNumber,
  };
}

let reportedProblem: string | null = null;

/**
 * Says at the start of the request path, once per isolate and problem, that SMS cannot go out:
 * an operator sees it with the first call, not only when the first SMS is due.
 */
export function reportSmsMisconfiguration(config: Config): void {
  const transport = smsTransport(config);
  if (transport.kind !== "misconfigured" || transport.problem === reportedProblem) return;
  reportedProblem = transport.problem;
  log.error("SMS cannot be sent: configuration error", { problem: transport.problem });
}
