/**
 * Sign-in throttling. Every attempt is counted before its password is checked, in one D1 batch
 * (a transaction), so parallel guesses cannot all pass a limit that one check at a time would
 * stop: at most MAX_FAILURES password checks per key and window, however many arrive at once.
 *
 * Two keys, without handing strangers a lock-out switch:
 * - the address: five attempts that did not sign in, per address and window, for any account
 *   (guessing many accounts, or one, from one place);
 * - the account, from addresses that never signed in to it: five per window (guessing one
 *   account from many places). An address that signed in to the account before (within
 *   KNOWN_ADDRESS_DAYS) skips this count, so the clinic's own desk PC keeps working while
 *   strangers elsewhere have used up the account's count.
 * A successful sign-in takes its own attempt back and remembers the address for the account.
 * Raw statements where a counter is an upsert that adds to itself inside the counting batch.
 */
import { and, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { loginFailures } from "../db/schema.ts";
import { hashPassword, type PasswordHash } from "../patients/password.ts";

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** How long an address that signed in to an account stays exempt from the account's count. */
export const KNOWN_ADDRESS_DAYS = 90;

export interface SignInKeys {
  address: string;
  account: string;
  /** This account at this address, in sign_in_addresses once it signed in from there. */
  known: string;
}

export function signInKeys(kind: string, login: string, ip: string): SignInKeys {
  const account = login.toLowerCase();
  return { address: `${kind}:ip:${ip}`, account: `${kind}:user:${account}`, known: `${kind}:${account}|${ip}` };
}

export type SignInAttempt =
  { allowed: true; keys: SignInKeys; ids: number[] } | { allowed: false; waitMinutes: number };

/**
 * Counts a sign-in attempt against both keys before anything else, and says whether the
 * password may be checked. A refused attempt counts too (it is still a guess).
 */
export async function takeSignInAttempt(db: Db, keys: SignInKeys, now: Date): Promise<SignInAttempt> {
  const d1 = db.$client;
  const at = now.toISOString();
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const knownSince = new Date(now.getTime() - KNOWN_ADDRESS_DAYS * 86_400_000).toISOString();
  const [address, account] = await d1.batch<{ id: number }>([
    d1
      .prepare(
        `INSERT INTO login_failures (key, failed_at)
         SELECT ?1, ?2 WHERE (SELECT count(*) FROM login_failures WHERE key = ?1 AND failed_at > ?3) < ?4
         RETURNING id`,
      )
      .bind(keys.address, at, since, MAX_FAILURES),
    d1
      .prepare(
        `INSERT INTO login_failures (key, failed_at)
         SELECT ?1, ?2 WHERE (SELECT count(*) FROM login_failures WHERE key = ?1 AND failed_at > ?3) < ?4
            OR EXISTS (SELECT 1 FROM sign_in_addresses WHERE key = ?5 AND last_at > ?6)
         RETURNING id`,
      )
      .bind(keys.account, at, since, MAX_FAILURES, keys.known, knownSince),
    // Rows older than a day are of no further use: keep the table small.
    d1
      .prepare("DELETE FROM login_failures WHERE failed_at < ?")
      .bind(new Date(now.getTime() - 86_400_000).toISOString()),
  ]);
  const ids = [...address!.results, ...account!.results].map((row) => row.id);
  if (ids.length === 2) return { allowed: true, keys, ids };
  const blocking = [
    address!.results.length === 0 ? keys.address : null,
    account!.results.length === 0 ? keys.account : null,
  ];
  return {
    allowed: false,
    waitMinutes: await waitMinutes(
      db,
      blocking.filter((k): k is string => k !== null),
      now,
    ),
  };
}

/** Minutes until the oldest attempt of the fullest of these keys leaves the window (at least 1). */
async function waitMinutes(db: Db, keys: string[], now: Date): Promise<number> {
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const rows = await db
    .select({ n: sql<number>`count(*)`, oldest: sql<string>`min(${loginFailures.failedAt})` })
    .from(loginFailures)
    .where(and(inArray(loginFailures.key, keys), gt(loginFailures.failedAt, since)))
    .groupBy(loginFailures.key);
  let waitMs = 0;
  for (const row of rows) waitMs = Math.max(waitMs, Date.parse(row.oldest) + FAILURE_WINDOW_MS - now.getTime());
  return Math.max(1, Math.ceil(waitMs / 60_000));
}

/** A successful sign-in: its attempt was no failure, and its address is now known for the account. */
export async function signedIn(db: Db, attempt: Extract<SignInAttempt, { allowed: true }>, now: Date): Promise<void> {
  const d1 = db.$client;
  await d1.batch([
    d1
      .prepare(`DELETE FROM login_failures WHERE id IN (${attempt.ids.map(() => "?").join(", ")})`)
      .bind(...attempt.ids),
    d1
      .prepare(
        "INSERT INTO sign_in_addresses (key, last_at) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET last_at = excluded.last_at",
      )
      .bind(attempt.keys.known, now.toISOString()),
    d1
      .prepare("DELETE FROM sign_in_addresses WHERE last_at < ?")
      .bind(new Date(now.getTime() - KNOWN_ADDRESS_DAYS * 86_400_000).toISOString()),
  ]);
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
