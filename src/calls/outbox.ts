/**
 * Durable outbound calls. A row is written (call_outbox, one per appointment and purpose) when a
 * call becomes due; the cron places due rows; the provider's callbacks (authenticated as every
 * webhook of that provider) and the answered call's keys settle them.
 *
 * Exactly once: a placer claims the row (pending -> placing, one conditional UPDATE) before
 * asking the provider. If the provider says no, the row waits with backoff (429) or gives up;
 * if no clear answer comes (a timeout, a 5xx: the call may exist), the row stays claimed for
 * CLAIM_MS, longer than a placed call can ring and last, and the call's own callbacks (which name
 * the row and the attempt) move it on meanwhile; only a claim that lapses with no word from the
 * provider is placed again. So an outage delays a call and never doubles it.
 *
 * No answer, busy, a machine: one retry `retryMinutes` later while calling hours last, then the
 * purpose's fallback (the reminder's: the evening SMS). A ringing call whose end is never
 * reported is settled by a watchdog as its record says.
 */
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { log, maskPhone } from "../log.ts";
import { exotelCalls } from "../providers/exotel-calls.ts";
import { signedUrl } from "../providers/exotel-urls.ts";
import { RING_SECONDS, TIME_LIMIT_SECONDS, type PlaceCall, type PlaceResult } from "../providers/outbound.ts";
import { plivoCalls } from "../providers/plivo-calls.ts";
import { twilioCalls } from "../providers/twilio-calls.ts";
import { enqueueSms, type Job } from "../jobs/queue.ts";
import { backoffSeconds } from "../sms/outbox.ts";
import { reminderFallback } from "./reminder-calls.ts";
import { claimCall, dueCalls, LIVE, moveCall, moveCallStatement, type CallRow } from "../stores/call-outbox.ts";

/** Longer than a placed call can ring and last (plus the provider's delay): by then it has reported. */
export const CLAIM_MS = 10 * 60_000;
/** A ringing call whose end never came is settled after this. */
export const WATCHDOG_MS = 15 * 60_000;
export const MAX_CALLS = 2;
export const MAX_API_ATTEMPTS = 6;
/** Rows placed per cron run: a clinic's evening is a few hundred at most, one a minute each is plenty. */
const PER_RUN = 25;

export interface CallContext {
  db: Db;
  config: Config;
  jobs: Queue<Job>;
}

/** Where the provider's requests for a row go: the answered call's first step and the status callback. */
export const OUTBOUND_PATHS = { answer: "/outbound/", status: "/outbound-status/" } as const;
const PREFIX = { twilio: "/api/ivr", log: "/api/ivr", plivo: "/api/plivo", exotel: "/api/exotel" } as const;

interface Placer {
  name: Config["calls"]["provider"];
  place: PlaceCall;
}

function placerFor(config: Config): Placer | { problem: string } {
  const { calls } = config;
  switch (calls.provider) {
    case "log":
      // Local runs: the call is "placed" nowhere; `npm run call -- --answer` answers it as Twilio would.
      return {
        name: "log",
        place: async () => ({ kind: "placed", callId: `LOG${crypto.randomUUID().replaceAll("-", "")}` }),
      };
    case "twilio":
      if (!config.accountSid || !config.authToken || !config.phoneNumber)
        return { problem: "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER are needed to place calls" };
      return { name: "twilio", place: twilioCalls(config) };
    case "plivo":
      if (!calls.plivo.authId || !calls.plivo.authToken || !calls.plivo.callerId)
        return { problem: "PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN and PLIVO_CALLER_ID are needed to place calls" };
      return { name: "plivo", place: plivoCalls(calls.plivo) };
    case "exotel": {
      const { apiKey, apiToken, accountSid, apiBaseUrl } = config.sms.exotel;
      if (!apiKey || !apiToken || !accountSid || !calls.exotel.callerId || !calls.exotel.flowUrl)
        return {
          problem: "EXOTEL_API_KEY, _TOKEN, _ACCOUNT_SID, EXOTEL_CALLER_ID and EXOTEL_CALL_FLOW_URL are needed",
        };
      return { name: "exotel", place: exotelCalls({ apiKey, apiToken, accountSid, apiBaseUrl, ...calls.exotel }) };
    }
  }
}

