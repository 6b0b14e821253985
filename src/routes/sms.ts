/**
 * Twilio's messaging webhooks: the number's incoming-message URL, and the delivery status
 * callbacks our outbound SMS ask for. Both are signature-validated like the voice routes.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import type { PatientAppointment } from "../booking/cancel.ts";
import { BookingService } from "../booking/service.ts";
import { smsSlotWords } from "../booking/words.ts";
import type { AppEnv } from "../context.ts";
import { database } from "../db/client.ts";
import { smsInbound } from "../db/schema.ts";
import { prompts, type Catalogue } from "../ivr/prompts.ts";
import { log } from "../log.ts";
import { publicUrl, twilioWebhook } from "../middleware/twilio-webhook.ts";
import { parseSmsCommand } from "../sms/commands.ts";
import { recordDeliveryStatus } from "../sms/outbox.ts";
import { replyDecision } from "../sms/reply-policy.ts";
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

async function answer(service: BookingService, words: Catalogue, params: Record<string, string>, phone: string) {
  const line = params.To ?? "";
  const command = parseSmsCommand(params.Body ?? "");
  switch (command.kind) {
    case "status": {
      const list = await service.upcomingForPhone(phone);
      const reply = list.length ? words.smsUpcoming(list.map((a) => describe(words, a))) : words.smsNoUpcoming(line);
      return { command: command.kind, reply };
    }
    case "cancel": {
      const result = await service.cancelForPhone(phone, command.token);
      const reply =
        result.kind === "cancelled"
          ? words.smsCancelled(describe(words, result.appointment))
          : result.kind === "token-not-found"
            ? words.smsTokenNotFound(result.token)
            : words.smsNothingToCancel;
      return { command: command.kind, reply };
    }
    case "help":
      return { command: command.kind, reply: words.smsHelp(line) };
  }
}

sms.post("/incoming", async (c) => {
  const { params, config } = c.var;
  const words = prompts(config.defaultLanguage);
  const db = database(c.env.DB);
  const messageSid = (params.MessageSid || params.SmsSid)?.slice(0, MAX_SID_CHARS);
  const now = new Date();
  try {
    if (messageSid) {
      // Claim the message first: Twilio retries webhooks, and a retried CANCEL must not
      // cancel a second appointment. A repeat gets the reply the first one got.
      const claimed = await db
        .insert(smsInbound)
        .values({
          messageSid,
          // Capped at write time: Twilio's own limits, whatever an unsigned-looking caller sends.
          fromNumber: params.From?.slice(0, MAX_ADDRESS_CHARS) ?? null,
          toNumber: params.To?.slice(0, MAX_ADDRESS_CHARS) ?? null,
          body: (params.Body ?? "").slice(0, MAX_SMS_CHARS),
          command: "pending",
          reply: "",
          createdAt: now.toISOString(),
        })
        .onConflictDoNothing()
        .returning({ id: smsInbound.id });
      if (claimed.length === 0) {
        const earlier = await db
          .select({ reply: smsInbound.reply })
          .from(smsInbound)
          .where(eq(smsInbound.messageSid, messageSid))
          .get();
        return twimlResponse(earlier?.reply ? [{ kind: "Message", body: earlier.reply }] : []);
      }
    }
    const decision = await replyDecision(db, config, params.From?.slice(0, MAX_ADDRESS_CHARS), now);
    if (!decision.reply) {
      // Stored for the staff, not acted on, not answered: an empty <Response/> sends nothing.
      if (messageSid) {
        await db.update(smsInbound).set({ command: decision.command }).where(eq(smsInbound.messageSid, messageSid));
      }
      return twimlResponse([]);
    }
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
    const { command, reply } = await answer(service, words, params, decision.phone);
    if (messageSid) await db.update(smsInbound).set({ command, reply }).where(eq(smsInbound.messageSid, messageSid));
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
