/**
 * A provider's call status callback (Twilio's "Call status changes" URL, POST
 * /api/ivr/status/; Plivo's hangup URL /api/plivo/status/; Exotel's /api/exotel/status/):
 * when a call ends, every time it still holds is free for the next caller at once.
 * Authenticated like every webhook of its provider (the router's guard runs first).
 */
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { log } from "../log.ts";
import type { VoiceProvider } from "../providers/provider.ts";
import { releaseCallHolds } from "../slots/call-holds.ts";

export function callStatus(provider: VoiceProvider) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const { callId, callStatus: status } = provider.read(c);
    if (callId && provider.ended(status)) {
      try {
        await releaseCallHolds(c.var.db, c.env.DOCTOR_DAY, callId);
      } catch (error) {
        // The holds lapse by themselves; answering 500 would only make the provider log an error.
        log.error("call ended; its holds lapse by expiry", { callSid: callId, status, error });
      }
    }
    // Providers ignore the body of a status callback; an empty document is valid for each.
    return provider.render([], c);
  };
}
