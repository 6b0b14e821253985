/**
 * The security stack of the web pages people sign in to: the clinic desk (/desk) and the
 * patient's page (/me) mount the same one, so neither can drift from the other. In order:
 * no-store (their answers carry phone numbers and health data), secure headers with one
 * content security policy, hono/csrf's origin check, a body limit, and the page frame
 * (renderer). `requireSession` is the guard behind sign-in: a live session of a known subject,
 * and the session's CSRF token on every change. The provider webhooks elsewhere are cross-site
 * posts by design, so none of this applies to them.
 */
import type { Hono, MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import { jsxRenderer } from "hono/jsx-renderer";
import { secureHeaders } from "hono/secure-headers";
import { smallBodies } from "../auth/limits.ts";
import { noStore } from "../auth/no-store.ts";
import { sameOrigin } from "../auth/origin.ts";
import { csrfMatches, readSession, type Session, type SessionKind } from "../auth/session.ts";
import type { AppEnv } from "../context.ts";
import type { Db } from "../db/client.ts";

/** What a page hands the frame: its title, and `bare` for a waiting-room screen with no header. */
export interface PageProps {
  title: string;
  bare?: boolean;
}

declare module "hono" {
  interface ContextRenderer {
    (content: string | Promise<string>, props: PageProps): Response | Promise<Response>;
  }
}

export interface PageStackOptions {
  /** The frame around every page (header, navigation, sign-out), given the page and its props. */
  frame: NonNullable<Parameters<typeof jsxRenderer>[0]>;
  /** The body limit; the smallest one (forms) unless a route takes more. */
  bodies?: MiddlewareHandler;
}

export const PAGE_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Mounts the stack on a product's app, before any of its routes. */
export function mountPageStack<E extends AppEnv>(app: Hono<E>, options: PageStackOptions): void {
  app.use("*", noStore);
  app.use("*", secureHeaders({ contentSecurityPolicy: PAGE_SECURITY_POLICY }));
  app.use("*", csrf({ origin: sameOrigin }));
  app.use("*", options.bodies ?? smallBodies);
  app.use("*", jsxRenderer(options.frame));
}

export interface SessionGuard<E extends AppEnv, Subject> {
  kind: SessionKind;
  /** The session's subject (staff user, patient account), or nothing when it no longer exists. */
  load: (db: Db, subjectId: number) => Promise<Subject | null | undefined>;
  /** Whether a request without a session is sent to sign in (a page) or refused with 401 (a change, a poll). */
  redirectsToSignIn: (method: string, path: string) => boolean;
  signInPath: string;
  /** Puts the session and its subject on the context; a Response stops the request there. */
  enter: (c: Parameters<MiddlewareHandler<E>>[0], session: Session, subject: Subject) => Response | void;
  /** An API's guard: never redirects, refuses in JSON (`{ error }`) and takes the CSRF token from its header only. */
  json?: boolean;
}

/** Everything after this needs a signed-in subject; changes need the session's CSRF token too. */
export function requireSession<E extends AppEnv, Subject>(guard: SessionGuard<E, Subject>): MiddlewareHandler<E> {
  return async (c, next) => {
    const db = c.var.db;
    const session = await readSession(c, db, guard.kind, new Date());
    const subject = session && (await guard.load(db, session.subjectId));
    if (!session || !subject) {
      if (guard.json) return c.json({ error: "sign in first" }, 401);
      if (guard.redirectsToSignIn(c.req.method, c.req.path)) return c.redirect(guard.signInPath, 303);
      return c.text("Please sign in again.", 401);
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      // A form echoes the token in `_csrf`; the desk's script and API clients send it as a header.
      const given = c.req.header("x-csrf-token") ?? (guard.json ? undefined : (await c.req.parseBody())._csrf);
      if (!csrfMatches(session, typeof given === "string" ? given : undefined))
        return guard.json
          ? c.json({ error: "missing or wrong X-CSRF-Token" }, 403)
          : c.text("This form has expired. Please go back, reload the page and try again.", 403);
    }
    const stop = guard.enter(c, session, subject);
    if (stop) return stop;
    await next();
  };
}
