/**
 * Exotel's "outgoing call to a call flow" (developer.exotel.com, Voice v1, connect to flow):
 * POST /v1/Accounts/{sid}/Calls/connect (form, Basic auth with the API key and token) with From
 * (the number called first: the patient), CallerId (the ExoPhone), Url (a flow of the Exotel
 * dashboard, http://my.exotel.com/{sid}/exoml/start_voice/{app_id}: Exotel does not take the
 * line's own URL here), CallType=trans, TimeOut, TimeLimit and StatusCallback. Its answer is
 * {"Call": {"Sid": ...}}; the flow's applet then fetches the line's outbound entry, which finds
 * the call by that Sid. Exotel documents no answering-machine detection for this API: a machine
 * that answers counts as answered (README).
 */
import type { ExotelCallSettings } from "../calls/settings.ts";
import { basicAuth, isSafeApiBase, postForm } from "../twilio/rest.ts";
import { classify, RING_SECONDS, TIME_LIMIT_SECONDS, type PlaceCall } from "./outbound.ts";

export function exotelCalls(settings: ExotelCallSettings): PlaceCall {
  return async (call, { timeoutMs }) => {
    if (!isSafeApiBase(settings.apiBaseUrl))
      return { kind: "refused", retryable: true, message: "EXOTEL_API_BASE_URL must be https (http only to loopback)" };
    const url = `${settings.apiBaseUrl.replace(/\/+$/, "")}/v1/Accounts/${encodeURIComponent(settings.accountSid)}/Calls/connect.json`;
    const form = new URLSearchParams({
      From: call.to,
      CallerId: settings.callerId,
      Url: settings.flowUrl,
      CallType: "trans",
      TimeOut: String(RING_SECONDS),
      TimeLimit: String(TIME_LIMIT_SECONDS),
      StatusCallback: call.statusUrl,
    });
    const posted = await postForm(url, basicAuth(settings.apiKey, settings.apiToken), form, timeoutMs);
    return classify(posted, (payload) => (payload.Call as { Sid?: unknown } | undefined)?.Sid);
  };
}
