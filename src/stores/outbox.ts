/**
 * The one statement that writes an SMS into the outbox, and the desk's read of texts that did not
 * arrive. Every change that texts a patient includes the write in its own D1 batch, so the text
 * is written exactly when the change is. Raw: an INSERT ... SELECT whose condition reads what the
 * batch wrote before it.
 */
import { and, asc, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { smsOutbox, type SmsPurpose } from "../db/schema.ts";
import { idsFromJson } from "./json-ids.ts";
import type { RenderedSms } from "../sms/templates/index.ts";

export interface OutboxMessage {
  /** The number texted (or "" with `OutboxCondition.toColumn`). */
  to: string;
  sms: RenderedSms;
  purpose: SmsPurpose;
  /** A text that carries a password: stored withheld, rendered at send time. */
  sensitive?: boolean;
  /** The public origin of the request that wrote it: where delivery reports are sent. */
  callbackBase?: string | null;
  /** From the Worker's clock, the one the outbox sweep compares it with (never D1's own). */
  createdAt: string;
  /** The appointment the text is about, when known as a value (see `OutboxCondition.appointmentColumn`). */
  appointmentId?: number | null;
}

/**
 * Writes the row only when a query finds something: `SELECT ... FROM <from> WHERE <where>`
 * (one row per match), e.g. only the booking that landed, only the cancel that won. `where`
 * uses plain `?` placeholders, bound from `params` in order.
 */
export interface OutboxCondition {
  from: string;
  where: string;
  params: readonly unknown[];
  /** A column of `from` holding the appointment id (instead of `OutboxMessage.appointmentId`). */
  appointmentColumn?: string;
  /** A column of `from` holding the number to text (instead of `OutboxMessage.to`). */
  toColumn?: string;
}

/** Written only if an appointment row matches `where` (as the batch left it), and about that appointment. */
export function ifAppointment(where: string, ...params: unknown[]): OutboxCondition {
  return { from: "appointments", where, params, appointmentColumn: "id" };
}

const COLUMNS = "to_number, body, purpose, sensitive, appointment_id, callback_base, template, language, created_at";

/** `INSERT INTO sms_outbox ... RETURNING id`: the new row's id, or none when the condition found nothing. */
export function insertOutbox(d1: D1Database, message: OutboxMessage, condition?: OutboxCondition): D1PreparedStatement {
  const appointment = condition?.appointmentColumn ?? "?";
  const to = condition?.toColumn ?? "?";
  const values = [
    ...(condition?.toColumn ? [] : [message.to]),
    message.sms.body,
    message.purpose,
    message.sensitive ? 1 : 0,
    ...(condition?.appointmentColumn ? [] : [message.appointmentId ?? null]),
    message.callbackBase || null,
    message.sms.template,
    message.sms.language,
    message.createdAt,
  ];
  const select = `SELECT ${to}, ?, ?, ?, ${appointment}, ?, ?, ?, ?`;
  const source = condition ? ` FROM ${condition.from} WHERE ${condition.where}` : "";
  return d1
    .prepare(`INSERT INTO sms_outbox (${COLUMNS}) ${select}${source} RETURNING id`)
    .bind(...values, ...(condition?.params ?? []));
}

/** Every failed, undelivered or blocked text about these appointments, oldest first. */
export function undeliveredOf(db: Db, appointmentIds: readonly number[]) {
  return db
    .select({ appointmentId: smsOutbox.appointmentId, status: smsOutbox.status, reason: smsOutbox.lastError })
    .from(smsOutbox)
    .where(
      and(
        inArray(smsOutbox.appointmentId, idsFromJson(appointmentIds)),
        inArray(smsOutbox.status, ["failed", "undelivered", "blocked"]),
      ),
    )
    .orderBy(asc(smsOutbox.id));
}
