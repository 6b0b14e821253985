/**
 * Plivo's Call API: POST /v1/Account/{auth_id}/Call/ (JSON) with from, to, answer_url, ring_url
 * and hangup_url (each POSTed and signed with X-Plivo-Signature-V3 like every Plivo webhook),
 * ring_timeout, time_limit and machine_detection=hangup (Plivo hangs up on a machine; its
 * callbacks say Machine=true). Plivo answers 201 with a request_uuid, which is not the CallUUID
 * its callbacks carry: the line finds the call by the outbox row its URLs name, not by either.
 */
import type { PlivoCallSettings } from "../calls/settings.ts";
import { basicAuth, isSafeApiBase } from "../twilio/rest.ts";
import { classify, RING_SECONDS, TIME_LIMIT_SECONDS, type PlaceCall } from "./outbound.ts";

export function plivoCalls(settings: PlivoCallSettings): PlaceCall {
  return async (call, { timeoutMs }) => {
    if (!isSafeApiBase(settings.apiBaseUrl))
      return { kind: "refused", retryable: true, message: "PLIVO_API_BASE_URL must be https (http only to loopback)" };
    const url = `${settings.apiBaseUrl.replace(/\/+$/, "")}/v1/Account/${encodeURIComponent(settings.authId)}/Call/`;
    const body = {
      // Plivo's numbers go without the plus.
      from: settings.callerId.replace(/^\+/, ""),
      to: call.to.replace(/^\+/, ""),
      answer_url: call.answerUrl,
      answer_method: "POST",
      ring_url: call.statusUrl,
      ring_method: "POST",
      hangup_url: call.statusUrl,
      hangup_method: "POST",
      ring_timeout: RING_SECONDS,
      time_limit: TIME_LIMIT_SECONDS,
      machine_detection: "hangup",
    };
    let posted: { ok: true; response: Response } | { ok: false; message: string };
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          Authorization: basicAuth(settings.authId, settings.authToken),
          "Content-Type": "application/json",
          Accept: "application/json",
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      posted = { ok: true, response };
    } catch (error) {
      posted = { ok: false, message: `no answer from Plivo (${error instanceof Error ? error.name : "error"})` };
    }
    return classify(posted, (payload) => payload.request_uuid);
  };
}
