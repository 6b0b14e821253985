/**
 * The status callback of a call the line placed (src/calls): POST {prefix}/outbound-status/?o=ROW&n=CALL,
 * authenticated by the provider's guard like every webhook (Twilio's and Plivo's signatures;
 * Exotel's URL signed by the line). It names the outbox row and which of its calls this is, so a
 * replay, a stale call's report or a row that does not exist changes nothing (and is answered
 * with an empty document, as providers expect).
 */
import type { Context } from "hono";
import { callEvent } from "../calls/outbox.ts";
import { callById } from "../stores/call-outbox.ts";
import type { AppEnv } from "../context.ts";
import { log } from "../log.ts";
import type { VoiceProvider } from "../providers/provider.ts";

export function outboundStatus(provider: VoiceProvider) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const input = provider.read(c);
    const row = input.state.get("o") ?? "";
    const attempt = input.state.get("n") ?? "";
    if (/^[1-9]\d{0,8}$/.test(row) && /^[1-9]$/.test(attempt)) {
      const { db } = c.var;
      try {
        const found = await callById(db, Number(row));
        if (found) {
          const ctx = { db, config: c.var.config, jobs: c.env.JOBS };
          const event = { ended: provider.ended(input.callStatus), ...(input.machine ? { machine: true } : {}) };
          await callEvent(ctx, found, Number(attempt), event, new Date());
        }
      } catch (error) {
        // The watchdog settles a call whose report was lost; a 500 would only make the provider retry.
        log.error("outbound call status not recorded", { row, status: input.callStatus, error });
      }
    }
    return provider.render([], c);
  };
}
