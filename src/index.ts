/**
 * The clinic booking line: a Worker answering Twilio's voice and SMS webhooks, with one
 * DoctorDay Durable Object per doctor and date owning that day's slots, and an SMS queue
 * (produced and consumed here) delivering every outbound text from the D1 outbox.
 */
import { Hono } from "hono";
import { readConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { database } from "./db/client.ts";
import { sms } from "./routes/sms.ts";
import { deskApi } from "./routes/desk-api.ts";
import { desk } from "./routes/desk/index.tsx";
import { me } from "./routes/me.tsx";
import { voice } from "./routes/voice.ts";
import { consumeSmsBatch } from "./sms/consumer.ts";
import { sweepOutbox, type SmsJob } from "./sms/outbox.ts";
import { reconcileSlots } from "./booking/reconcile.ts";

export { DoctorDay } from "./slots/doctor-day.ts";

export const app = new Hono<AppEnv>({ strict: false })
  .use("*", async (c, next) => {
    c.set("config", readConfig(c.env));
    await next();
  })
  .get("/", (c) =>
    c.text(
      "Clinic booking line. Point a Twilio number's Voice URL at POST /api/ivr/welcome/ and its messaging webhook at POST /api/sms/incoming/. Clinic staff: /desk. Patients: /me.\n",
    ),
  )
  .get("/health", (c) => c.json({ ok: true }))
  .route("/api/ivr", voice)
  .route("/api/sms", sms)
  .route("/api/desk", deskApi)
  .route("/desk", desk)
  .route("/me", me)
  .notFound((c) => c.text("Not Found", 404))
  .onError((error, c) => {
    // Routes that answer Twilio catch their own faults; this is the last net for the rest.
    console.error(`unhandled error on ${c.req.method} ${new URL(c.req.url).pathname}:`, error);
    return c.text("Service temporarily unavailable", 503);
  });

export default {
  fetch: app.fetch,
  queue: (batch, env, _ctx: ExecutionContext) => consumeSmsBatch(batch as MessageBatch<SmsJob>, env),
  async scheduled(_controller, env, _ctx: ExecutionContext) {
    const db = database(env.DB);
    const now = new Date();
    // Independent jobs: one failing must not stop the other.
    const [sweep, reconcile] = await Promise.allSettled([
      sweepOutbox(db, env.SMS_QUEUE as Queue<SmsJob>, now),
      reconcileSlots(db, env.DOCTOR_DAY, readConfig(env), now),
    ]);
    if (sweep.status === "fulfilled" && sweep.value.length)
      console.log(`sms sweep re-queued ${sweep.value.length} row(s)`);
    if (sweep.status === "rejected") console.error("sms sweep failed:", sweep.reason);
    if (reconcile.status === "fulfilled" && reconcile.value.marked + reconcile.value.freed > 0)
      console.warn(`reconcile repaired ${reconcile.value.marked + reconcile.value.freed} slot(s)`, reconcile.value);
    if (reconcile.status === "rejected") console.error("reconcile failed:", reconcile.reason);
  },
} satisfies ExportedHandler<Env, SmsJob>;
