/**
 * Twilio's messaging webhooks: the number's incoming-message URL, and the delivery status
 * callbacks our outbound SMS ask for. Both are signature-validated like the voice routes.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { asPatientAppointments, upcomingForPhoneStatement, type PatientAppointment } from "../booking/cancel.ts";
import { BookingService, type CancelResult } from "../booking/service.ts";
import { smsSlotWords } from "../booking/words.ts";
import type { AppEnv } from "../context.ts";
import { database } from "../db/client.ts";
import { smsInbound } from "../db/schema.ts";
import { prompts, type Catalogue } from "../ivr/prompts.ts";
import { log } from "../log.ts";
import { publicUrl, twilioWebhook } from "../middleware/twilio-webhook.ts";
import { normalizePhone } from "../patients/phone.ts";
import { parseSmsCommand } from "../sms/commands.ts";
import { recordDeliveryStatus } from "../sms/outbox.ts";
import { replyCheck } from "../sms/reply-policy.ts";
import { twimlResponse } from "../twilio/twiml.ts";

export const sms = new Hono<AppEnv>({ strict: false });

/** Longest SMS Twilio delivers (10 segments); longer text is not from Twilio. */
const MAX_SMS_CHARS = 1600;
/** E.164 is 16 characters; alphanumeric sender IDs 11. */
const MAX_ADDRESS_CHARS = 32;
const MAX_SID_CHARS = 64;

sms.use("*", twilioWebhook);

function describe(words: Catalogue, a: PatientAppointment) {
  return { ...smsSlotWords(words, a), token: a.token, clinic: a.clinicName };
}

function cancelReply(words: Catalogue, result: CancelResult): string {
  return result.kind === "cancelled"
    ? words.smsCancelled(describe(words, result.appointment))
    : result.kind === "token-not-found"
      ? words.smsTokenNotFound(result.token)
      : words.smsNothingToCancel;
}

/**
 * An inbound text, in at most three round trips: (1) claim the MessageSid and read the sender's
 * upcoming appointments in one batch, (2) cancel and record the reply in one batch, (3) free
 * the time in the doctor-day object. STATUS and help take two.
 */
sms.post("/incoming", async (c) => {
  const { params, config } = c.var;
  const words = prompts(config.defaultLanguage);
  const db = database(c.env.DB);
  const messageSid = (params.MessageSid || params.SmsSid)?.slice(0, MAX_SID_CHARS);
  const from = params.From?.slice(0, MAX_ADDRESS_CHARS);
  const line = params.To ?? "";
  const phone = normalizePhone(from);
  const command = parseSmsCommand(params.Body ?? "");
  const now = new Date();
  // A text without a MessageSid (never from Twilio itself) is still kept, under a made-up id.
  const sid = messageSid || `none:${crypto.randomUUID()}`;
  const record = (reply: string, kind: string = command.kind) =>
    c.env.DB.prepare("UPDATE sms_inbound SET command = ?, reply = ? WHERE message_sid = ?").bind(kind, reply, sid);
  try {
    // Claim the message first: Twilio retries webhooks, and a retried CANCEL must not
    // cancel a second appointment. A repeat gets the reply the first one got.
    // Fields are capped at write time (Twilio's own limits), and stamped with this request's
    // clock, which the per-sender reply limit counts by.
    const claim = c.env.DB.prepare(
      `INSERT INTO sms_inbound (message_sid, from_number, to_number, body, command, reply, created_at)
       VALUES (?, ?, ?, ?, 'pending', '', ?) ON CONFLICT (message_sid) DO NOTHING RETURNING id`,
    ).bind(
      sid,
      from ?? null,
      params.To?.slice(0, MAX_ADDRESS_CHARS) ?? null,
      (params.Body ?? "").slice(0, MAX_SMS_CHARS),
      now.toISOString(),
    );
    const listing = phone && command.kind !== "help" ? [upcomingForPhoneStatement(c.env.DB, phone, now)] : [];
    const check = replyCheck(c.env.DB, config, from, now);
    const results = await c.env.DB.batch<Record<string, unknown>>([claim, ...listing, ...check.statements]);
    const claimed = results[0]!.results;
    const rows = (listing.length ? results[1]!.results : []) as Omit<PatientAppointment, "startMinute">[];
    const checked = results.slice(1 + listing.length);
    if (messageSid && claimed.length === 0) {
      await check.decide(checked, false);
      const earlier = await db
        .select({ reply: smsInbound.reply })
        .from(smsInbound)
        .where(eq(smsInbound.messageSid, messageSid))
        .get();
      return twimlResponse(earlier?.reply ? [{ kind: "Message", body: earlier.reply }] : []);
    }
    const decision = await check.decide(checked);
    if (!decision.reply) {
      // Stored for the staff, not acted on, not answered: an empty <Response/> sends nothing.
      await record("", decision.command).run();
      return twimlResponse([]);
    }
    const upcoming = asPatientAppointments(rows);
    let reply: string;
    if (command.kind === "status")
      reply = upcoming.length ? words.smsUpcoming(upcoming.map((a) => describe(words, a))) : words.smsNoUpcoming(line);
    else if (command.kind === "help") reply = words.smsHelp(line);
    else {
      const service = new BookingService(
        {
          db,
          config,
          doctorDays: c.env.DOCTOR_DAY,
          now,
          origin: new URL(publicUrl(c.req.url, config.publicBaseUrl)).origin,
          smsQueue: c.env.SMS_QUEUE,
        },
        words,
      );
      // The reply is recorded with the cancel itself; only if the cancel lost a race is it written again.
      const result = await service.cancelOneOf(upcoming, command.token, (success) => [
        record(cancelReply(words, success)),
      ]);
      reply = cancelReply(words, result);
      if (result.kind === "cancelled") return twimlResponse([{ kind: "Message", body: reply }]);
    }
    await record(reply).run();
    return twimlResponse([{ kind: "Message", body: reply }]);
  } catch (error) {
    log.error("inbound SMS failed", { messageSid: messageSid ?? "(none)", error });
    if (messageSid) {
      // Let a retry of this message be handled afresh rather than answered with nothing.
      await db
        .delete(smsInbound)
        .where(eq(smsInbound.messageSid, messageSid))
        .catch(() => undefined);
    }
    return twimlResponse([{ kind: "Message", body: words.smsApology }]);
  }
});

sms.post("/status", async (c) => {
  const { params } = c.var;
  const outboxId = Number(new URL(c.req.url).searchParams.get("outbox"));
  const messageSid = params.MessageSid ?? params.SmsSid;
  const status = params.MessageStatus ?? params.SmsStatus;
  if (!Number.isInteger(outboxId) || outboxId <= 0 || !messageSid || !status) return c.text("Bad Request", 400);
  const errorCode = Number(params.ErrorCode);
  try {
    const recorded = await recordDeliveryStatus(database(c.env.DB), outboxId, {
      messageSid,
      status,
      ...(Number.isInteger(errorCode) && params.ErrorCode ? { errorCode } : {}),
    });
    return recorded ? c.body(null, 204) : c.text("Unknown message", 404);
  } catch (error) {
    // Twilio retries status callbacks that fail; a 503 asks for exactly that.
    log.error("SMS status callback failed", { outboxId, error });
    return c.text("Service temporarily unavailable", 503);
  }
});
