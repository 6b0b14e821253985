/**
 * Twilio's messaging webhooks: the number's incoming-message URL, and the delivery status
 * callbacks our outbound SMS ask for. Both are signature-validated like the voice routes.
 */
import { Hono } from "hono";
import { smsAppointment } from "../booking/cancel.ts";
import { BookingService, type CancelResult } from "../booking/service.ts";
import type { AppEnv } from "../context.ts";
import { log } from "../log.ts";
import { twilioWebhook } from "../middleware/twilio-webhook.ts";
import { normalizePhone } from "../patients/phone.ts";
import { parseSmsCommand } from "../sms/commands.ts";
import { recordDeliveryStatus, twilioDeliveryStatus } from "../sms/outbox.ts";
import { replyCheck } from "../sms/reply-policy.ts";
import { appointmentSms, noticeSms, smsWording, tokenNotFoundSms, upcomingSms, type SmsWording } from "../sms/texts.ts";
import { twimlResponse } from "../twilio/twiml.ts";
import { runBatch } from "../stores/batch.ts";
import { claimInboundPart, earlierReply, recordReplyStatement, releaseInbound } from "../stores/inbound-sms.ts";
import { preferredLanguagePart, upcomingForPhonePart } from "../stores/patients.ts";
import { wordsFor, type Catalogue } from "../words/index.ts";

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
  const db = c.var.db;
  const messageSid = (params.MessageSid || params.SmsSid)?.slice(0, MAX_SID_CHARS);
  const from = params.From?.slice(0, MAX_ADDRESS_CHARS);
  const wording = smsWording(config);
  const phone = normalizePhone(from);
  const command = parseSmsCommand(params.Body ?? "");
  const now = new Date();
  // A text without a MessageSid (never from Twilio itself) is still kept, under a made-up id.
  const sid = messageSid || `none:${crypto.randomUUID()}`;
  const record = (reply: string, kind: string = command.kind) => recordReplyStatement(db.$client, sid, kind, reply);
  try {
    // Claim the message first: Twilio retries webhooks, and a retried CANCEL must not
    // cancel a second appointment. A repeat gets the reply the first one got.
    // Fields are capped at write time (Twilio's own limits), and stamped with this request's
    // clock, which the per-sender reply limit counts by.
    const d1 = db.$client;
    const read = await runBatch(d1, {
      claimed: claimInboundPart(d1, {
        messageSid: sid,
        from: from ?? null,
        to: params.To?.slice(0, MAX_ADDRESS_CHARS) ?? null,
        body: (params.Body ?? "").slice(0, MAX_SMS_CHARS),
        receivedAt: now.toISOString(),
      }),
      // Replies speak the language the sender chose on the phone line.
      language: phone ? preferredLanguagePart(d1, phone) : undefined,
      upcoming: phone && command.kind !== "help" ? upcomingForPhonePart(d1, phone, now) : undefined,
      // Whether to answer at all rides in the same batch (sms/reply-policy.ts): no extra round trip.
      decide: replyCheck(d1, config, from, now),
    });
    if (read.language) words = wordsFor(read.language);
    if (messageSid && !read.claimed) {
      await read.decide(false);
      return messages((await earlierReply(db, messageSid)).split(REPLY_SEPARATOR));
    }
    const decision = await read.decide();
    if (!decision.reply) {
      // Stored for the staff, not acted on, not answered: an empty <Response/> sends nothing.
      await record("", decision.command).run();
      return messages([]);
    }
    const upcoming = read.upcoming ?? [];
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
      const service = new BookingService(c.var.bookingContext(now), words);
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
      await releaseInbound(db, messageSid).catch(() => undefined);
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
    const recorded = await recordDeliveryStatus(c.var.db, outboxId, {
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
