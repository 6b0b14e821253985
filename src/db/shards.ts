/**
 * Which D1 database serves a piece of work: the one seam to change when one database is no
 * longer enough (README "One database's capacity and the plan past it").
 *
 * Today there is one database, `env.DB`, and every scope maps to it. The plan shards by
 * district: a call and an SMS find theirs from the number they reached (each district's line
 * has its own numbers), the desk from the clinic in its URL, the cron runs once per database
 * (`allDatabases`). The Worker's entry points (src/index.ts) hand each request, queue batch and
 * cron run an `env` whose `DB` is the database this function chose, so the routes, flows and
 * stores that read `env.DB` follow it without changing.
 */

/** What is known about the work when its database is chosen. */
export interface ShardScope {
  /** The number a caller dialled or texted (Twilio's `To`), when the request is a webhook. */
  calledNumber?: string;
  /** The clinic a desk or patient page is about. */
  clinicId?: number;
}

/** The database for work in `scope`. */
export function databaseFor(env: Env, _scope: ShardScope = {}): D1Database {
  return env.DB;
}

/** Every database, for work that spans them all (the cron's sweeps, a migration run). */
export function allDatabases(env: Env): D1Database[] {
  return [env.DB];
}

/** `env` with `DB` set to the database for `scope` (the same object when nothing changes). */
export function envFor(env: Env, scope: ShardScope = {}): Env {
  const db = databaseFor(env, scope);
  return db === env.DB ? env : { ...env, DB: db };
}

/** The same `env` once per database, for the cron. */
export function envPerDatabase(env: Env): Env[] {
  return allDatabases(env).map((db) => (db === env.DB ? env : { ...env, DB: db }));
}
