/**
 * Placing a call, in no provider's words: each voice provider turns an `OutboundCall` into its
 * own API request (Twilio's Calls API, Plivo's Call API, Exotel's connect-to-flow) and its answer
 * into a `PlaceResult`. The call outbox (src/calls) decides when and whether; this only asks.
 */

export interface OutboundCall {
  /** The patient's number (E.164). */
  to: string;
  /** Absolute URL the provider asks for the call's first document once it is answered. */
  answerUrl: string;
  /** Absolute URL the provider reports the call's progress and end to. */
  statusUrl: string;
}

/** How long the phone rings, and the longest a reminder call may last (so a placed call always ends and reports). */
export const RING_SECONDS = 30;
export const TIME_LIMIT_SECONDS = 300;

export type PlaceResult =
  | { kind: "placed"; callId: string }
  /** The provider answered and refused: no call exists. `retryable`: it may take it later (429). */
  | { kind: "refused"; retryable: boolean; message: string; httpStatus?: number }
  /** No clear answer (network error, timeout, a 5xx): a call may exist, and its callbacks will say so. */
  | { kind: "unknown"; message: string };

export type PlaceCall = (call: OutboundCall, options: { timeoutMs: number }) => Promise<PlaceResult>;

/** A provider's answer to a call request, classified the same way for every provider. */
export async function classify(
  posted: { ok: true; response: Response } | { ok: false; message: string },
  callIdOf: (payload: Record<string, unknown>) => unknown,
): Promise<PlaceResult> {
  if (!posted.ok) return { kind: "unknown", message: posted.message };
  const { response } = posted;
  let payload: Record<string, unknown> = {};
  try {
    payload = (await response.json()) as Record<string, unknown>;
  } catch {
    // Gateways answer outages with HTML; the status code still says what happened.
  }
  const callId = callIdOf(payload);
  if (response.ok && typeof callId === "string" && callId) return { kind: "placed", callId };
  const message = String(payload.message ?? payload.error ?? `HTTP ${response.status}`).slice(0, 300);
  // A 5xx may come after the call was made: only its callbacks can tell, so it is not "refused".
  if (response.status >= 500 || response.ok) return { kind: "unknown", message };
  return { kind: "refused", retryable: response.status === 429, message, httpStatus: response.status };
}
