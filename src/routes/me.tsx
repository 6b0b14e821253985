/**
 * The patient's page at /me: sign in with the phone number and a temporary password sent by
 * SMS when asked for on the sign-in page (which must then be replaced), see upcoming and past appointments, cancel one
 * through the booking service. The same security stack as the desk (middleware/pages.ts):
 * server-side sessions, CSRF tokens on every form plus hono/csrf's origin check, no-store, and
 * sign-in throttling.
 */
import { Hono } from "hono";
import { audit } from "../auth/audit.ts";
import { endAllSessions, endSession, startSession, type Session } from "../auth/session.ts";
import {
  clientIp,
  decoyHash,
  passwordSmsLimits,
  signedIn,
  signInKeys,
  takeRequest,
  takeSignInAttempt,
} from "../auth/throttle.ts";
import type { AppEnv, AppVariables } from "../context.ts";
import { bookingService, parseId } from "../desk/context.ts";
import { labels } from "../desk/labels.ts";
import { Layout } from "../desk/pages/layout.tsx";
import { LoginForm } from "../desk/pages/login.tsx";
import { myAppointments } from "../me/appointments.ts";
import { MyPage, PasswordBySms, PasswordPage } from "../me/pages.tsx";
import { accountById, accountByLogin, setPassword } from "../stores/accounts.ts";
import { enqueueJobs } from "../jobs/queue.ts";
import { mountPageStack, requireSession } from "../middleware/pages.ts";
import { publicUrl } from "../middleware/twilio-webhook.ts";
import { hashPassword, verifyPassword } from "../patients/password.ts";
import { checkPatientPassword } from "../patients/account.ts";
import { normalizePhone } from "../patients/phone.ts";
import { preferredLanguage, rememberLanguage } from "../stores/patients.ts";
import { CATALOGUES, isLanguage } from "../words/index.ts";

interface Account {
  id: number;
  patientId: number;
  phone: string;
  mustChangePassword: boolean;
}
interface MeEnv extends AppEnv {
  Variables: AppVariables & { account: Account; session: Session };
}

export const me = new Hono<MeEnv>({ strict: false });
const PRODUCT = "My appointments";

mountPageStack(me, {
  frame: ({ children, title }, c) => {
    const account = c.get("account") as Account | undefined;
    const session = c.get("session") as Session | undefined;
    return (
      <Layout
        title={title}
        product={PRODUCT}
        logout={
          account && session
            ? { action: "/me/logout", name: `…${account.phone.slice(-4)}`, csrf: session.csrfToken }
            : undefined
        }
      >
        {children}
      </Layout>
    );
  },
});

const loginPage = (error?: string, value?: string, bySms?: { text: string; error?: boolean }) => (
  <>
    <LoginForm action="/me/login" loginLabel="Mobile number" loginName="phone" value={value} error={error} />
    <PasswordBySms {...(bySms ? { notice: bySms } : {})} />
  </>
);

me.get("/login", (c) => c.render(loginPage(), { title: labels.signIn }));

me.post("/login", async (c) => {
  const form = await c.req.parseBody();
  const raw = typeof form.phone === "string" ? form.phone.slice(0, 32) : "";
  const password = typeof form.password === "string" ? form.password.slice(0, 200) : "";
  const phone = normalizePhone(raw) ?? raw.trim();
  const db = c.var.db;
  const now = new Date();
  const keys = signInKeys(
    "patient",
    phone,
    clientIp((n) => c.req.header(n)),
  );
  // Counted before the password is checked: parallel guesses cannot slip past the limit.
  const attempt = await takeSignInAttempt(db, keys, now);
  if (!attempt.allowed) {
    c.status(429);
    return c.render(loginPage(labels.throttled(attempt.waitMinutes), raw), { title: labels.signIn });
  }
  const account = await accountByLogin(db, phone);
  const check = account
    ? await checkPatientPassword(db, account, password, now)
    : (await verifyPassword(password, await decoyHash()), "wrong");
  if (check === "wrong" || !account) {
    c.status(401);
    return c.render(loginPage("The number or password is not right.", raw), { title: labels.signIn });
  }
  await signedIn(db, attempt, now);
  await startSession(c, db, "patient", account.id, now);
  return c.redirect(check === "temporary" || account.mustChangePassword ? "/me/password" : "/me", 303);
});

