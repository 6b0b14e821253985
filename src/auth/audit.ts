/** The audit trail: who changed what, and when. Rows are written in the change's own D1 batch where it has one. */
import type { Db } from "../db/client.ts";

export interface AuditEntry {
  /** "staff:3 desk-hampankatta" or "patient:12". */
  actor: string;
  clinicId: number | null;
  action: string;
  detail?: Record<string, unknown>;
}

/**
 * Written only if the change it records happened in the same batch: an appointment booked
 * under this call id, or the statement just before changed exactly one row.
 */
export type AuditCondition = { bookedBy: string } | { previousChangedOne: true };

/**
 * The statement that records an entry, to add to a batch (raw: it rides in batches of raw
 * statements, and its condition reads what they wrote).
 */
export function auditStatement(
  d1: D1Database,
  entry: AuditEntry,
  now: Date,
  onlyIf?: AuditCondition,
): D1PreparedStatement {
  const values = [now.toISOString(), entry.actor, entry.clinicId, entry.action, JSON.stringify(entry.detail ?? {})];
  const insert = "INSERT INTO audit_log (at, actor, clinic_id, action, detail)";
  if (onlyIf === undefined) return d1.prepare(`${insert} VALUES (?, ?, ?, ?, ?)`).bind(...values);
  if ("bookedBy" in onlyIf)
    return d1
      .prepare(`${insert} SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM appointments WHERE call_sid = ?)`)
      .bind(...values, onlyIf.bookedBy);
  return d1.prepare(`${insert} SELECT ?, ?, ?, ?, ? WHERE changes() = 1`).bind(...values);
}

export async function audit(db: Db, entry: AuditEntry, now: Date): Promise<void> {
  await auditStatement(db.$client, entry, now).run();
}
