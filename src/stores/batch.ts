/**
 * One D1 batch is one round trip and all or nothing, so a change and everything it implies
 * (the patient row, the appointment, its SMS, the audit row) travel together. A batch is built
 * from named parts, each its statements plus a reader of their results; the whole is read back
 * by name, so no caller counts positions in a result list that grows with optional parts.
 */

/** Statements for a batch and how to read what they returned. */
export interface BatchPart<T> {
  statements: D1PreparedStatement[];
  read(results: D1Result[]): T;
}

/** One statement, read as its rows. */
export function rowsOf<Row>(statement: D1PreparedStatement): BatchPart<Row[]> {
  return { statements: [statement], read: ([result]) => (result?.results ?? []) as Row[] };
}

/** One `... RETURNING id` statement, read as the ids it returned (none when its condition failed). */
export function idsOf(statement: D1PreparedStatement): BatchPart<number[]> {
  return {
    statements: [statement],
    read: ([result]) => ((result?.results ?? []) as { id: number }[]).map((r) => r.id),
  };
}

/** A statement whose result nobody reads (a write that only has to commit with the rest). */
export function write(...statements: D1PreparedStatement[]): BatchPart<void> {
  return { statements, read: () => undefined };
}

type ReadAs<P> = P extends BatchPart<infer T> ? T : undefined;

/** Named parts as one part: their statements in order, their results read back under the same names. */
export function batchOf<P extends Record<string, BatchPart<unknown> | undefined>>(
  parts: P,
): BatchPart<{ [K in keyof P]: ReadAs<P[K]> }> {
  const entries = Object.entries(parts);
  return {
    statements: entries.flatMap(([, part]) => part?.statements ?? []),
    read(results) {
      const read: Record<string, unknown> = {};
      let at = 0;
      for (const [name, part] of entries) {
        if (!part) continue;
        read[name] = part.read(results.slice(at, at + part.statements.length));
        at += part.statements.length;
      }
      return read as { [K in keyof P]: ReadAs<P[K]> };
    },
  };
}

/** Sends the parts as one D1 batch (one round trip) and reads the results by name. */
export async function runBatch<P extends Record<string, BatchPart<unknown> | undefined>>(
  d1: D1Database,
  parts: P,
): Promise<{ [K in keyof P]: ReadAs<P[K]> }> {
  const batch = batchOf(parts);
  return batch.read(await d1.batch(batch.statements));
}
