/** Schedule routes: weekly hours, leave, days off and clinic holidays, each through the booking service. */
import { Hono } from "hono";
import { audit } from "../../auth/audit.ts";
import { ScheduleError } from "../../booking/schedule.ts";
import { getClinic, type Clinic } from "../../db/directory.ts";
import { actorOf, canManageClinic, doctorOwner } from "../../desk/access.ts";
import { bookingService, parseId, type DeskContext, type DeskEnv } from "../../desk/context.ts";
import { ConfirmLeavePage, SchedulePage, type FormState } from "../../desk/pages/schedule.tsx";
import { appointmentsOn, clinicSchedules } from "../../desk/schedule-data.ts";
import { readLeave, readWeeklyHours } from "../../desk/schedule-form.ts";
import { formatMinute, localClock } from "../../slots/calendar.ts";
import { flash, takeFlash } from "./flash.ts";
import { deny } from "./pages.tsx";

export const deskSchedule = new Hono<DeskEnv>();

type Form = Record<string, string | File | (string | File)[]>;
const formValues = (form: Form) =>
  Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === "string"));

/** The clinic, if the user may manage it; otherwise the refusal. */
async function managedClinic(c: DeskContext, clinicId: number | null): Promise<Clinic | Response> {
  const clinic = clinicId === null ? undefined : await getClinic(c.var.db, clinicId);
  if (!clinic) return deny(c, 404);
  if (!canManageClinic(c.var.staff, clinic.id)) return deny(c, 403);
  return clinic;
}

/** The doctor and their clinic, if the user may manage that clinic. */
async function managedDoctor(c: DeskContext) {
  const doctorId = parseId(c.req.param("doctorId"));
  const doctor = doctorId === null ? undefined : await doctorOwner(c.var.db, doctorId);
  if (!doctor) return deny(c, 404);
  const clinic = await managedClinic(c, doctor.clinicId);
  return clinic instanceof Response ? clinic : { doctor, clinic };
}

async function renderSchedule(
  c: DeskContext,
  clinic: Clinic,
  extra: { notice?: { text: string; error?: boolean }; state?: FormState } = {},
  status: 200 | 400 | 409 = 200,
) {
  const db = c.var.db;
  const today = localClock(new Date(), clinic.timezone).date;
  const [doctors, stranded] = await Promise.all([
    clinicSchedules(db, clinic.id, today),
    bookingService(c).strandedAppointments(clinic.id),
  ]);
  c.status(status);
  return c.render(
    <SchedulePage
      clinic={clinic}
      today={today}
      doctors={doctors}
      stranded={stranded}
      csrf={c.var.session.csrfToken}
      notice={extra.notice ?? takeFlash(c)}
      state={extra.state}
    />,
    { title: "Schedules" },
  );
}

deskSchedule.get("/clinics/:clinicId/schedule", async (c) => {
  const clinic = await managedClinic(c, parseId(c.req.param("clinicId")));
  return clinic instanceof Response ? clinic : renderSchedule(c, clinic);
});

deskSchedule.post("/doctors/:doctorId/hours", async (c) => {
  const scope = await managedDoctor(c);
  if (scope instanceof Response) return scope;
  const form = await c.req.parseBody();
  const { value, errors } = readWeeklyHours(form);
  const state = { form: `hours-${scope.doctor.id}`, errors, values: formValues(form) };
  if (!value) return renderSchedule(c, scope.clinic, { state }, 400);
  try {
    const stranded = await bookingService(c).setWeeklyHours(scope.doctor.id, value);
    await audit(
      c.var.db,
      {
        actor: actorOf(c.var.staff),
        clinicId: scope.clinic.id,
        action: "doctor.hours",
        detail: { doctorId: scope.doctor.id, hours: value },
      },
      new Date(),
    );
    const note = stranded.length
      ? ` ${stranded.length} appointment(s) now fall outside the hours: ${stranded
          .map((a) => `${a.token} ${a.date} ${formatMinute(a.startMinute)}`)
          .join(", ")}. They keep their time; call these patients.`
      : "";
    return renderSchedule(c, scope.clinic, { notice: { text: `Hours saved for ${scope.doctor.name}.${note}` } });
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    return renderSchedule(c, scope.clinic, { state: { ...state, errors: { "hours-all": error.message } } }, 400);
  }
});

