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
import { twilioWebhook } from "../middleware/twilio-webhook.ts";
import { preferredLanguageStatement } from "../patients/language.ts";
import { normalizePhone } from "../patients/phone.ts";
import { publicUrl } from "../middleware/twilio-webhook.ts";
import { parseSmsCommand } from "../sms/commands.ts";
import { recordDeliveryStatus } from "../sms/outbox.ts";
import { twimlResponse } from "../twilio/twiml.ts";
import { isLanguage, wordsFor, type Catalogue } from "../words/index.ts";

export const sms = new Hono<AppEnv>({ strict: false });

sms.use("*", twilioWebhook);

function cancelReply(words: Catalogue, result: CancelResult): string {
  return result.kind === "cancelled"
    ? words.smsCancelled(smsAppointment(result.appointment, words.language))
    : result.kind === "token-not-found"
      ? words.smsTokenNotFound(result.token)
      : words.smsNothingToCancel;
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
  const messageSid = params.MessageSid || params.SmsSid;
  const line = params.To ?? "";
  const phone = normalizePhone(params.From);
  const command = parseSmsCommand(params.Body ?? "");
  const now = new Date();
  // A text without a MessageSid (never from Twilio itself) is still kept, under a made-up id.
  const sid = messageSid || `none:${crypto.randomUUID()}`;
  const record = (reply: string, kind: string = command.kind) =>
    c.env.DB.prepare("UPDATE sms_inbound SET command = ?, reply = ? WHERE message_sid = ?").bind(kind, reply, sid);
  try {
    // Claim the message first: Twilio retries webhooks, and a retried CANCEL must not
    // cancel a second appointment. A repeat gets the reply the first one got.
    const claim = c.env.DB.prepare(
      `INSERT INTO sms_inbound (message_sid, from_number, to_number, body, command, reply)
       VALUES (?, ?, ?, ?, 'pending', '') ON CONFLICT (message_sid) DO NOTHING RETURNING id`,
    ).bind(sid, params.From ?? null, params.To ?? null, params.Body ?? "");
    const [claimResult, languageResult, listResult] = await c.env.DB.batch<Record<string, unknown>>(
      phone
        ? [
            claim,
            preferredLanguageStatement(c.env.DB, phone),
            ...(command.kind !== "help" ? [upcomingForPhoneStatement(c.env.DB, phone, now)] : []),
          ]
        : [claim],
    );
    const claimed = claimResult!.results;
    const rows = (listResult?.results ?? []) as Omit<PatientAppointment, "startMinute">[];
    // Replies speak the language the sender chose on the phone line.
    const language = String(languageResult?.results[0]?.language ?? "");
    if (isLanguage(language)) words = wordsFor(language);
    if (messageSid && claimed.length === 0) {
      const earlier = await db
        .select({ reply: smsInbound.reply })
        .from(smsInbound)
        .where(eq(smsInbound.messageSid, messageSid))
        .get();
      return messages((earlier?.reply ?? "").split(REPLY_SEPARATOR));
    }
    const upcoming = asPatientAppointments(rows);
    let reply: string;
    if (!phone) reply = words.smsUnknownSender;
    else if (command.kind === "status")
      // One SMS per appointment: a family's four fit no single message in Kannada or Hindi.
      reply = upcoming.length
        ? upcoming
            .map((a, i) => words.smsUpcoming(smsAppointment(a, words.language), i + 1, upcoming.length))
            .join(REPLY_SEPARATOR)
        : words.smsNoUpcoming(line);
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
      if (result.kind === "cancelled") return messages([reply]);
    }
    await record(reply).run();
    return messages(reply.split(REPLY_SEPARATOR));
  } catch (error) {
    console.error(`inbound SMS ${messageSid ?? "(no MessageSid)"} failed:`, error);
    if (messageSid) {
      // Let a retry of this message be handled afresh rather than answered with nothing.
      await db
        .delete(smsInbound)
        .where(eq(smsInbound.messageSid, messageSid))
        .catch(() => undefined);
    }
    return messages([words.smsApology]);
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
    console.error(`status callback for outbox row ${outboxId} failed:`, error);
    return c.text("Service temporarily unavailable", 503);
  }
});