/**
 * A temporary password by SMS, asked for on the sign-in page. Each request is counted per
 * number and per address before anything else (at most PASSWORD_SMS_LIMITS), so the form
 * cannot be used to text a number over and over; the answer never says whether the number is
 * known. The password is made and sent by a queue job (patients/account.ts).
 */
me.post("/password-by-sms", async (c) => {
  const form = await c.req.parseBody();
  const raw = typeof form.phone === "string" ? form.phone.slice(0, 32) : "";
  const phone = normalizePhone(raw);
  if (!phone) {
    c.status(400);
    return c.render(
      loginPage(undefined, undefined, { text: "Please enter a mobile number, like 98450 12345.", error: true }),
      {
        title: labels.signIn,
      },
    );
  }
  const db = c.var.db;
  const now = new Date();
  const ip = clientIp((n) => c.req.header(n));
  const allowed = await takeRequest(db, passwordSmsLimits(phone, ip), now);
  if (!allowed) {
    c.status(429);
    return c.render(
      loginPage(undefined, undefined, {
        text: "Too many passwords were asked for. Please use the last one we sent, or try again tomorrow.",
        error: true,
      }),
      { title: labels.signIn },
    );
  }
  const { config } = c.var;
  await enqueueJobs(c.env.JOBS, [
    { accountFor: phone, callbackBase: new URL(publicUrl(c.req.url, config.publicBaseUrl)).origin },
  ]);
  await audit(db, { actor: `ip:${ip}`, clinicId: null, action: "patient.password-by-sms" }, now);
  return c.render(
    loginPage(undefined, phone, {
      text: `If …${phone.slice(-4)} has booked with us, a temporary password is on its way by SMS. It may take a minute.`,
    }),
    { title: labels.signIn },
  );
});

const requirePatient = requireSession<MeEnv, Account>({
  kind: "patient",
  load: accountById,
  redirectsToSignIn: (method) => method === "GET",
  signInPath: "/me/login",
  enter: (c, session, account) => {
    c.set("session", session);
    c.set("account", account);
    // The temporary password from the SMS opens only the page that replaces it.
    if (account.mustChangePassword && !["/me/password", "/me/logout"].includes(c.req.path))
      return c.redirect("/me/password", 303);
  },
});
me.use("*", requirePatient);

me.post("/logout", async (c) => {
  await endSession(c, c.var.db, "patient", new Date());
  return c.redirect("/me/login", 303);
});

me.get("/password", (c) =>
  c.render(<PasswordPage csrf={c.var.session.csrfToken} forced={c.var.account.mustChangePassword} errors={{}} />, {
    title: "Password",
  }),
);

me.post("/password", async (c) => {
  const form = await c.req.parseBody();
  const field = (name: string) => (typeof form[name] === "string" ? (form[name] as string).slice(0, 200) : "");
  const account = c.var.account;
  const stored = (await accountByLogin(c.var.db, account.phone))!;
  const errors: Record<string, string> = {};
  const next = field("password");
  if (
    !(await verifyPassword(field("current"), { hash: stored.hash, salt: stored.salt, iterations: stored.iterations }))
  )
    errors.current = "That is not your current password.";
  if (next.length < 8) errors.password = "At least 8 characters.";
  else if (next === field("current")) errors.password = "Choose a password different from the current one.";
  if (field("again") !== next) errors.again = "The two new passwords differ.";
  if (Object.keys(errors).length) {
    c.status(400);
    return c.render(
      <PasswordPage csrf={c.var.session.csrfToken} forced={account.mustChangePassword} errors={errors} />,
      {
        title: "Password",
      },
    );
  }
  const hashed = await hashPassword(next);
  const db = c.var.db;
  const now = new Date();
  await setPassword(db, account.id, hashed);
  // Sessions opened with the old password end; this browser signs in afresh with the new one.
  await endAllSessions(db, "patient", account.id, now);
  await startSession(c, db, "patient", account.id, now);
  await audit(db, { actor: `patient:${account.patientId}`, clinicId: null, action: "patient.password" }, now);
  return c.redirect("/me", 303);
});

