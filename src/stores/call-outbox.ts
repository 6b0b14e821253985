/**
 * The call outbox's statements (table call_outbox, src/calls): this module owns them. Every transition is a
 * conditional UPDATE on the row's status (and call count), so two placers, a replayed callback or
 * a watchdog racing a callback change a row once.
 */
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { callOutbox, type CallPurpose, type CallStatus } from "../db/schema.ts";

export type CallRow = typeof callOutbox.$inferSelect;

/** The statuses a row is still being worked on in. */
export const LIVE: readonly CallStatus[] = ["pending", "placing", "ringing"];

/** A new row, due at once, unless one exists for this appointment and purpose (then nothing). */
export function insertCallStatement(
  d1: D1Database,
  call: { appointmentId: number; purpose: CallPurpose; to: string; language: string; notAfter: Date; now: Date },
  status: "pending" | "failed" = "pending",
): D1PreparedStatement {
  const now = call.now.toISOString();
  return d1
    .prepare(
      `INSERT OR IGNORE INTO call_outbox (appointment_id, purpose, to_number, language, status, next_attempt_at, not_after, created_at, updated_at)
       SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?6 FROM appointments WHERE id = ?1 AND status = 'booked'`,
    )
    .bind(
      call.appointmentId,
      call.purpose,
      call.to,
      call.language,
      status,
      status === "pending" ? now : null,
      call.notAfter.toISOString(),
    );
}

/**
 * Rows whose time has come: due, a claim that lapsed, or a ringing call that never reported its
 * end. The statuses are written out so the partial index of live rows serves it.
 */
export async function dueCalls(db: Db, now: Date, limit: number): Promise<CallRow[]> {
  const rows = await db
    .select()
    .from(callOutbox)
    .where(
      and(
        sql`${callOutbox.status} IN ('pending', 'placing', 'ringing')`,
        lte(callOutbox.nextAttemptAt, now.toISOString()),
      ),
    )
    .orderBy(callOutbox.nextAttemptAt)
    .limit(limit);
  return rows;
}

export async function callById(db: Db, id: number): Promise<CallRow | undefined> {
  return db.select().from(callOutbox).where(eq(callOutbox.id, id)).get();
}

export async function callByProviderId(db: Db, providerCallId: string): Promise<CallRow | undefined> {
  return db.select().from(callOutbox).where(eq(callOutbox.providerCallId, providerCallId)).get();
}

/** Claims a due row for one placer until `until`; undefined when another has it (or it changed). */
export async function claimCall(db: Db, row: CallRow, now: Date, until: Date): Promise<CallRow | undefined> {
  return db
    .update(callOutbox)
    .set({
      status: "placing",
      apiAttempts: sql`${callOutbox.apiAttempts} + 1`,
      nextAttemptAt: until.toISOString(),
      updatedAt: now.toISOString(),
    })
    .where(
      and(
        eq(callOutbox.id, row.id),
        eq(callOutbox.status, row.status),
        eq(callOutbox.calls, row.calls),
        lte(callOutbox.nextAttemptAt, now.toISOString()),
      ),
    )
    .returning()
    .get();
}

/**
 * Moves a row on from `from` (with `calls` calls placed so far), if it is still there: the one
 * write every transition makes. Undefined when another writer got there first.
 */
export async function moveCall(
  db: Db,
  row: Pick<CallRow, "id" | "calls">,
  from: readonly CallStatus[],
  values: Partial<typeof callOutbox.$inferInsert>,
  now: Date,
): Promise<CallRow | undefined> {
  return db
    .update(callOutbox)
    .set({ ...values, updatedAt: now.toISOString() })
    .where(and(eq(callOutbox.id, row.id), inArray(callOutbox.status, [...from]), eq(callOutbox.calls, row.calls)))
    .returning()
    .get();
}

/** The same transition as a statement, for a batch with what it causes (the fallback SMS). */
export function moveCallStatement(
  d1: D1Database,
  row: Pick<CallRow, "id" | "calls">,
  from: readonly CallStatus[],
  to: CallStatus,
  lastError: string | null,
  now: Date,
): D1PreparedStatement {
  const statuses = from.map((s) => `'${s}'`).join(", ");
  return d1
    .prepare(
      `UPDATE call_outbox SET status = ?1, last_error = coalesce(?2, last_error), next_attempt_at = NULL, updated_at = ?3
        WHERE id = ?4 AND calls = ?5 AND status IN (${statuses})`,
    )
    .bind(to, lastError, now.toISOString(), row.id, row.calls);
}

/** What the answered call did (confirmed, cancel, move, reception, opted-out); only once it was answered. */
export async function noteOutcome(db: Db, id: number, outcome: string, now: Date): Promise<void> {
  await db
    .update(callOutbox)
    .set({ outcome, updatedAt: now.toISOString() })
    .where(and(eq(callOutbox.id, id), sql`${callOutbox.answeredAt} IS NOT NULL`));
}
