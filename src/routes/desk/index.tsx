/**
 * The clinic desk at /desk: server-rendered pages for clinic staff. hono/csrf (origin check)
 * and secure headers apply here only: the Twilio webhooks elsewhere are cross-site posts by
 * design. Every route after sign-in checks the session, the role and the clinic.
 */
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { smallBodies } from "../../auth/limits.ts";
import { log } from "../../log.ts";
import { sameOrigin } from "../../auth/origin.ts";
import { HTTPException } from "hono/http-exception";
import { jsxRenderer } from "hono/jsx-renderer";
import { secureHeaders } from "hono/secure-headers";
import { headerClinics, visibleClinics } from "../../desk/access.ts";
import { parseId, type DeskEnv } from "../../desk/context.ts";
import { Layout } from "../../desk/pages/layout.tsx";
import { DESK_SCRIPT } from "../../desk/script.ts";
import { deskAuth, requireStaff } from "./auth.tsx";
import { deskAdmin } from "./admin.tsx";
import { deskDisplay } from "./display.tsx";
import { deskQueue } from "./queue.tsx";
import { deskSchedule } from "./schedule.tsx";
import { deskWaitlist } from "./waitlist.tsx";
import { deskRecordings, RECORDING_PATH, recordingBodies } from "./recordings.tsx";

declare module "hono" {
  interface ContextRenderer {
    (content: string | Promise<string>, props: { title: string; bare?: boolean }): Response | Promise<Response>;
  }
}

export const desk = new Hono<DeskEnv>({ strict: false });

desk.use(
  "*",
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  }),
);
desk.use("*", csrf({ origin: sameOrigin }));
// A recording upload carries one audio clip; every other desk form stays small.
desk.use("*", (c, next) => (RECORDING_PATH.test(c.req.path) ? recordingBodies(c, next) : smallBodies(c, next)));
// hono/csrf refuses by throwing: answer with its 403, not the app's last-resort 503.
desk.onError((error, c) => {
  if (error instanceof HTTPException) return error.getResponse();
  log.error("desk: unhandled error", { method: c.req.method, path: c.req.path, error });
  return c.text("Sorry, something went wrong. Nothing was changed; please try again.", 500);
});
desk.use(
  "*",
  jsxRenderer(async ({ children, title, bare }, c) => {
    const user = c.get("staff") as DeskEnv["Variables"]["staff"] | undefined;
    const session = c.get("session") as DeskEnv["Variables"]["session"] | undefined;
    // With many clinics the header names only the one on screen (and links to the list), so it
    // stays one or two lines on a phone.
    const current = Number(/^\/desk\/(?:clinics|display)\/(\d+)/.exec(c.req.path)?.[1] ?? 0);
    const header = user ? await headerClinics(c.var.db, user, current) : undefined;
    return (
      <Layout
        title={title}
        user={user}
        csrf={session?.csrfToken}
        clinics={header?.clinics}
        bare={bare}
        allClinicsLink={Boolean(header?.many)}
      >
        {children}
      </Layout>
    );
  }),
);

desk.get("/assets/desk.js", (c) => {
  c.header("Content-Type", "text/javascript; charset=utf-8");
  c.header("Cache-Control", "public, max-age=300");
  return c.body(DESK_SCRIPT);
});
desk.route("/", deskAuth);
desk.use("*", requireStaff);

desk.get("/", async (c) => {
  const after = parseId(c.req.query("after") ?? "") ?? 0;
  const { clinics, more } = await visibleClinics(c.var.db, c.var.staff, after);
  if (clinics.length === 0 && after === 0)
    return c.render(<p>No clinic is assigned to you yet. Ask an admin.</p>, { title: "Desk" });
  if (clinics.length === 1 && after === 0 && !more) return c.redirect(`/desk/clinics/${clinics[0]!.id}/queue`, 303);
  return c.render(
    <>
      <h1>Clinics</h1>
      <ul id="clinics">
        {clinics.map((clinic) => (
          <li>
            <a href={`/desk/clinics/${clinic.id}/queue`}>{clinic.name}</a>
          </li>
        ))}
      </ul>
      {more && <a href={`/desk?after=${clinics.at(-1)!.id}`}>More clinics</a>}
    </>,
    { title: "Clinics" },
  );
});
desk.route("/", deskQueue);
desk.route("/", deskSchedule);
desk.route("/", deskDisplay);
desk.route("/", deskAdmin);
desk.route("/", deskRecordings);
desk.route("/", deskWaitlist);
