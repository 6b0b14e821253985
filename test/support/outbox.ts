import { env } from "cloudflare:workers";
import { insertOutbox } from "../../src/stores/outbox.ts";
import type { TemplateKey } from "../../src/sms/templates/index.ts";
import type { Language } from "../../src/words/index.ts";

export interface OutboxRow {
  id: number;
  to_number: string;
  body: string;
  purpose: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  error_code: number | null;
  message_sid: string | null;
  sensitive: number;
  callback_base: string | null;
  template: string | null;
  language: string | null;
}

/** Writes an outbox row as the booking batch would, and returns its id. */
export async function addOutboxRow(
  to: string,
  body: string,
  extra: { sensitive?: boolean; callbackBase?: string; template?: TemplateKey; language?: Language } = {},
) {
  const row = await insertOutbox(env.DB, {
    to,
    sms: { body, template: extra.template ?? "booked", language: extra.language ?? "en" },
    purpose: "booking",
    sensitive: extra.sensitive ?? false,
    callbackBase: extra.callbackBase ?? "https://line.test",
    createdAt: new Date().toISOString(),
  }).first<{ id: number }>();
  return row!.id;
}

export async function outboxRow(id: number): Promise<OutboxRow> {
  return (await env.DB.prepare("SELECT * FROM sms_outbox WHERE id = ?").bind(id).first<OutboxRow>())!;
}

export async function outboxFor(to: string): Promise<OutboxRow[]> {
  const { results } = await env.DB.prepare("SELECT * FROM sms_outbox WHERE to_number = ? ORDER BY id")
    .bind(to)
    .all<OutboxRow>();
  return results;
}
