/**
 * Twilio's call status callback (the number's "Call status changes" URL, POST
 * /api/ivr/status/): when a call ends, every time it still holds is free for the next caller
 * at once. Signed like every webhook (the voice router checks it before this runs).
 */
import { log } from "../log.ts";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { database } from "../db/client.ts";
import { callHasEnded, releaseCallHolds } from "../slots/call-holds.ts";
import { twimlResponse } from "../twilio/twiml.ts";

export async function callStatus(c: Context<AppEnv>): Promise<Response> {
  const { CallSid: callSid, CallStatus: status } = c.var.params;
  if (callSid && callHasEnded(status)) {
    try {
      await releaseCallHolds(database(c.env.DB), c.env.DOCTOR_DAY, callSid);
    } catch (error) {
      // The holds lapse by themselves; answering 500 would only make Twilio log an error.
      log.error("call ended; its holds lapse by expiry", { callSid, status, error });
    }
  }
  // Twilio ignores the body of a status callback; an empty document is valid TwiML.
  return twimlResponse([]);
}
