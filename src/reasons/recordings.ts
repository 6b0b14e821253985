/**
 * A recorded reason's audio, wherever the call was answered: a stored reference is a Twilio
 * recording SID ("RE…") or a Plivo recording id ("plivo:…"); each goes to its own provider's
 * API with that account's credentials.
 */
import type { Config } from "../config.ts";
import { deletePlivoRecording, fetchPlivoRecording, PLIVO_RECORDING_PREFIX } from "../providers/plivo-recordings.ts";
import { deleteRecording, fetchRecordingAudio, type RecordingFetch } from "../twilio/recordings.ts";

const isPlivo = (ref: string) => ref.startsWith(PLIVO_RECORDING_PREFIX);

function twilioCredentials(config: Config) {
  return { accountSid: config.accountSid, authToken: config.authToken, apiBaseUrl: config.apiBaseUrl };
}

function plivoCredentials(config: Config) {
  const { authId, authToken, apiBaseUrl } = config.providers.plivo;
  return { authId, authToken, apiBaseUrl };
}

/** Whether the line holds the credentials this recording's provider needs. */
export function canReachRecording(config: Config, ref: string): boolean {
  return isPlivo(ref)
    ? Boolean(config.providers.plivo.authId && config.providers.plivo.authToken)
    : Boolean(config.accountSid && config.authToken);
}

export function fetchReasonAudio(config: Config, ref: string): Promise<RecordingFetch> {
  const options = { timeoutMs: config.twilioTimeoutMs };
  return isPlivo(ref)
    ? fetchPlivoRecording(plivoCredentials(config), ref, options)
    : fetchRecordingAudio(twilioCredentials(config), ref, options);
}

export function deleteReasonAudio(config: Config, ref: string): Promise<boolean> {
  const options = { timeoutMs: config.twilioTimeoutMs };
  return isPlivo(ref)
    ? deletePlivoRecording(plivoCredentials(config), ref, options)
    : deleteRecording(twilioCredentials(config), ref, options);
}