/** The absolute answer and status URLs of a row's `attempt`-th call, as its provider must be given them. */
async function urlsFor(config: Config, placer: Placer["name"], row: CallRow, attempt: number, now: Date) {
  const origin = config.publicBaseUrl.replace(/\/+$/, "");
  const query = `?o=${row.id}&n=${attempt}&lang=${row.language}`;
  const prefix = PREFIX[placer];
  if (placer !== "exotel")
    return {
      answerUrl: `${origin}${prefix}${OUTBOUND_PATHS.answer}${query}`,
      statusUrl: `${origin}${prefix}${OUTBOUND_PATHS.status}${query}`,
    };
  // Exotel signs nothing: the status URL is the line's own signed URL (no call id yet: c is empty).
  const { urlSecret } = config.providers.exotel;
  const status = await signedUrl(
    urlSecret,
    `${prefix}${OUTBOUND_PATHS.status}${query}`,
    { id: "", from: undefined },
    now,
    3600,
  );
  return { answerUrl: config.calls.exotel.flowUrl, statusUrl: origin + status };
}

/** One cron run: every due row moved on (placed, retried, settled or given up). */
export async function placeDueCalls(ctx: CallContext, now: Date): Promise<{ placed: number[] }> {
  const rows = await dueCalls(ctx.db, now, PER_RUN);
  const placed: number[] = [];
  for (const row of rows) {
    try {
      if (await advance(ctx, row, now)) placed.push(row.id);
    } catch (error) {
      // The row stays as it was (or claimed until its claim lapses): the next run tries again.
      log.error("outbound call step failed", { callId: row.id, error });
    }
  }
  return { placed };
}

/** Whether the row is still worth calling about: its appointment booked and ahead, and the patient not opted out. */
async function stillWanted(ctx: CallContext, row: CallRow, now: Date): Promise<"call" | "drop" | "give-up"> {
  const found = await ctx.db.$client
    .prepare(
      `SELECT a.status AS status, a.starts_at AS startsAt, p.reminder_calls_off_at AS off
         FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE a.id = ?1`,
    )
    .bind(row.appointmentId)
    .first<{ status: string; startsAt: string; off: string | null }>();
  if (!found || found.status !== "booked" || new Date(found.startsAt) <= now) return "drop";
  // Pressed 9 on an earlier call: the SMS reminds instead.
  if (row.purpose === "reminder" && found.off) return "give-up";
  return now < new Date(row.notAfter) ? "call" : "give-up";
}

/** Moves one due row on; true when a call was placed. */
async function advance(ctx: CallContext, row: CallRow, now: Date): Promise<boolean> {
  // A ringing call whose end never came: settled as its record says.
  if (row.status === "ringing") {
    await settle(ctx, row, { machine: false }, now);
    return false;
  }
  const wanted = await stillWanted(ctx, row, now);
  if (wanted === "drop") {
    await moveCall(ctx.db, row, LIVE, { status: "cancelled", nextAttemptAt: null }, now);
    return false;
  }
  if (wanted === "give-up") {
    await giveUp(ctx, row, "failed", "no call could be placed within calling hours", now);
    return false;
  }
  const placer = placerFor(ctx.config);
  // A log call is answered locally by `npm run call -- --answer`, which knows the line's address.
  if ("problem" in placer || (!ctx.config.publicBaseUrl && placer.name !== "log")) {
    // A configuration the operator must fix: the row waits, untouched, and the log says why.
    log.error("reminder calls not placed: configuration error", {
      problem: "problem" in placer ? placer.problem : "PUBLIC_BASE_URL is needed for the provider's callbacks",
    });
    return false;
  }
  const claimed = await claimCall(ctx.db, row, now, new Date(now.getTime() + CLAIM_MS));
  if (!claimed) return false;
  const attempt = claimed.calls + 1;
  const result: PlaceResult = await placer
    .place(
      { to: claimed.toNumber, ...(await urlsFor(ctx.config, placer.name, claimed, attempt, now)) },
      { timeoutMs: ctx.config.twilioTimeoutMs },
    )
    .catch((error: unknown) => ({ kind: "unknown", message: error instanceof Error ? error.name : "error" }) as const);
  switch (result.kind) {
    case "placed":
      // Its callbacks may have moved it to ringing already: then this changes nothing.
      await moveCall(
        ctx.db,
        claimed,
        ["placing"],
        {
          status: "ringing",
          calls: attempt,
          provider: placer.name,
          providerCallId: result.callId,
          nextAttemptAt: new Date(now.getTime() + WATCHDOG_MS).toISOString(),
          lastError: null,
        },
        now,
      );
      log.info("outbound call placed", {
        callId: claimed.id,
        purpose: claimed.purpose,
        attempt,
        to: maskPhone(claimed.toNumber),
      });
      return true;
    case "unknown":
      // The call may exist: the claim stands until it lapses, and the call's callbacks decide.
      await moveCall(ctx.db, claimed, ["placing"], { lastError: result.message.slice(0, 300) }, now);
      log.warn("outbound call: no clear answer from the provider", { callId: claimed.id, problem: result.message });
      return false;
    case "refused": {
      const giveUpNow = !result.retryable || claimed.apiAttempts >= MAX_API_ATTEMPTS;
      if (giveUpNow) await giveUp(ctx, claimed, "failed", result.message, now);
      else {
        const at = new Date(now.getTime() + backoffSeconds(claimed.apiAttempts) * 1000);
        await moveCall(
          ctx.db,
          claimed,
          ["placing"],
          { status: "pending", nextAttemptAt: at.toISOString(), lastError: result.message.slice(0, 300) },
          now,
        );
      }
      log.warn("outbound call refused by the provider", {
        callId: claimed.id,
        httpStatus: result.httpStatus,
        problem: result.message,
      });
      return false;
    }
  }
}

