/**
 * Signing in and out of the desk, and the guard every other desk route sits behind: a live
 * session of an active user, and on every state-changing request the session's CSRF token
 * (form field `_csrf` or header `X-CSRF-Token`) on top of hono/csrf's origin check.
 */
import { Hono } from "hono";
import { endSession, startSession } from "../../auth/session.ts";
import { clientIp, decoyHash, signedIn, signInKeys, takeSignInAttempt } from "../../auth/throttle.ts";
import { staffByUsername } from "../../stores/staff.ts";
import { loadStaffUser, type StaffUser } from "../../desk/access.ts";
import type { DeskEnv } from "../../desk/context.ts";
import { labels } from "../../desk/labels.ts";
import { LoginForm } from "../../desk/pages/login.tsx";
import { requireSession, type SessionGuard } from "../../middleware/pages.ts";
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
export const staffGuard: SessionGuard<DeskEnv, StaffUser> = {
  kind: "staff",
  load: loadStaffUser,
  // The queue's live parts poll: a lapsed session answers 401 there, not a sign-in page.
  redirectsToSignIn: (method, path) => method === "GET" && !path.endsWith("/rows") && !path.endsWith("/now"),
  signInPath: "/desk/login",
  enter: (c, session, user) => {
    c.set("session", session);
    c.set("staff", user);
  },
};
export const requireStaff = requireSession(staffGuard);

deskAuth.post("/logout", requireStaff, async (c) => {
  await endSession(c, c.var.db, "staff", new Date());
  return c.redirect("/desk/login", 303);
});
