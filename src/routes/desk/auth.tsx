/**
 * Signing in and out of the desk, and the guard every other desk route sits behind: a live
 * session of an active user, and on every state-changing request the session's CSRF token
 * (form field `_csrf` or header `X-CSRF-Token`) on top of hono/csrf's origin check.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { csrfMatches, endSession, readSession, startSession } from "../../auth/session.ts";
import { clientIp, decoyHash, signedIn, signInKeys, takeSignInAttempt } from "../../auth/throttle.ts";
import { staffByUsername } from "../../stores/staff.ts";
import { loadStaffUser } from "../../desk/access.ts";
import type { DeskEnv } from "../../desk/context.ts";
import { labels } from "../../desk/labels.ts";
import { LoginForm } from "../../desk/pages/login.tsx";
import { verifyPassword } from "../../patients/password.ts";

export const deskAuth = new Hono<DeskEnv>();

deskAuth.get("/login", (c) =>
  c.render(<LoginForm action="/desk/login" loginLabel={labels.username} loginName="username" />, {
    title: labels.signIn,
  }),
);

deskAuth.post("/login", async (c) => {
  const form = await c.req.parseBody();
  const username = typeof form.username === "string" ? form.username.trim().slice(0, 64) : "";
  const password = typeof form.password === "string" ? form.password.slice(0, 200) : "";
  const db = c.var.db;
  const now = new Date();
  const keys = signInKeys(
    "staff",
    username,
    clientIp((n) => c.req.header(n)),
  );
  const page = (error: string, status: 401 | 429) => {
    c.status(status);
    return c.render(
      <LoginForm
        action="/desk/login"
        loginLabel={labels.username}
        loginName="username"
        value={username}
        error={error}
      />,
      { title: labels.signIn },
    );
  };
  // Counted before the password is checked: parallel guesses cannot slip past the limit.
  const attempt = await takeSignInAttempt(db, keys, now);
  if (!attempt.allowed) return page(labels.throttled(attempt.waitMinutes), 429);
  const user = username ? await staffByUsername(db, username) : undefined;
  const ok = user?.active
    ? await verifyPassword(password, {
        hash: user.passwordHash,
        salt: user.passwordSalt,
        iterations: user.passwordIterations,
      })
    : (await verifyPassword(password, await decoyHash()), false);
  if (!ok || !user) return page(labels.badCredentials, 401);
  await signedIn(db, attempt, now);
  await startSession(c, db, "staff", user.id, now);
  return c.redirect("/desk", 303);
});

/** Everything after this needs a signed-in, active user; changes need the session's CSRF token too. */
export const requireStaff: MiddlewareHandler<DeskEnv> = async (c, next) => {
  const db = c.var.db;
  const session = await readSession(c, db, "staff", new Date());
  const user = session && (await loadStaffUser(db, session.subjectId));
  if (!session || !user) {
    if (c.req.method === "GET" && !c.req.path.endsWith("/rows") && !c.req.path.endsWith("/now"))
      return c.redirect("/desk/login", 303);
    return c.text("Please sign in again.", 401);
  }
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    const header = c.req.header("x-csrf-token");
    const given = header ?? (await c.req.parseBody())._csrf;
    if (!csrfMatches(session, typeof given === "string" ? given : undefined))
      return c.text("This form has expired. Please go back, reload the page and try again.", 403);
  }
  c.set("session", session);
  c.set("staff", user);
  await next();
};

deskAuth.post("/logout", requireStaff, async (c) => {
  await endSession(c, c.var.db, "staff", new Date());
  return c.redirect("/desk/login", 303);
});
