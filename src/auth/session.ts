/**
 * Server-side sessions for the desk and the patient page. The browser holds only a random
 * secret in an HttpOnly cookie; D1 holds its SHA-256 (so a copy of the table opens nothing),
 * who it belongs to, when it expires, whether it was signed out, and the CSRF token its forms
 * must echo.
 */
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Db } from "../db/client.ts";
import { sessions } from "../db/schema.ts";

export type SessionKind = "staff" | "patient";

export interface Session {
  kind: SessionKind;
  subjectId: number;
  csrfToken: string;
}

const COOKIE: Record<SessionKind, string> = { staff: "desk_session", patient: "me_session" };
/** A desk shift; a patient's visit to their page is shorter. */
const LIFETIME_MS: Record<SessionKind, number> = { staff: 12 * 3_600_000, patient: 3_600_000 };

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Secure everywhere but plain-http local development (wrangler dev on localhost). */
const isHttps = (c: Context) => new URL(c.req.url).protocol === "https:";

/**
 * On https the cookie carries the `__Host-` prefix: browsers then accept it only Secure, for
 * path / and from this host itself, so a sibling subdomain cannot plant or overwrite it.
 */
export function cookieName(c: Context, kind: SessionKind): string {
  return isHttps(c) ? `__Host-${COOKIE[kind]}` : COOKIE[kind];
}

export async function startSession(c: Context, db: Db, kind: SessionKind, subjectId: number, now: Date) {
  const secret = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = new Date(now.getTime() + LIFETIME_MS[kind]);
  // Rows long past their expiry serve nobody: each sign-in sweeps them (an indexed-free but small delete).
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date(now.getTime() - 7 * 86_400_000).toISOString()));
  await db.insert(sessions).values({
    id: await sha256(secret),
    kind,
    subjectId,
    csrfToken,
    expiresAt: expiresAt.toISOString(),
  });
  setCookie(c, cookieName(c, kind), secret, {
    httpOnly: true,
    secure: isHttps(c),
    sameSite: "Lax",
    path: "/",
    expires: expiresAt,
  });
  return { kind, subjectId, csrfToken } satisfies Session;
}

/** The live session the request's cookie names, or null (none, unknown, expired or signed out). */
export async function readSession(c: Context, db: Db, kind: SessionKind, now: Date): Promise<Session | null> {
  const secret = getCookie(c, cookieName(c, kind));
  if (!secret || secret.length > 100) return null;
  const row = await db
    .select({ subjectId: sessions.subjectId, csrfToken: sessions.csrfToken })
    .from(sessions)
    .where(
      and(
        eq(sessions.id, await sha256(secret)),
        eq(sessions.kind, kind),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now.toISOString()),
      ),
    )
    .get();
  return row ? { kind, ...row } : null;
}

/** Signs out: the row is revoked (so a copied cookie is dead too) and the cookie dropped. */
export async function endSession(c: Context, db: Db, kind: SessionKind, now: Date): Promise<void> {
  const secret = getCookie(c, cookieName(c, kind));
  if (secret && secret.length <= 100)
    await db
      .update(sessions)
      .set({ revokedAt: now.toISOString() })
      .where(eq(sessions.id, await sha256(secret)));
  deleteCookie(c, cookieName(c, kind), { path: "/", secure: isHttps(c) });
}

/** Revokes every session of a subject (a password change, a user switched off). */
export async function endAllSessions(db: Db, kind: SessionKind, subjectId: number, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now.toISOString() })
    .where(and(eq(sessions.kind, kind), eq(sessions.subjectId, subjectId), isNull(sessions.revokedAt)));
}

/** Constant-time comparison of the CSRF token a form or header echoes with the session's. */
export function csrfMatches(session: Session, given: string | undefined): boolean {
  if (!given || given.length !== session.csrfToken.length) return false;
  let diff = 0;
  for (let i = 0; i < given.length; i++) diff |= given.charCodeAt(i) ^ session.csrfToken.charCodeAt(i);
  return diff === 0;
}
