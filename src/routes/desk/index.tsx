/**
 * The clinic desk at /desk: server-rendered pages for clinic staff, behind the web pages'
 * security stack (middleware/pages.ts). Every route after sign-in checks the session, the role
 * and the clinic.
 */
import { Hono } from "hono";
import { headerClinics, visibleClinics } from "../../desk/access.ts";
import { parseId, type DeskEnv } from "../../desk/context.ts";
import { Layout } from "../../desk/pages/layout.tsx";
import { DESK_SCRIPT } from "../../desk/script.ts";
import { smallBodies } from "../../auth/limits.ts";
import { mountPageStack } from "../../middleware/pages.ts";
import { deskAuth, requireStaff } from "./auth.tsx";
import { deskAdmin } from "./admin.tsx";
import { deskDisplay } from "./display.tsx";
import { deskQueue } from "./queue.tsx";
import { deskSchedule } from "./schedule.tsx";
import { deskWaitlist } from "./waitlist.tsx";
import { deskRecordings, RECORDING_PATH, recordingBodies } from "./recordings.tsx";

export const desk = new Hono<DeskEnv>({ strict: false });

mountPageStack(desk, {
  // A recording upload carries one audio clip; every other desk form stays small.
  bodies: (c, next) => (RECORDING_PATH.test(c.req.path) ? recordingBodies(c, next) : smallBodies(c, next)),
  frame: async ({ children, title, bare }, c) => {
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
  },
});

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
