/**
 * Twilio's Calls API: POST /2010-04-01/Accounts/{sid}/Calls.json with To, From (the line's
 * number), Url (the answered call's first document, POSTed and signed like every webhook),
 * StatusCallback with the events initiated, ringing, answered and completed (the first arrives
 * within seconds, so a call that was placed is known even when the API's answer was lost), and
 * MachineDetection=Enable, so the answer request says AnsweredBy=human or machine_*.
 */
import type { Config } from "../config.ts";
import { basicAuth, isSafeApiBase, postForm } from "../twilio/rest.ts";
import { classify, RING_SECONDS, TIME_LIMIT_SECONDS, type PlaceCall } from "./outbound.ts";

export function twilioCalls(
  config: Pick<Config, "accountSid" | "authToken" | "apiBaseUrl" | "phoneNumber">,
): PlaceCall {
  return async (call, { timeoutMs }) => {
    if (!isSafeApiBase(config.apiBaseUrl))
      return { kind: "refused", retryable: true, message: "TWILIO_API_BASE_URL must be https (http only to loopback)" };
    const url = `${config.apiBaseUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Calls.json`;
    const form = new URLSearchParams({
      To: call.to,
      From: config.phoneNumber,
      Url: call.answerUrl,
      Method: "POST",
      StatusCallback: call.statusUrl,
      StatusCallbackMethod: "POST",
      MachineDetection: "Enable",
      Timeout: String(RING_SECONDS),
      TimeLimit: String(TIME_LIMIT_SECONDS),
    });
    for (const event of ["initiated", "ringing", "answered", "completed"]) form.append("StatusCallbackEvent", event);
    const posted = await postForm(url, basicAuth(config.accountSid, config.authToken), form, timeoutMs);
    return classify(posted, (payload) => payload.sid);
  };
}