/** The row's final failure, with its purpose's fallback in the same batch (the SMS queued after it commits). */
async function giveUp(ctx: CallContext, row: CallRow, status: "failed" | "unanswered", why: string, now: Date) {
  // Written only if this batch's own transition landed (the row as it just left it), so a callback
  // racing the watchdog, or an answer that settled it first, never adds a text.
  const settled = {
    sql: "EXISTS (SELECT 1 FROM call_outbox WHERE id = ?4 AND status = ?5 AND updated_at = ?6)",
    params: [row.id, status, now.toISOString()],
  };
  const fallback =
    row.purpose === "reminder"
      ? await reminderFallback(ctx.db, ctx.config, row, crypto.randomUUID(), now, settled)
      : [];
  const d1 = ctx.db.$client;
  const results = await d1.batch<{ id: number }>([
    moveCallStatement(d1, row, LIVE, status, why.slice(0, 300), now),
    ...fallback,
  ]);
  const smsIds = fallback.length > 0 ? (results.at(-1)?.results ?? []).map((r) => r.id) : [];
  try {
    await enqueueSms(ctx.jobs, smsIds);
  } catch (error) {
    log.error("queueing the fallback SMS failed; the sweep will send it", { error });
  }
}

/**
 * A call's end: answered (a person heard it: the answer step ran and no machine was reported),
 * or not, then one retry while calling hours last, else the fallback.
 */
async function settle(ctx: CallContext, row: CallRow, end: { machine: boolean }, now: Date): Promise<void> {
  if (row.answeredAt && !end.machine) {
    await moveCall(ctx.db, row, ["ringing"], { status: "answered", nextAttemptAt: null }, now);
    return;
  }
  const retryAt = new Date(now.getTime() + ctx.config.calls.retryMinutes * 60_000);
  if (row.calls < MAX_CALLS && retryAt < new Date(row.notAfter)) {
    await moveCall(
      ctx.db,
      row,
      ["ringing"],
      { status: "pending", nextAttemptAt: retryAt.toISOString(), answeredAt: null, providerCallId: null },
      now,
    );
    return;
  }
  await giveUp(ctx, row, "unanswered", end.machine ? "a machine answered" : "not answered", now);
}

/**
 * The provider's word on the `attempt`-th call of a row: it exists (a ringing or answered event,
 * the answer request), or it ended. A stale attempt, a settled row, a replay: nothing changes.
 */
export async function callEvent(
  ctx: CallContext,
  row: CallRow,
  attempt: number,
  event: { ended: boolean; machine?: boolean; answered?: boolean },
  now: Date,
): Promise<CallRow | null> {
  const current = row.status === "placing" ? row.calls + 1 : row.calls;
  if ((row.status !== "placing" && row.status !== "ringing") || attempt !== current) return null;
  let live: CallRow | undefined = row;
  if (row.status === "placing")
    live = await moveCall(
      ctx.db,
      row,
      ["placing"],
      { status: "ringing", calls: attempt, nextAttemptAt: new Date(now.getTime() + WATCHDOG_MS).toISOString() },
      now,
    );
  if (live && event.answered && !event.machine && !live.answeredAt)
    live = await moveCall(ctx.db, live, ["ringing"], { answeredAt: now.toISOString() }, now);
  if (live && event.ended) await settle(ctx, live, { machine: Boolean(event.machine) }, now);
  return live ?? null;
}

/** Never more than this long: a reminder call's ring and talk, as the provider adapters ask for them. */
export const LONGEST_CALL_SECONDS = RING_SECONDS + TIME_LIMIT_SECONDS;
