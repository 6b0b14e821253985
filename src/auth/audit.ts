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
 * The statement that records an entry, to add to a batch; with `ifBookedBy`, only when the
 * batch has written an appointment with that call id (the change it records happened).
 */
export function auditStatement(d1: D1Database, entry: AuditEntry, now: Date, ifBookedBy?: string): D1PreparedStatement {
  const values = [now.toISOString(), entry.actor, entry.clinicId, entry.action, JSON.stringify(entry.detail ?? {})];
  if (ifBookedBy === undefined)
    return d1
      .prepare("INSERT INTO audit_log (at, actor, clinic_id, action, detail) VALUES (?, ?, ?, ?, ?)")
      .bind(...values);
  return d1
    .prepare(
      `INSERT INTO audit_log (at, actor, clinic_id, action, detail)
       SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM appointments WHERE call_sid = ?)`,
    )
    .bind(...values, ifBookedBy);
}

export async function audit(db: Db, entry: AuditEntry, now: Date): Promise<void> {
  await auditStatement(db.$client, entry, now).run();
}
