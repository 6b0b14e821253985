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
