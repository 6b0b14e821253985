/**
 * Twilio's messaging webhooks: the number's incoming-message URL, and the delivery status
 * callbacks our outbound SMS ask for. Both are signature-validated like the voice routes.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { cancelAppointment, upcomingAppointments, type UpcomingAppointment } from "../booking/cancel.ts";
import type { AppEnv } from "../context.ts";
import { database, type Db } from "../db/client.ts";
import { nameIn } from "../db/display-names.ts";
import { smsInbound } from "../db/schema.ts";
import { twilioWebhook } from "../middleware/twilio-webhook.ts";
import { preferredLanguage } from "../patients/language.ts";
import { normalizePhone } from "../patients/phone.ts";
import { parseSmsCommand } from "../sms/commands.ts";
import { recordDeliveryStatus } from "../sms/outbox.ts";
import { twimlResponse } from "../twilio/twiml.ts";
import { wordsFor, type Catalogue, type Language } from "../words/index.ts";
import { smsSlot } from "../words/slot.ts";

export const sms = new Hono<AppEnv>({ strict: false });

sms.use("*", twilioWebhook);

function describe(a: UpcomingAppointment, language: Language) {
  const clinic = nameIn({ name: a.clinicName, displayNames: a.clinicDisplayNames }, language);
  return smsSlot({ doctorName: a.doctorName, date: a.date, startMinute: a.startMinute, token: a.token, clinic });
}

/**
 * Several replies travel as one stored text, a line each (no catalogue text has a line break),
 * so a retried webhook is answered with exactly the messages the first one got.
 */
const REPLY_SEPARATOR = "\n";

async function answer(
  c: { env: Env },
  db: Db,
  words: Catalogue,
  params: Record<string, string>,
  phone: string | null,
  now: Date,
): Promise<{ command: string; replies: string[] }> {
  const line = params.To ?? "";
  const command = parseSmsCommand(params.Body ?? "");
  if (!phone) return { command: command.kind, replies: [words.smsUnknownSender] };
  switch (command.kind) {
    case "status": {
      const list = await upcomingAppointments(db, phone, now);
      // One SMS per appointment: a family's four fit no single message in Kannada or Hindi.
      const replies = list.length
        ? list.map((a, i) => words.smsUpcoming(describe(a, words.language), i + 1, list.length))
        : [words.smsNoUpcoming(line)];
      return { command: command.kind, replies };
    }
    case "cancel": {
      const result = await cancelAppointment({ db, doctorDays: c.env.DOCTOR_DAY, now }, phone, command.token);
      const reply =
        result.kind === "cancelled"
          ? words.smsCancelled(describe(result.appointment, words.language))
          : result.kind === "token-not-found"
            ? words.smsTokenNotFound(result.token)
            : words.smsNothingToCancel;
      return { command: command.kind, replies: [reply] };
    }
    case "help":
      return { command: command.kind, replies: [words.smsHelp(line)] };
  }
}

function messages(replies: string[]) {
  return replies.filter(Boolean).map((body) => ({ kind: "Message" as const, body }));
}

sms.post("/incoming", async (c) => {
  const { params, config } = c.var;
  let words = wordsFor(config.defaultLanguage);
  const db = database(c.env.DB);
  const messageSid = params.MessageSid || params.SmsSid;
  const phone = normalizePhone(params.From);
  try {
    // Replies speak the language the sender chose on the phone line.
    const language: Language | null = phone ? await preferredLanguage(db, phone) : null;
    if (language) words = wordsFor(language);
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
        return twimlResponse(messages((earlier?.reply ?? "").split(REPLY_SEPARATOR)));
      }
    }
    const { command, replies } = await answer(c, db, words, params, phone, new Date());
    const reply = replies.join(REPLY_SEPARATOR);
    if (messageSid) await db.update(smsInbound).set({ command, reply }).where(eq(smsInbound.messageSid, messageSid));
    return twimlResponse(messages(replies));
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