/** Leave for some doctors (one doctor's leave, or every active doctor for a clinic holiday). */
async function addLeave(
  c: DeskContext,
  clinic: Clinic,
  doctors: { id: number; name: string }[],
  what: { form: string; label: string; action: string; auditAction: string },
) {
  const db = c.var.db;
  const form = await c.req.parseBody();
  const today = localClock(new Date(), clinic.timezone).date;
  const schedules = await clinicSchedules(db, clinic.id, today);
  // One doctor's leave may not overlap their own; a holiday may cover days some doctors already have off.
  const alreadyOff =
    doctors.length === 1
      ? new Set(schedules.find((s) => s.id === doctors[0]!.id)?.daysOff.map((d) => d.date) ?? [])
      : new Set<string>();
  const { value, errors } = readLeave(form, today, alreadyOff);
  if (!value) return renderSchedule(c, clinic, { state: { form: what.form, errors, values: formValues(form) } }, 400);
  const affected = await appointmentsOn(
    db,
    doctors.map((d) => d.id),
    value.dates,
    clinic.timezone,
  );
  if (affected.length > 0 && form.confirm !== "yes") {
    return c.render(
      <ConfirmLeavePage
        action={what.action}
        what={what.label}
        dates={value.dates}
        reason={value.reason}
        affected={affected}
        csrf={c.var.session.csrfToken}
        backHref={`/desk/clinics/${clinic.id}/schedule`}
      />,
      { title: `Confirm ${what.label}` },
    );
  }
  const service = bookingService(c);
  let cancelled = 0;
  try {
    for (const doctor of doctors) {
      const done = await service.addDaysOff(doctor.id, value.dates, { reason: value.reason, cancelAffected: true });
      cancelled += done.length;
    }
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    return renderSchedule(
      c,
      clinic,
      { state: { form: what.form, errors: { from: error.message }, values: formValues(form) } },
      400,
    );
  }
  await audit(
    db,
    {
      actor: actorOf(c.var.staff),
      clinicId: clinic.id,
      action: what.auditAction,
      detail: { doctorIds: doctors.map((d) => d.id), dates: value.dates, reason: value.reason, cancelled },
    },
    new Date(),
  );
  const range = value.dates.length === 1 ? value.dates[0] : `${value.dates[0]} to ${value.dates.at(-1)}`;
  flash(
    c,
    `${what.label[0]!.toUpperCase()}${what.label.slice(1)} added for ${range}; ${cancelled} appointment(s) cancelled and texted.`,
  );
  return c.redirect(`/desk/clinics/${clinic.id}/schedule`, 303);
}

deskSchedule.post("/doctors/:doctorId/leave", async (c) => {
  const scope = await managedDoctor(c);
  if (scope instanceof Response) return scope;
  return addLeave(c, scope.clinic, [scope.doctor], {
    form: `leave-${scope.doctor.id}`,
    label: `leave for ${scope.doctor.name}`,
    action: `/desk/doctors/${scope.doctor.id}/leave`,
    auditAction: "doctor.leave",
  });
});

deskSchedule.post("/clinics/:clinicId/holidays", async (c) => {
  const clinic = await managedClinic(c, parseId(c.req.param("clinicId")));
  if (clinic instanceof Response) return clinic;
  const today = localClock(new Date(), clinic.timezone).date;
  const doctors = (await clinicSchedules(c.var.db, clinic.id, today)).filter((d) => d.active);
  return addLeave(c, clinic, doctors, {
    form: "holiday",
    label: "clinic holiday",
    action: `/desk/clinics/${clinic.id}/holidays`,
    auditAction: "clinic.holiday",
  });
});

deskSchedule.post("/doctors/:doctorId/days-off/remove", async (c) => {
  const scope = await managedDoctor(c);
  if (scope instanceof Response) return scope;
  const date = (await c.req.parseBody()).date;
  const known = (await clinicSchedules(c.var.db, scope.clinic.id, "0000-00-00"))
    .find((d) => d.id === scope.doctor.id)
    ?.daysOff.some((d) => d.date === date);
  if (typeof date !== "string" || !known)
    return renderSchedule(c, scope.clinic, { notice: { text: "That day is not a day off.", error: true } }, 400);
  await bookingService(c).removeDayOff(scope.doctor.id, date);
  await audit(
    c.var.db,
    {
      actor: actorOf(c.var.staff),
      clinicId: scope.clinic.id,
      action: "doctor.day_off_removed",
      detail: { doctorId: scope.doctor.id, date },
    },
    new Date(),
  );
  flash(c, `${scope.doctor.name} works on ${date} again.`);
  return c.redirect(`/desk/clinics/${scope.clinic.id}/schedule`, 303);
});
