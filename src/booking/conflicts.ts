/**
 * Which unique index a D1 write ran into. SQLite names the columns of the violated index
 * ("UNIQUE constraint failed: appointments.doctor_id, appointments.starts_at"), so the index is
 * found by matching that exact column list against the indexes the schema declares: every
 * index is recognised, including ones added later, and nothing is guessed from fragments.
 */
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { appointments, doctors, patients } from "../db/schema.ts";

const TABLES: SQLiteTable[] = [appointments, doctors, patients];

function messagesOf(error: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    out.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return out;
}

/** The name of the unique index (or "<table>.<column>" for a UNIQUE column) the error names, if any. */
export function violatedUniqueIndex(error: unknown): string | null {
  for (const message of messagesOf(error)) {
    const match = /UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)/.exec(message);
    if (!match) continue;
    const named = match[1]!.split(", ");
    const table = named[0]!.split(".")[0]!;
    const columns = named.map((c) => c.split(".")[1]!).sort();
    for (const t of TABLES) {
      const config = getTableConfig(t);
      if (config.name !== table) continue;
      for (const index of config.indexes) {
        if (!index.config.unique) continue;
        const indexColumns = index.config.columns.map((c) => ("name" in c ? c.name : "")).sort();
        if (indexColumns.join() === columns.join()) return index.config.name;
      }
      if (columns.length === 1 && config.columns.some((c) => c.name === columns[0] && c.isUnique))
        return `${table}.${columns[0]}`;
    }
    return `unknown: ${match[1]}`;
  }
  return null;
}
