import { env } from "cloudflare:workers";

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
}

/** Writes an outbox row as the booking batch would, and returns its id. */
export async function addOutboxRow(
  to: string,
  body: string,
  extra: { sensitive?: boolean; callbackBase?: string } = {},
) {
  const row = await env.DB.prepare(
    "INSERT INTO sms_outbox (to_number, body, purpose, sensitive, callback_base, created_at) VALUES (?, ?, 'booking', ?, ?, ?) RETURNING id",
  )
    .bind(to, body, extra.sensitive ? 1 : 0, extra.callbackBase ?? "https://line.test", new Date().toISOString())
    .first<{ id: number }>();
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
