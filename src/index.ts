/**
 * The clinic booking line: a Worker answering Twilio's voice webhooks (and, later, SMS),
 * with one DoctorDay Durable Object per doctor and date owning that day's slots.
 */
import { Hono } from "hono";
import { readConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { voice } from "./routes/voice.ts";

export { DoctorDay } from "./slots/doctor-day.ts";

const app = new Hono<AppEnv>({ strict: false })
  .use("*", async (c, next) => {
    c.set("config", readConfig(c.env));
    await next();
  })
  .get("/", (c) => c.text("Clinic booking line. Point a Twilio number's Voice URL at POST /api/ivr/welcome/.\n"))
  .get("/health", (c) => c.json({ ok: true }))
  .route("/api/ivr", voice)
  .notFound((c) => c.text("Not Found", 404))
  .onError((error, c) => {
    // Routes that answer Twilio catch their own faults; this is the last net for the rest.
    console.error(`unhandled error on ${c.req.method} ${new URL(c.req.url).pathname}:`, error);
    return c.text("Service temporarily unavailable", 503);
  });

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
