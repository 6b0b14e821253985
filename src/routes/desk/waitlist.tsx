/** The clinic's waitlist per doctor and day, and removing an entry (through the booking service). */
import { Hono } from "hono";
import { audit } from "../../auth/audit.ts";
import { getClinic, listDoctors } from "../../db/directory.ts";
import { actorOf, canManageClinic, canSeeClinic } from "../../desk/access.ts";
import { bookingService, parseId, type DeskContext, type DeskEnv } from "../../desk/context.ts";
import { WaitlistPage } from "../../desk/pages/waitlist.tsx";
import { addDays, localClock, localToInstant, parseDate } from "../../slots/calendar.ts";
import { deskEntries, weekFigures, type DeskEntry } from "../../stores/waitlist.ts";
import { deny } from "./pages.tsx";
import { flash, takeFlash } from "./flash.ts";

export const deskWaitlist = new Hono<DeskEnv>();

/** The clinic, if this user may see its waitlist (the desk and admins: it lists phone numbers). */
async function waitlistClinic(c: DeskContext, clinicParam: string | undefined) {
  const user = c.var.staff;
  const clinicId = parseId(clinicParam);
  const clinic = clinicId === null ? undefined : await getClinic(c.var.db, clinicId);
  if (!clinic) return { refused: deny(c, 404) };
  if (!canSeeClinic(user, clinic.id) || user.role === "doctor") return { refused: deny(c, 403) };
  return { clinic };
}

/** Monday of the clinic-local week `date` is in. */
function weekStart(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** An entry waits for this doctor when it names them, their speciality, or any doctor. */
function waitsForDoctor(entry: DeskEntry, doctor: { id: number; specializationId: number }): boolean {
  if (entry.doctorId !== 0) return entry.doctorId === doctor.id;
  return entry.specializationId === 0 || entry.specializationId === doctor.specializationId;
}

deskWaitlist.get("/clinics/:clinicId/waitlist", async (c) => {
  const scope = await waitlistClinic(c, c.req.param("clinicId"));
  if ("refused" in scope) return scope.refused;
  const { clinic } = scope;
  const db = c.var.db;
  const now = new Date();
  const today = localClock(now, clinic.timezone).date;
  const asked = c.req.query("date") ?? "";
  const date = parseDate(asked) && /^\d{4}-\d{2}-\d{2}$/.test(asked) && asked >= today ? asked : today;
  const doctors = await listDoctors(db, clinic.id);
  const doctorParam = c.req.query("doctor");
  const doctorId = doctorParam ? parseId(doctorParam) : null;
  const doctor = doctorId === null ? undefined : doctors.find((d) => d.id === doctorId);
  if (doctorParam && !doctor) return deny(c, 404);
  const since = localToInstant(weekStart(today), 0, clinic.timezone).toISOString();
  const [entries, week] = await Promise.all([
    deskEntries(db.$client, clinic.id, date, now.getTime()),
    weekFigures(db.$client, clinic.id, since),
  ]);
  const shown = entries.filter((e) => e.fromDate <= date && (!doctor || waitsForDoctor(e, doctor)));
  c.header("Cache-Control", "no-store");
  return c.render(
    <WaitlistPage
      clinic={clinic}
      date={date}
      doctors={doctors}
      doctorId={doctor?.id}
      entries={shown}
      week={week}
      csrf={c.var.session.csrfToken}
      canManage={canManageClinic(c.var.staff, clinic.id)}
      notice={takeFlash(c)}
    />,
    { title: "Waitlist" },
  );
});

deskWaitlist.post("/clinics/:clinicId/waitlist/:entryId/remove", async (c) => {
  const user = c.var.staff;
  const clinicId = parseId(c.req.param("clinicId"));
  const entryId = parseId(c.req.param("entryId"));
  if (clinicId === null || entryId === null) return deny(c, 404);
  if (!canManageClinic(user, clinicId)) return deny(c, 403);
  const removed = await bookingService(c).removeFromWaitlist(entryId, clinicId);
  if (!removed) {
    flash(c, "That entry is no longer on the waitlist.", true);
    return c.redirect(`/desk/clinics/${clinicId}/waitlist`, 303);
  }
  await audit(c.var.db, { actor: actorOf(user), clinicId, action: "waitlist.remove", detail: { entryId } }, new Date());
  flash(c, "Removed from the waitlist.");
  return c.redirect(`/desk/clinics/${clinicId}/waitlist`, 303);
});
