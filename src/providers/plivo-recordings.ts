/**
 * Plivo recordings of the reason for a visit, always with the account's credentials: the Worker
 * asks Plivo's REST API for the recording (GET /v1/Account/{auth_id}/Recording/{id}/, whose
 * `recording_url` is the audio), fetches the audio for transcription and for a doctor's player,
 * and deletes the recording when its retention ends. Only the recording's id is stored, as
 * "plivo:<id>"; its URL is never stored or handed to a browser.
 */
import { basicAuth, isSafeApiBase } from "../twilio/rest.ts";
import { getWithin, type RecordingFetch } from "../twilio/recordings.ts";

/** Plivo recording ids are UUIDs. Anything else never reaches a URL. */
const RECORDING_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const PLIVO_RECORDING_PREFIX = "plivo:";

export interface PlivoCredentials {
  authId: string;
  authToken: string;
  apiBaseUrl: string;
}

/** The stored reference of a Plivo recording id; null when it is not one. */
export function plivoRecordingRef(recordingId: string | undefined): string | null {
  return recordingId && RECORDING_ID.test(recordingId) ? `${PLIVO_RECORDING_PREFIX}${recordingId.toLowerCase()}` : null;
}

function idOf(ref: string): string | null {
  const id = ref.startsWith(PLIVO_RECORDING_PREFIX) ? ref.slice(PLIVO_RECORDING_PREFIX.length) : "";
  return RECORDING_ID.test(id) ? id : null;
}

function recordingUrl(credentials: PlivoCredentials, id: string): string {
  return `${credentials.apiBaseUrl.replace(/\/+$/, "")}/v1/Account/${encodeURIComponent(credentials.authId)}/Recording/${id}/`;
}

function usable(credentials: PlivoCredentials): boolean {
  return Boolean(credentials.authId && credentials.authToken) && isSafeApiBase(credentials.apiBaseUrl);
}

/** The recording's audio: its details from the API, then the file they name. Never throws. */
export async function fetchPlivoRecording(
  credentials: PlivoCredentials,
  ref: string,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<RecordingFetch> {
  const id = idOf(ref);
  if (!id) return { ok: false, retryable: false, message: "not a Plivo recording id" };
  if (!usable(credentials)) return { ok: false, retryable: false, message: "no Plivo credentials" };
  const authorization = basicAuth(credentials.authId, credentials.authToken);
  const details = await getWithin(recordingUrl(credentials, id), { Authorization: authorization }, timeoutMs);
  if (!details.ok) return details;
  const body = (await details.audio.json().catch(() => null)) as { recording_url?: unknown } | null;
  const audioUrl = typeof body?.recording_url === "string" ? body.recording_url : "";
  // Plivo's own media host over https only: the credentials go nowhere else.
  if (!/^https:\/\/[a-z0-9.-]*\.plivo\.com\//.test(audioUrl))
    return { ok: false, retryable: false, message: "no recording URL" };
  return getWithin(audioUrl, { Authorization: authorization, Accept: "audio/mpeg" }, timeoutMs);
}

/** DELETE the recording at Plivo. True when it is gone (deleted now, or already). */
export async function deletePlivoRecording(
  credentials: PlivoCredentials,
  ref: string,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<boolean> {
  const id = idOf(ref);
  if (!id) return true; // nothing at Plivo can have this name
  if (!usable(credentials)) return false;
  try {
    const response = await fetch(recordingUrl(credentials, id), {
      method: "DELETE",
      headers: { Authorization: basicAuth(credentials.authId, credentials.authToken) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok || response.status === 404;
  } catch {
    return false;
  }
}
