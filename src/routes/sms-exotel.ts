/**
 * Exotel's SMS delivery reports (the StatusCallback of each text sent through Exotel). Exotel
 * does not sign its requests, so the URL it calls was signed when the text was sent: an HMAC
 * of the outbox row, keyed by SMS_CALLBACK_SECRET. A report without that signature is refused
 * (403) before anything is read or changed. The SmsSid must be the row's own.
 */
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { log } from "../log.ts";
import { parseForm, readBounded } from "../middleware/twilio-webhook.ts";
import { verifyCallback } from "../sms/callback-signature.ts";
import { recordDeliveryStatus } from "../sms/outbox.ts";
import { EXOTEL_CALLBACK_PURPOSE, exotelDeliveryReport } from "../sms/providers/exotel.ts";

export const smsExotel = new Hono<AppEnv>({ strict: false });

/** A delivery report is a handful of short fields. */
const MAX_REPORT_BYTES = 8 * 1024;

smsExotel.post("/exotel-status", async (c) => {
  const url = new URL(c.req.url);
  const outboxId = Number(url.searchParams.get("outbox"));
  const signature = url.searchParams.get("sig") ?? "";
  const valid =
    Number.isInteger(outboxId) &&
    outboxId > 0 &&
    (await verifyCallback(c.var.config.sms.callbackSecret, EXOTEL_CALLBACK_PURPOSE, outboxId, signature));
  if (!valid) {
    log.warn("refused an SMS delivery report with a bad signature", { path: url.pathname });
    return c.text("Forbidden", 403);
  }
  const bytes = await readBounded(c.req.raw.body, MAX_REPORT_BYTES);
  if (bytes === null) return c.text("Payload Too Large", 413);
  const fields = parseForm(new TextDecoder().decode(bytes));
  const report = exotelDeliveryReport(Object.fromEntries([...fields].map(([name, values]) => [name, values[0]])));
  if (!report) return c.text("Bad Request", 400);
  try {
    const recorded = await recordDeliveryStatus(c.var.db, outboxId, report);
    return recorded ? c.body(null, 204) : c.text("Unknown message", 404);
  } catch (error) {
    log.error("SMS delivery report failed", { outboxId, error });
    return c.text("Service temporarily unavailable", 503);
  }
});
