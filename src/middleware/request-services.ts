/**
 * Wires one request: the database handle and the booking context, built here once so no
 * route opens the database or assembles the booking service's parts itself. Building either
 * costs no I/O; a route that never touches D1 pays nothing for them.
 */
import { createMiddleware } from "hono/factory";
import { placeCallNow } from "../calls/outbox.ts";
import type { AppEnv } from "../context.ts";
import { database } from "../db/client.ts";
import { log } from "../log.ts";
import { publicUrl } from "./twilio-webhook.ts";

export const requestServices = createMiddleware<AppEnv>(async (c, next) => {
  const db = database(c.env.DB);
  c.set("db", db);
  c.set("bookingContext", (now = new Date()) => {
    const calls = { db, config: c.var.config, jobs: c.env.JOBS };
    return {
      ...calls,
      doctorDays: c.env.DOCTOR_DAY,
      now,
      // The public origin the provider reached us on; SMS delivery reports go back there.
      origin: new URL(publicUrl(c.req.url, c.var.config.publicBaseUrl)).origin,
      // A waitlist offer's call (a caller's 2, the desk's removal) rings at once, but after the
      // answer: the caller on the line must not wait for the provider's API. Should placing fail,
      // the row stays due and the cron's next run places it.
      placeCall: async (id: number) => {
        c.executionCtx.waitUntil(
          placeCallNow(calls, id, now).catch((error: unknown) =>
            log.error("placing the waitlist offer's call failed; the cron will", { callId: id, error }),
          ),
        );
      },
    };
  });
  await next();
});
