/**
 * The hand-written migrations and src/db/schema.ts describe the same database: every table
 * the schema declares exists after the migrations (as the tests' D1 has them applied), with the
 * same columns, the same NOT NULL and primary-key columns, and the same indexes. A migration
 * that forgets a column, or a schema edit without its migration, fails here.
 */
import { env } from "cloudflare:workers";
import { is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as schema from "../src/db/schema.ts";

const tables: SQLiteTable[] = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable =>
  is(value, SQLiteTable),
);

interface ColumnInfo {
  name: string;
  notnull: number;
  pk: number;
}

describe("schema.ts and the migrations", () => {
  it("declares at least the core tables", () => {
    const names = tables.map((t) => getTableConfig(t).name);
    expect(names).toEqual(expect.arrayContaining(["appointments", "patients", "sms_outbox", "call_log"]));
  });

  for (const table of tables) {
    const config = getTableConfig(table);
    it(`${config.name}: columns, NOT NULL, primary key and indexes match`, async () => {
      const { results: columns } = await env.DB.prepare(`PRAGMA table_info("${config.name}")`).all<ColumnInfo>();
      const compositeKey = new Set(config.primaryKeys.flatMap((k) => k.columns.map((c) => c.name)));
      const expected = config.columns.map((c) => ({
        name: c.name,
        // A primary key is never null, whether or not its DDL says NOT NULL.
        notnull: c.primary || compositeKey.has(c.name) ? "pk" : c.notNull ? 1 : 0,
        pk: c.primary || compositeKey.has(c.name) ? 1 : 0,
      }));
      const actual = columns.map((c) => ({ name: c.name, notnull: c.pk > 0 ? "pk" : c.notnull, pk: c.pk > 0 ? 1 : 0 }));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(actual.sort(byName)).toEqual(expected.sort(byName));

      const { results: indexes } = await env.DB.prepare(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_autoindex_%'`,
      )
        .bind(config.name)
        .all<{ name: string }>();
      // Declared indexes, and the unique index SQLite keeps for each .unique() column.
      const uniqueColumns = config.columns
        .filter((c) => c.isUnique)
        .map((c) => c.uniqueName ?? `${config.name}_${c.name}_unique`);
      expect(indexes.map((i) => i.name).sort()).toEqual(
        [...config.indexes.map((i) => i.config.name), ...uniqueColumns].sort(),
      );
    });
  }
});
