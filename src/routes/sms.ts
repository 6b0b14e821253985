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
import { twilioWebhook } from "../middleware/twilio-webhook.ts";
import { normalizePhone } from "../patients/phone.ts";
import { publicUrl } from "../middleware/twilio-webhook.ts";
import { parseSmsCommand } from "../sms/commands.ts";
import { recordDeliveryStatus } from "../sms/outbox.ts";
import { twimlResponse } from "../twilio/twiml.ts";

export const sms = new Hono<AppEnv>({ strict: false });

sms.use("*", twilioWebhook);

function describe(words: Catalogue, a: PatientAppointment) {
  return { ...smsSlotWords(words, a), token: a.token, clinic: a.clinicName };
}

async function answer(service: BookingService, words: Catalogue, params: Record<string, string>) {
  const line = params.To ?? "";
  const phone = normalizePhone(params.From);
  const command = parseSmsCommand(params.Body ?? "");
  if (!phone) return { command: command.kind, reply: words.smsUnknownSender };
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
  const messageSid = params.MessageSid || params.SmsSid;
  try {
    if (messageSid) {
      // Claim the message first: Twilio retries webhooks, and a retried CANCEL must not
      // cancel a second appointment. A repeat gets the reply the first one got.
      const claimed = await db
        .insert(smsInbound)
        .values({
          messageSid,
          fromNumber: params.From ?? null,
          toNumber: params.To ?? null,
          body: params.Body ?? "",
          command: "pending",
          reply: "",
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
    const service = new BookingService(
      {
        db,
        config,
        doctorDays: c.env.DOCTOR_DAY,
        now: new Date(),
        origin: new URL(publicUrl(c.req.url, config.publicBaseUrl)).origin,
        smsQueue: c.env.SMS_QUEUE,
      },
      words,
    );
    const { command, reply } = await answer(service, words, params);
    if (messageSid) await db.update(smsInbound).set({ command, reply }).where(eq(smsInbound.messageSid, messageSid));
    return twimlResponse([{ kind: "Message", body: reply }]);
  } catch (error) {
    console.error(`inbound SMS ${messageSid ?? "(no MessageSid)"} failed:`, error);
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
    console.error(`status callback for outbox row ${outboxId} failed:`, error);
    return c.text("Service temporarily unavailable", 503);
  }
});
