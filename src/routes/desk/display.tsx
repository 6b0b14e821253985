/** The token display for a waiting-room TV, and the clinic's numbers in charts: signed in as the clinic's desk, it needs no clicks after that. */
import { Hono } from "hono";
import { getClinic, listDoctors } from "../../db/directory.ts";
import { canManageClinic, canSeeClinic } from "../../desk/access.ts";
import { parseId, type DeskContext, type DeskEnv } from "../../desk/context.ts";
import { boards, DisplayBoards, DisplayPage } from "../../desk/pages/display.tsx";
import { StatsPage } from "../../desk/pages/stats.tsx";
import { dayQueue } from "../../desk/queue.ts";
import { clinicStats } from "../../desk/stats.ts";
import { localClock } from "../../slots/calendar.ts";
import { deny } from "./pages.tsx";

export const deskDisplay = new Hono<DeskEnv>();

async function clinicBoards(c: DeskContext) {
  const db = c.var.db;
  const clinicId = parseId(c.req.param("clinicId"));
  const clinic = clinicId === null ? undefined : await getClinic(db, clinicId);
  if (!clinic) return deny(c, 404);
  // Doctors are the clinic's to show: a doctor-role user is not a waiting-room screen.
  if (!canSeeClinic(c.var.staff, clinic.id) || c.var.staff.role === "doctor") return deny(c, 403);
  const rows = await dayQueue(db, clinic, localClock(new Date(), clinic.timezone).date, { maskPhones: true });
  return { clinic, boards: boards(await listDoctors(db, clinic.id), rows) };
}

deskDisplay.get("/display/:clinicId", async (c) => {
  const data = await clinicBoards(c);
  if (data instanceof Response) return data;
  return c.render(<DisplayPage clinic={data.clinic} boards={data.boards} />, { title: data.clinic.name, bare: true });
});

deskDisplay.get("/display/:clinicId/now", async (c) => {
  const data = await clinicBoards(c);
  if (data instanceof Response) return data;
  c.header("Cache-Control", "no-store");
  return c.html(<DisplayBoards boards={data.boards} />);
});

/** A clinic's numbers in charts (desk and admin). */
deskDisplay.get("/clinics/:clinicId/stats", async (c) => {
  const db = c.var.db;
  const clinicId = parseId(c.req.param("clinicId"));
  const clinic = clinicId === null ? undefined : await getClinic(db, clinicId);
  if (!clinic) return deny(c, 404);
  if (!canManageClinic(c.var.staff, clinic.id)) return deny(c, 403);
  return c.render(<StatsPage clinic={clinic} stats={await clinicStats(db, clinic, new Date())} />, {
    title: "Day's picture",
  });
});