/** Tokens are echoed back in the notice after a redirect: only ever a token's shape. */
const TOKEN = /^[A-Z]{1,3}-\d{1,4}$/;

me.get("/", async (c) => {
  const { upcoming, past } = await myAppointments(c.var.db, c.var.account.patientId, new Date());
  const flashed = c.req.query("cancelled");
  const moved = c.req.query("moved");
  const language = await preferredLanguage(c.var.db, c.var.account.phone);
  return c.render(
    <MyPage
      upcoming={upcoming}
      past={past}
      csrf={c.var.session.csrfToken}
      languages={c.var.config.languages.map((code) => ({ code, name: CATALOGUES[code].name }))}
      language={language}
      notice={
        flashed && TOKEN.test(flashed)
          ? { text: `Cancelled ${flashed}. An SMS confirms it.` }
          : moved && TOKEN.test(moved)
            ? { text: `Moved: your new token is ${moved}. An SMS confirms it.` }
            : c.req.query("language") === "saved"
              ? { text: "Language saved: calls and SMS from the line use it." }
              : undefined
      }
    />,
    { title: PRODUCT },
  );
});

/** The patient's language for calls and SMS (patients.preferred_language), one the line offers. */
me.post("/language", async (c) => {
  const chosen = (await c.req.parseBody()).language;
  if (typeof chosen !== "string" || !isLanguage(chosen) || !c.var.config.languages.includes(chosen))
    return c.text("Choose one of the line's languages.", 400);
  await rememberLanguage(c.var.db, c.var.account.phone, chosen);
  return c.redirect("/me?language=saved", 303);
});

me.post("/appointments/:appointmentId/cancel", async (c) => {
  const id = parseId(c.req.param("appointmentId"));
  const account = c.var.account;
  const cancelled = id === null ? null : await bookingService(c).cancelForPatient(account.phone, id);
  if (!cancelled) {
    const { upcoming, past } = await myAppointments(c.var.db, account.patientId, new Date());
    c.status(404);
    return c.render(
      <MyPage
        upcoming={upcoming}
        past={past}
        csrf={c.var.session.csrfToken}
        notice={{ text: "That is not one of your upcoming appointments.", error: true }}
      />,
      { title: PRODUCT },
    );
  }
  await audit(
    c.var.db,
    {
      actor: `patient:${account.patientId}`,
      clinicId: cancelled.clinicId,
      action: "appointment.cancelled",
      detail: { appointmentId: cancelled.id, token: cancelled.token, via: "me" },
    },
    new Date(),
  );
  return c.redirect(`/me?cancelled=${encodeURIComponent(cancelled.token)}`, 303);
});

me.post("/appointments/:appointmentId/move", async (c) => {
  const id = parseId(c.req.param("appointmentId"));
  const account = c.var.account;
  const result =
    id === null
      ? ({ kind: "not-found" } as const)
      : await bookingService(c).moveForPatient(account.phone, id, {
          actor: `patient:${account.patientId}`,
          clinicId: null,
          action: "appointment.moved",
          detail: { via: "me" },
        });
  if (result.kind === "moved") return c.redirect(`/me?moved=${encodeURIComponent(result.token)}`, 303);
  const { upcoming, past } = await myAppointments(c.var.db, account.patientId, new Date());
  const text =
    result.kind === "not-found"
      ? "That is not one of your upcoming appointments."
      : result.kind === "no-later-time"
        ? "The doctor has no later free time; please call the clinic line."
        : "That appointment could not be moved just now; please look at it again.";
  c.status(result.kind === "not-found" ? 404 : 409);
  return c.render(
    <MyPage upcoming={upcoming} past={past} csrf={c.var.session.csrfToken} notice={{ text, error: true }} />,
    { title: PRODUCT },
  );
});
