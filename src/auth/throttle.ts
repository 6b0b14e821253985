/**
 * Sign-in throttling: after five failed sign-ins for one account, or from one address, within
 * the window, further attempts are refused (without checking the password) until the oldest
 * failure leaves the window. Counting both stops guessing one account from many addresses and
 * many accounts from one address.
 */
import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { loginFailures } from "../db/schema.ts";
import { hashPassword, type PasswordHash } from "../patients/password.ts";

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;

export function throttleKeys(kind: string, login: string, ip: string): string[] {
  return [`${kind}:user:${login.toLowerCase()}`, `${kind}:ip:${ip}`];
}

/** Minutes until sign-in is allowed again for any of the keys, or 0 when it is allowed now. */
export async function waitMinutes(db: Db, keys: string[], now: Date): Promise<number> {
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const rows = await db
    .select({ key: loginFailures.key, n: sql<number>`count(*)`, oldest: sql<string>`min(${loginFailures.failedAt})` })
    .from(loginFailures)
    .where(and(inArray(loginFailures.key, keys), gt(loginFailures.failedAt, since)))
    .groupBy(loginFailures.key);
  let waitMs = 0;
  for (const row of rows) {
    if (row.n < MAX_FAILURES) continue;
    waitMs = Math.max(waitMs, Date.parse(row.oldest) + FAILURE_WINDOW_MS - now.getTime());
  }
  return waitMs > 0 ? Math.ceil(waitMs / 60_000) : 0;
}

export async function recordFailure(db: Db, keys: string[], now: Date): Promise<void> {
  const at = now.toISOString();
  await db.insert(loginFailures).values(keys.map((key) => ({ key, failedAt: at })));
  // Old rows are of no further use: keep the table small.
  await db.delete(loginFailures).where(lt(loginFailures.failedAt, new Date(now.getTime() - 86_400_000).toISOString()));
}

export interface RequestLimit {
  key: string;
  max: number;
  windowMs: number;
}

/** Temporary passwords by SMS: three a day to one number, ten an hour from one address. */
export function passwordSmsLimits(phone: string, ip: string): RequestLimit[] {
  return [
    { key: `password-sms:phone:${phone}`, max: 3, windowMs: 86_400_000 },
    { key: `password-sms:ip:${ip}`, max: 10, windowMs: 3_600_000 },
  ];
}

/**
 * Counts a request against each limit, in one batch (a transaction, so concurrent requests
 * cannot slip past a limit together), in the table of sign-in failures, which keeps a day of
 * rows. True when every limit still had room; a limit already reached counts nothing.
 */
export async function takeRequest(db: Db, limits: RequestLimit[], now: Date): Promise<boolean> {
  const d1 = db.$client;
  const at = now.toISOString();
  const taken = await d1.batch([
    ...limits.map((limit) =>
      d1
        .prepare(
          `INSERT INTO login_failures (key, failed_at)
           SELECT ?1, ?2 WHERE (SELECT count(*) FROM login_failures WHERE key = ?1 AND failed_at > ?3) < ?4
           RETURNING key`,
        )
        .bind(limit.key, at, new Date(now.getTime() - limit.windowMs).toISOString(), limit.max),
    ),
    // Rows older than the longest window are of no further use: keep the table small.
    d1
      .prepare("DELETE FROM login_failures WHERE failed_at < ?")
      .bind(new Date(now.getTime() - 86_400_000).toISOString()),
  ]);
  return taken.slice(0, limits.length).every((result) => result.results.length > 0);
}

/** A successful sign-in forgives the account's failures (not the address's). */
export async function clearAccountFailures(db: Db, accountKey: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.key, accountKey));
}

/** The client's address as Cloudflare reports it ("local" when there is none, as under wrangler dev). */
export function clientIp(header: (name: string) => string | undefined): string {
  return (header("cf-connecting-ip") ?? "local").slice(0, 64);
}

let decoy: Promise<PasswordHash> | undefined;

/**
 * A stored-looking hash to check a password against when the login is unknown, so a miss costs
 * the same time as a wrong password. Made on first use: Workers forbid crypto at module load.
 */
export function decoyHash(): Promise<PasswordHash> {
  decoy ??= hashPassword("decoy", new Uint8Array(16));
  return decoy;
}
