/**
 * Twilio: the line's first provider, as it always was. Paths under /api/ivr (the seed system's,
 * so an existing number's Voice URL points here unchanged), TwiML with relative URLs, every
 * request signed with X-Twilio-Signature (middleware/twilio-webhook.ts).
 */
import type { HeardSpeech } from "../ivr/speech.ts";
import { twilioWebhook } from "../middleware/twilio-webhook.ts";
import { callHasEnded } from "../slots/call-holds.ts";
import { twimlResponse } from "../twilio/twiml.ts";
import { RECORDING_SID } from "../twilio/recordings.ts";
import type { RecordingProvider } from "./provider.ts";

/** Twilio's SpeechResult and Confidence, when the caller spoke at a Gather that listens. */
function heardSpeech(params: Record<string, string>): HeardSpeech | undefined {
  const text = params.SpeechResult?.trim();
  if (!text) return undefined;
  const confidence = Number(params.Confidence);
  return params.Confidence && Number.isFinite(confidence) ? { text, confidence } : { text };
}

export const twilio: RecordingProvider = {
  name: "twilio",
  prefix: "/api/ivr",
  methods: ["POST"],
  guard: twilioWebhook,
  read(c) {
    const { params } = c.var;
    const speech = heardSpeech(params);
    // On a call the line placed (Direction outbound-api), To is the patient.
    const outbound = (params.Direction ?? "").startsWith("outbound");
    const answeredBy = params.AnsweredBy ?? "";
    return {
      callId: params.CallSid,
      from: outbound ? params.To : params.From,
      to: outbound ? params.From : params.To,
      ...(answeredBy.startsWith("machine") || answeredBy === "fax" ? { machine: true } : {}),
      digits: params.Digits,
      ...(speech ? { speech } : {}),
      ...(params.CallStatus ? { callStatus: params.CallStatus } : {}),
      ...(params.DialCallStatus ? { dialStatus: params.DialCallStatus } : {}),
      state: new URL(c.req.url).searchParams,
    };
  },
  readReason(c) {
    const { params } = c.var;
    const seconds = Number(params.RecordingDuration ?? 0);
    const sid = params.RecordingSid ?? "";
    // "absent" (nothing said) and anything malformed: nothing to keep.
    const kept = params.RecordingStatus === "completed" && RECORDING_SID.test(sid) && seconds > 0;
    return {
      callId: params.CallSid,
      speech: params.SpeechResult?.trim() ?? "",
      digits: params.Digits,
      recordingSeconds: Number(params.RecordingDuration ?? 0) || 0,
      recording: kept ? { ref: sid, seconds: Math.round(seconds) } : null,
    };
  },
  // Twilio resolves relative URLs against the request's: the flow's paths go out as they are.
  render: async (verbs) => twimlResponse(verbs),
  ended: callHasEnded,
  hearsSpeech: true,
  records: true,
};
