/**
 * Twilio recordings over the REST API, always with the account's credentials: the Worker
 * fetches the audio for transcription and for a doctor's player, and deletes it when its
 * retention ends. A recording's URL is never handed to a browser or stored; only its SID.
 */
import { basicAuth, isRetryable, type TwilioCredentials } from "./rest.ts";

/** Twilio recording SIDs: "RE" and 32 hex digits. Anything else never reaches a URL. */
export const RECORDING_SID = /^RE[0-9a-f]{32}$/i;

export type RecordingFetch =
  { ok: true; audio: Response } | { ok: false; retryable: boolean; status?: number; message: string };

function recordingUrl(credentials: TwilioCredentials, recordingSid: string, suffix: ".mp3" | ".json"): string {
  return `${credentials.apiBaseUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(
    credentials.accountSid,
  )}/Recordings/${recordingSid}${suffix}`;
}

/** GET the recording's audio (MP3). Never throws; the body is streamed to the caller. */
export async function fetchRecordingAudio(
  credentials: TwilioCredentials,
  recordingSid: string,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<RecordingFetch> {
  if (!RECORDING_SID.test(recordingSid)) return { ok: false, retryable: false, message: "not a recording SID" };
  if (!credentials.accountSid || !credentials.authToken)
    return { ok: false, retryable: false, message: "no Twilio credentials" };
  return getWithin(
    recordingUrl(credentials, recordingSid, ".mp3"),
    { Authorization: basicAuth(credentials.accountSid, credentials.authToken), Accept: "audio/mpeg" },
    timeoutMs,
  );
}

/** A GET with a time limit: the response when it is 2xx, else why not (its body let go of). Never throws. */
export async function getWithin(url: string, headers: HeadersInit, timeoutMs: number): Promise<RecordingFetch> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { ok: false, retryable: true, message: timedOut ? "timed out" : "network error" };
  }
  if (response.ok) return { ok: true, audio: response };
  await response.body?.cancel();
  return {
    ok: false,
    // A recording not yet processed answers 404 for a moment; deleted ones stay 404.
    retryable: isRetryable(response.status, undefined),
    status: response.status,
    message: `HTTP ${response.status}`,
  };
}

/** DELETE the recording at Twilio. True when it is gone (deleted now, or already). */
export async function deleteRecording(
  credentials: TwilioCredentials,
  recordingSid: string,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<boolean> {
  if (!RECORDING_SID.test(recordingSid)) return true; // nothing at Twilio can have this name
  try {
    const response = await fetch(recordingUrl(credentials, recordingSid, ".json"), {
      method: "DELETE",
      headers: { Authorization: basicAuth(credentials.accountSid, credentials.authToken) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok || response.status === 404;
  } catch {
    return false;
  }
}
