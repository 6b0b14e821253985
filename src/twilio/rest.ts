/**
 * Twilio's REST API over fetch (the official SDK does not run in workerd).
 * Only what the line needs: sending an SMS, with errors classified so callers can
 * decide between retrying and giving up.
 */

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  /** https://api.twilio.com, or a fake in tests and local runs. */
  apiBaseUrl: string;
}

export interface OutgoingSms {
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
}

export type SendResult =
  | { ok: true; sid: string; status: string }
  | {
      ok: false;
      /** Worth trying again later (network, timeout, 5xx, 429), or final (bad number, unsubscribed...). */
      retryable: boolean;
      httpStatus?: number;
      errorCode?: number;
      message: string;
    };

/** Twilio error codes that will fail the same way however often they are retried. */
const PERMANENT_ERROR_CODES = new Set([
  21211, 21408, 21610, 21612, 21614, 21606, 21617, 21660, 30003, 30004, 30005, 30006,
]);

export function isRetryable(httpStatus: number | undefined, errorCode: number | undefined): boolean {
  if (errorCode !== undefined && PERMANENT_ERROR_CODES.has(errorCode)) return false;
  if (httpStatus === undefined) return true; // no answer: network error or timeout
  return httpStatus === 429 || httpStatus >= 500;
}

/**
 * Whether Basic credentials may be sent to this API base: https anywhere, plain http only to
 * this machine (a local fake). Anything else would put the account's password on the wire.
 */
export function isSafeApiBase(apiBaseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(apiBaseUrl);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:") return false;
  const host = url.hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * POSTs a form with a time limit; never throws. No answer at all (network error, timeout) is
 * the caller's to retry. Shared by the SMS providers (Twilio here, Exotel in src/sms/providers).
 */
export async function postForm(
  url: string,
  authorization: string,
  form: URLSearchParams,
  timeoutMs: number,
): Promise<{ ok: true; response: Response } | { ok: false; message: string }> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        Authorization: authorization,
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: form.toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { ok: true, response };
  } catch (error) {
    const name = error instanceof Error ? error.name : "error";
    const timedOut = name === "TimeoutError" || name === "AbortError";
    return { ok: false, message: timedOut ? "timed out" : `network error (${name})` };
  }
}

/** POST /2010-04-01/Accounts/{sid}/Messages.json. Never throws: every outcome is a SendResult. */
export async function sendSms(
  credentials: TwilioCredentials,
  sms: OutgoingSms,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<SendResult> {
  if (!isSafeApiBase(credentials.apiBaseUrl)) {
    // A configuration error, not Twilio's: retryable, so the SMS waits until it is fixed.
    return {
      ok: false,
      retryable: true,
      message: "refused: TWILIO_API_BASE_URL must be https (http only to loopback)",
    };
  }
  const url = `${credentials.apiBaseUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(
    credentials.accountSid,
  )}/Messages.json`;
  const form = new URLSearchParams({ To: sms.to, From: sms.from, Body: sms.body });
  if (sms.statusCallback) form.set("StatusCallback", sms.statusCallback);

  const posted = await postForm(url, basicAuth(credentials.accountSid, credentials.authToken), form, timeoutMs);
  if (!posted.ok) return { ok: false, retryable: true, message: posted.message };
  const response = posted.response;

  let payload: { sid?: unknown; status?: unknown; code?: unknown; message?: unknown } = {};
  try {
    payload = (await response.json()) as typeof payload;
  } catch {
    // Proxies and outages answer with HTML; the status code still tells what happened.
  }
  if (response.ok && typeof payload.sid === "string") {
    return { ok: true, sid: payload.sid, status: typeof payload.status === "string" ? payload.status : "queued" };
  }
  const errorCode = typeof payload.code === "number" ? payload.code : undefined;
  return {
    ok: false,
    retryable: isRetryable(response.status, errorCode),
    httpStatus: response.status,
    ...(errorCode !== undefined ? { errorCode } : {}),
    message: typeof payload.message === "string" ? payload.message : `HTTP ${response.status}`,
  };
}
