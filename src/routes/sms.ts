/**
 * Twilio's messaging webhooks: the number's incoming-message URL, and the delivery status
 * callbacks our outbound SMS ask for. Both are signature-validated like the voice routes.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import {
  asPatientAppointments,
  smsAppointment,
  upcomingForPhoneStatement,
  type PatientAppointment,
} from "../booking/cancel.ts";
import { BookingService, type CancelResult } from "../booking/service.ts";
import type { AppEnv } from "../context.ts";
import { database } from "../db/client.ts";
import { smsInbound } from "../db/schema.ts";
import { log } from "../log.ts";
import { publicUrl, twilioWebhook } from "../middleware/twilio-webhook.ts";
import { preferredLanguageStatement } from "../patients/language.ts";
import { normalizePhone } from "../patients/phone.ts";
import { parseSmsCommand } from "../sms/commands.ts";
import { recordDeliveryStatus, twilioDeliveryStatus } from "../sms/outbox.ts";
import { replyCheck } from "../sms/reply-policy.ts";
import { appointmentSms, noticeSms, smsWording, tokenNotFoundSms, upcomingSms, type SmsWording } from "../sms/texts.ts";
import { twimlResponse } from "../twilio/twiml.ts";
import { isLanguage, wordsFor, type Catalogue } from "../words/index.ts";

export const sms = new Hono<AppEnv>({ strict: false });

/** Longest SMS Twilio delivers (10 segments); longer text is not from Twilio. */
const MAX_SMS_CHARS = 1600;
/** E.164 is 16 characters; alphanumeric sender IDs 11. */
const MAX_ADDRESS_CHARS = 32;
const MAX_SID_CHARS = 64;

sms.use("*", twilioWebhook);

function cancelReply(words: Catalogue, wording: SmsWording, result: CancelResult): string {
  const language = words.language;
  return (
    result.kind === "cancelled"
      ? appointmentSms("cancelled", language, smsAppointment(result.appointment, language), wording)
      : result.kind === "token-not-found"
        ? tokenNotFoundSms(language, result.token)
        : noticeSms("nothingToCancel", language, wording)
  ).body;
}

/**
 * Several replies travel as one stored text, a line each (no catalogue text has a line break),
 * so a retried webhook is answered with exactly the messages the first one got.
 */
const REPLY_SEPARATOR = "\n";

function messages(replies: string[]) {
  return twimlResponse(replies.filter(Boolean).map((body) => ({ kind: "Message" as const, body })));
}

/**
 * An inbound text, in at most three round trips: (1) claim the MessageSid and read the sender's
 * chosen language and upcoming appointments in one batch, (2) cancel and record the reply in one batch, (3) free
 * the time in the doctor-day object. STATUS and help take two.
 */
sms.post("/incoming", async (c) => {
  const { params, config } = c.var;
  let words = wordsFor(config.defaultLanguage);
  const db = database(c.env.DB);
  const messageSid = (params.MessageSid || params.SmsSid)?.slice(0, MAX_SID_CHARS);
  const from = params.From?.slice(0, MAX_ADDRESS_CHARS);
  const wording = smsWording(config);
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
    const lookups = phone
      ? [
          preferredLanguageStatement(c.env.DB, phone),
          ...(command.kind !== "help" ? [upcomingForPhoneStatement(c.env.DB, phone, now)] : []),
        ]
      : [];
    // Whether to answer at all rides in the same batch (sms/reply-policy.ts): no extra round trip.
    const check = replyCheck(c.env.DB, config, from, now);
    const results = await c.env.DB.batch<Record<string, unknown>>([claim, ...lookups, ...check.statements]);
    const [claimResult, languageResult, listResult] = results;
    const checked = results.slice(1 + lookups.length);
    const claimed = claimResult!.results;
    const rows = (lookups.length > 1 ? listResult!.results : []) as Omit<PatientAppointment, "startMinute">[];
    // Replies speak the language the sender chose on the phone line.
    const language = String(languageResult?.results[0]?.language ?? "");
    if (isLanguage(language)) words = wordsFor(language);
    if (messageSid && claimed.length === 0) {
      await check.decide(checked, false);
      const earlier = await db
        .select({ reply: smsInbound.reply })
        .from(smsInbound)
        .where(eq(smsInbound.messageSid, messageSid))
        .get();
      return messages((earlier?.reply ?? "").split(REPLY_SEPARATOR));
    }
    const decision = await check.decide(checked);
    if (!decision.reply) {
      // Stored for the staff, not acted on, not answered: an empty <Response/> sends nothing.
      await record("", decision.command).run();
      return messages([]);
    }
    const upcoming = asPatientAppointments(rows);
    let reply: string;
    if (command.kind === "status")
      // One SMS per appointment: a family's four fit no single message in Kannada or Hindi.
      reply = upcoming.length
        ? upcoming
            .map((a, i) => upcomingSms(words.language, smsAppointment(a, words.language), i + 1, upcoming.length).body)
            .join(REPLY_SEPARATOR)
        : noticeSms("noUpcoming", words.language, wording).body;
    else if (command.kind === "help") reply = noticeSms("help", words.language, wording).body;
    else {
      const service = new BookingService(
        {
          db,
          config,
          doctorDays: c.env.DOCTOR_DAY,
          now,
          origin: new URL(publicUrl(c.req.url, config.publicBaseUrl)).origin,
          jobs: c.env.JOBS,
        },
        words,
      );
      // The reply is recorded with the cancel itself; only if the cancel lost a race is it written again.
      const result = await service.cancelOneOf(upcoming, command.token, (success) => [
        record(cancelReply(words, wording, success)),
      ]);
      reply = cancelReply(words, wording, result);
      if (result.kind === "cancelled") return messages([reply]);
    }
    await record(reply).run();
    return messages(reply.split(REPLY_SEPARATOR));
  } catch (error) {
    log.error("inbound SMS failed", { messageSid: messageSid ?? "(none)", error });
    if (messageSid) {
      // Let a retry of this message be handled afresh rather than answered with nothing.
      await db
        .delete(smsInbound)
        .where(eq(smsInbound.messageSid, messageSid))
        .catch(() => undefined);
    }
    return messages([noticeSms("apology", words.language, smsWording(config)).body]);
  }
});

sms.post("/status", async (c) => {
  const { params } = c.var;
  const outboxId = Number(new URL(c.req.url).searchParams.get("outbox"));
  const messageSid = params.MessageSid ?? params.SmsSid;
  const reported = params.MessageStatus ?? params.SmsStatus;
  if (!Number.isInteger(outboxId) || outboxId <= 0 || !messageSid || !reported) return c.text("Bad Request", 400);
  const status = twilioDeliveryStatus(reported);
  // A status the outbox does not track (receiving, read...): acknowledged, nothing to record.
  if (!status) return c.text("Unknown message", 404);
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
