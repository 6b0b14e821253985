/**
 * The clinic booking line: a Worker answering Twilio's voice and SMS webhooks, with one
 * DoctorDay Durable Object per doctor and date owning that day's slots, and a job queue
 * (produced and consumed here) delivering every outbound text from the D1 outbox, and the slower work after an answer.
 */
import { Hono } from "hono";
import { noStore } from "./auth/no-store.ts";
import { readConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { database } from "./db/client.ts";
import { log } from "./log.ts";
import { answerFault } from "./middleware/fault.ts";
import { requestServices } from "./middleware/request-services.ts";
import { enforceRetention } from "./retention.ts";
import { plivoReasons, reasons } from "./routes/reasons.ts";
import { sms } from "./routes/sms.ts";
import { smsExotel } from "./routes/sms-exotel.ts";
import { deskApi } from "./routes/desk-api.ts";
import { desk } from "./routes/desk/index.tsx";
import { me } from "./routes/me.tsx";
import { exotelVoice, plivoVoice, voice } from "./routes/voice.ts";
import { CLIP_PATH, clipResponse } from "./prompts/store.ts";
import { consumeJobs } from "./jobs/consumer.ts";
import { sweepOutbox } from "./sms/outbox.ts";
import { enqueueJobs, type Job } from "./jobs/queue.ts";
import { reportSmsMisconfiguration } from "./sms/transport.ts";
import { reconcileSlots } from "./booking/reconcile.ts";
import { runReminders } from "./reminders/send.ts";
import { runReminderCalls } from "./calls/run.ts";
import { envFor, envPerDatabase } from "./db/shards.ts";
import { parseLatencyModel, probedEnv, probeTotals, RoundTripProbe } from "./round-trips.ts";
import { sweepLostTranscriptions } from "./reasons/jobs.ts";
import { purgeExpiredHealthData } from "./reasons/retention.ts";
import { backgroundService, waitlistCron } from "./waitlist/background.ts";

export { DoctorDay } from "./slots/doctor-day.ts";

export const app = new Hono<AppEnv>({ strict: false })
  .use("*", async (c, next) => {
    const config = readConfig(c.env);
    reportSmsMisconfiguration(config);
    c.set("config", config);
    await next();
  })
  .use("*", requestServices)
  .get("/", (c) =>
    c.text(
      "Clinic booking line. Point a Twilio number's Voice URL at POST /api/ivr/welcome/ and its messaging webhook at POST /api/sms/incoming/. Clinic staff: /desk. Patients: /me.\n",
    ),
  )
  .get("/health", (c) => c.json({ ok: true }))
  // Recorded prompts, fetched by the phone provider's play verb.
  .get(`${CLIP_PATH}:lang/:file{.+}`, (c) => clipResponse(c.env.PROMPTS, c.req.param("lang"), c.req.param("file")))
  // Before voice: its catch-all webhook guard would otherwise check these requests a second time.
  .route("/api/ivr", reasons)
  .route("/api/ivr", voice)
  // Before sms: Exotel's reports carry a signed URL, not Twilio's signature.
  .route("/api/sms", smsExotel)
  .route("/api/plivo", plivoReasons)
  .route("/api/plivo", plivoVoice)
  .route("/api/exotel", exotelVoice)
  .route("/api/sms", sms)
  .use("/api/desk/*", noStore)
  .route("/api/desk", deskApi)
  .route("/desk", desk)
  .route("/me", me)
  .notFound((c) => c.text("Not Found", 404))
  .onError(answerFault);

/** The app, or with ROUND_TRIP_PROBE=on (benchmark and tests only) the app with its round trips counted. */
async function fetchWithProbe(request: Request, sharedEnv: Env, ctx: ExecutionContext): Promise<Response> {
  const env = envFor(sharedEnv);
  if (env.ROUND_TRIP_PROBE !== "on") return app.fetch(request, env, ctx);
  // What the isolate has counted so far: the benchmark's cost of a booking is a difference of these.
  if (new URL(request.url).pathname === "/__probe/totals") return Response.json(probeTotals);
  probeTotals.requests++;
  const probe = new RoundTripProbe(parseLatencyModel(env.LATENCY_MODEL));
  const response = await app.fetch(request, probedEnv(env, probe), ctx);
  const headers = new Headers(response.headers);
  headers.set("X-Round-Trips", JSON.stringify(probe.close()));
  return new Response(response.body, { status: response.status, headers });
}

export default {
  fetch: fetchWithProbe,
  queue: (batch, env, _ctx: ExecutionContext) =>
    consumeJobs(batch as MessageBatch<Job>, counted(envFor(env), "queueBatches")),
  async scheduled(_controller, sharedEnv, ctx: ExecutionContext) {
    await Promise.all(envPerDatabase(sharedEnv).map((env) => cronRun(counted(env, "cronRuns"), ctx)));
  },
} satisfies ExportedHandler<Env, Job>;

/** With the probe on, a queue batch's or cron run's binding calls and rows go to the isolate's totals. */
function counted(env: Env, invocation: "queueBatches" | "cronRuns"): Env {
  if (env.ROUND_TRIP_PROBE !== "on") return env;
  probeTotals[invocation]++;
  return probedEnv(env, new RoundTripProbe());
}

/** One cron run over one database. */
async function cronRun(env: Env, ctx: ExecutionContext): Promise<void> {
  const db = database(env.DB);
  const now = new Date();
  const config = readConfig(env);
  ctx.waitUntil(runReminders(db, env.JOBS as Queue<Job>, config, now));
  const reconciled = reconcileSlots(db, env.DOCTOR_DAY, config, now);
  // Independent jobs: one failing must not stop the others.
  const [sweep, reconcile, retention, healthData, transcriptions, calls, waitlist] = await Promise.allSettled([
    sweepOutbox(db, env.JOBS as Queue<Job>, now),
    reconciled,
    enforceRetention(db, config, now),
    purgeExpiredHealthData(db, config, now),
    sweepLostTranscriptions(db, (jobs) => enqueueJobs(env.JOBS as Queue<Job>, jobs), now),
    runReminderCalls({ db, config, jobs: env.JOBS as Queue<Job> }, now),
    // Lapsed waitlist offers go to the next in line; the reconcile's freed times follow it.
    reconciled.then(
      (summary) => waitlistCron(backgroundService(env, db, config, now), summary.freedTimes),
      () => waitlistCron(backgroundService(env, db, config, now), []),
    ),
  ]);
  if (sweep.status === "fulfilled" && sweep.value.length) {
    log.info("sms sweep re-queued rows", { count: sweep.value.length });
  }
  if (sweep.status === "rejected") log.error("sms sweep failed", { error: sweep.reason });
  if (reconcile.status === "fulfilled" && reconcile.value.marked + reconcile.value.freed > 0) {
    log.warn("reconcile repaired slots", { marked: reconcile.value.marked, freed: reconcile.value.freed });
  }
  if (reconcile.status === "rejected") log.error("reconcile failed", { error: reconcile.reason });
  if (retention.status === "rejected") log.error("retention failed", { error: retention.reason });
  if (healthData.status === "fulfilled" && Object.values(healthData.value).some((n) => n > 0))
    log.info("health data past retention deleted", { counts: healthData.value });
  if (healthData.status === "rejected") log.error("health data retention failed", { error: healthData.reason });
  if (transcriptions.status === "rejected") log.error("transcription sweep failed", { error: transcriptions.reason });
  if (calls.status === "rejected")
    log.error("reminder calls failed (the next run tries again)", { error: calls.reason });
  if (waitlist.status === "rejected") log.error("waitlist pass failed", { error: waitlist.reason });
}
