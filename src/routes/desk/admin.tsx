/** The admin's directory routes: clinics, specialities, doctors (through the booking service) and staff users. */
import { Hono } from "hono";
import { audit } from "../../auth/audit.ts";
import { endAllSessions } from "../../auth/session.ts";
import { ScheduleError } from "../../booking/schedule.ts";
import { violatedUniqueIndex } from "../../booking/conflicts.ts";
import { actorOf, doctorOwner } from "../../desk/access.ts";
import {
  directoryPage,
  existing,
  findClinic,
  findSpeciality,
  findStaffUser,
  listDistricts,
  type DirectoryCursor,
} from "../../desk/directory-page.ts";
import { bookingService, parseId, type DeskContext, type DeskEnv } from "../../desk/context.ts";
import { readClinic, readStaff } from "../../desk/directory-form.ts";
import { AdminPage, ClinicForm, type AdminView } from "../../desk/pages/admin.tsx";
import { generateTemporaryPassword, hashPassword } from "../../patients/password.ts";
import { addClinic, addSpeciality, updateClinic } from "../../stores/directory.ts";
import { addStaffUser, setStaffActive, setStaffPassword } from "../../stores/staff.ts";
import { deny } from "./pages.tsx";
import { flash, takeFlash } from "./flash.ts";

export const deskAdmin = new Hono<DeskEnv>();

deskAdmin.use("/admin/*", async (c, next) => (c.var.staff.role === "admin" ? next() : deny(c, 403)));
deskAdmin.use("/admin", async (c, next) => (c.var.staff.role === "admin" ? next() : deny(c, 403)));

type Form = Record<string, string | File | (string | File)[]>;
const formValues = (form: Form) =>
  Object.fromEntries(
    Object.entries(form).filter((e): e is [string, string] => typeof e[1] === "string" && e[0] !== "_csrf"),
  );

/** The page the URL asks for (`?after=` a clinic id, `?staff_after=` a username). */
function cursorOf(c: DeskContext): DirectoryCursor {
  return {
    afterClinic: parseId(c.req.query("after") ?? "") ?? 0,
    afterUser: (c.req.query("staff_after") ?? "").slice(0, 64),
  };
}

async function renderAdmin(c: DeskContext, extra: Partial<AdminView> = {}, status: 200 | 400 | 409 = 200) {
  const data = await directoryPage(c.var.db, cursorOf(c));
  c.status(status);
  return c.render(
    <AdminPage {...data} csrf={c.var.session.csrfToken} notice={extra.notice ?? takeFlash(c)} state={extra.state} />,
    { title: "Directory" },
  );
}

const record = (c: DeskContext, clinicId: number | null, action: string, detail: Record<string, unknown>) =>
  audit(c.var.db, { actor: actorOf(c.var.staff), clinicId, action, detail }, new Date());

deskAdmin.get("/admin", (c) => renderAdmin(c));

deskAdmin.post("/admin/clinics", async (c) => {
  const form = await c.req.parseBody();
  const districtRows = await listDistricts(c.var.db);
  const { value, errors } = readClinic(
    form,
    districtRows.map((d) => d.id),
  );
  if (!value) return renderAdmin(c, { state: { form: "clinic-new", errors, values: formValues(form) } }, 400);
  const id = await addClinic(c.var.db, value);
  await record(c, id, "clinic.add", { ...value });
  flash(c, `Clinic ${value.name} added. Add its doctors and a desk user next.`);
  return c.redirect("/desk/admin", 303);
});

async function editClinicPage(c: DeskContext, clinicId: number, state?: AdminView["state"], status: 200 | 400 = 200) {
  const db = c.var.db;
  const [clinic, districtRows] = await Promise.all([findClinic(db, clinicId), listDistricts(db)]);
  if (!clinic) return deny(c, 404);
  c.status(status);
  return c.render(
    <>
      <h1>Edit {clinic.name}</h1>
      <ClinicForm
        view={{ state, districts: districtRows, csrf: c.var.session.csrfToken }}
        form="clinic-edit"
        action={`/desk/admin/clinics/${clinic.id}`}
        clinic={clinic}
        submit="Save"
      />
      <p>
        <a href="/desk/admin">Back to the directory</a>
      </p>
    </>,
    { title: `Edit ${clinic.name}` },
  );
}

deskAdmin.get("/admin/clinics/:clinicId", async (c) => {
  const id = parseId(c.req.param("clinicId"));
  return id === null ? deny(c, 404) : editClinicPage(c, id);
});

deskAdmin.post("/admin/clinics/:clinicId", async (c) => {
  const id = parseId(c.req.param("clinicId"));
  if (id === null) return deny(c, 404);
  const form = await c.req.parseBody();
  const db = c.var.db;
  const [clinic, districtRows] = await Promise.all([findClinic(db, id), listDistricts(db)]);
  if (!clinic) return deny(c, 404);
  const { value, errors } = readClinic(
    form,
    districtRows.map((d) => d.id),
  );
  if (!value) return editClinicPage(c, id, { form: "clinic-edit", errors, values: formValues(form) }, 400);
  await updateClinic(c.var.db, id, value);
  await record(c, id, "clinic.edit", { ...value });
  // Calls cost the clinic money: who switched them, and when, has its own row to find.
  if (value.reminderCalls !== clinic.reminderCalls)
    await record(c, id, value.reminderCalls ? "clinic.reminder-calls.on" : "clinic.reminder-calls.off", {});
  flash(
    c,
    `Clinic ${value.name} saved${value.reminderCalls === clinic.reminderCalls ? "" : value.reminderCalls ? ": reminder calls on" : ": reminder calls off"}.`,
  );
  return c.redirect("/desk/admin", 303);
});

deskAdmin.post("/admin/specialities", async (c) => {
  const form = await c.req.parseBody();
  const name = typeof form.name === "string" ? form.name.trim().slice(0, 80) : "";
  const fail = (message: string) =>
    renderAdmin(c, { state: { form: "speciality", errors: { name: message }, values: formValues(form) } }, 400);
  if (!name) return fail("A speciality needs a name.");
  try {
    await addSpeciality(c.var.db, name);
  } catch {
    return fail(`${name} is already listed.`);
  }
  await record(c, null, "speciality.add", { name });
  flash(c, `Speciality ${name} added.`);
  return c.redirect("/desk/admin", 303);
});

deskAdmin.post("/admin/doctors", async (c) => {
  const form = await c.req.parseBody();
  const db = c.var.db;
  const clinicId = parseId(form.clinic);
  const specializationId = parseId(form.speciality);
  const errors: Record<string, string> = {};
  if (clinicId === null || !(await findClinic(db, clinicId))) errors.clinic = "Choose a clinic.";
  if (specializationId === null || !(await findSpeciality(db, specializationId)))
    errors.speciality = "Choose a speciality.";
  const name = typeof form.name === "string" ? form.name.trim() : "";
  if (!name) errors.name = "A doctor needs a name.";
  const state = { form: "doctor", errors, values: formValues(form) };
  if (Object.keys(errors).length || clinicId === null || specializationId === null)
    return renderAdmin(c, { state }, 400);
  try {
    const added = await bookingService(c).addDoctor({ clinicId, name, specializationId });
    await record(c, clinicId, "doctor.add", { doctorId: added.id, name, tokenPrefix: added.tokenPrefix });
    flash(c, `${name} added with token prefix ${added.tokenPrefix} (tokens like ${added.tokenPrefix}-1).`);
    return c.redirect("/desk/admin", 303);
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    return renderAdmin(c, { state: { ...state, errors: { name: error.message } } }, 400);
  }
});

deskAdmin.post("/admin/doctors/:doctorId/active", async (c) => {
  const id = parseId(c.req.param("doctorId"));
  const doctor = id === null ? undefined : await doctorOwner(c.var.db, id);
  if (!doctor || id === null) return deny(c, 404);
  const active = (await c.req.parseBody()).active === "1";
  let undelivered: string | undefined;
  try {
    await bookingService(c).setDoctorActive(id, active);
  } catch (error) {
    // Saved, but the line has not taken it yet: audited all the same, and said exactly so.
    if (!(error instanceof ScheduleError)) throw error;
    undelivered = error.message;
  }
  await record(c, doctor.clinicId, active ? "doctor.resume" : "doctor.stop", { doctorId: id });
  if (undelivered) return renderAdmin(c, { notice: { text: `${doctor.name}: ${undelivered}`, error: true } }, 409);
  flash(
    c,
    active
      ? `${doctor.name} takes bookings again.`
      : `${doctor.name} no longer takes bookings. Their booked patients are listed on the clinic's schedule page to call.`,
  );
  return c.redirect("/desk/admin", 303);
});

/** A new random password, shown once on the page (never logged, never stored in clear). */
async function newPassword() {
  const password = generateTemporaryPassword(12);
  return { password, hashed: await hashPassword(password) };
}

deskAdmin.post("/admin/staff", async (c) => {
  const form = await c.req.parseBody();
  const chosen = Object.keys(form)
    .filter((k) => /^clinic-\d+$/.test(k))
    .map((k) => Number(k.slice(7)));
  const known = await existing(c.var.db, chosen, parseId(form.doctor));
  const { value, errors } = readStaff(form, known.clinicIds, known.doctorIds);
  const state = { form: "staff", errors, values: formValues(form) };
  if (!value) return renderAdmin(c, { state }, 400);
  const { password, hashed } = await newPassword();
  try {
    await addStaffUser(c.var.db, value, hashed);
  } catch (error) {
    if (!/UNIQUE/.test(String(error)) && violatedUniqueIndex(error) === null) throw error;
    return renderAdmin(c, { state: { ...state, errors: { username: "That username is taken." } } }, 400);
  }
  await record(c, null, "staff.add", { username: value.username, role: value.role, clinicIds: value.clinicIds });
  return renderAdmin(c, {
    notice: { text: `User ${value.username} added. Password (shown once, hand it over in person): ${password}` },
  });
});

async function staffUser(c: DeskContext) {
  const id = parseId(c.req.param("userId"));
  return id === null ? undefined : findStaffUser(c.var.db, id);
}

deskAdmin.post("/admin/staff/:userId/active", async (c) => {
  const user = await staffUser(c);
  if (!user) return deny(c, 404);
  const active = (await c.req.parseBody()).active === "1";
  if (!active && user.id === c.var.staff.id)
    return renderAdmin(c, { notice: { text: "You cannot switch yourself off.", error: true } }, 409);
  const db = c.var.db;
  await setStaffActive(db, user.id, active);
  if (!active) await endAllSessions(db, "staff", user.id, new Date());
  await record(c, null, active ? "staff.on" : "staff.off", { userId: user.id, username: user.username });
  flash(c, `${user.username} is ${active ? "switched on" : "switched off and signed out everywhere"}.`);
  return c.redirect("/desk/admin", 303);
});

deskAdmin.post("/admin/staff/:userId/password", async (c) => {
  const user = await staffUser(c);
  if (!user) return deny(c, 404);
  const { password, hashed } = await newPassword();
  const db = c.var.db;
  await setStaffPassword(db, user.id, hashed);
  // The old password's sessions end with it.
  await endAllSessions(db, "staff", user.id, new Date());
  await record(c, null, "staff.password", { userId: user.id, username: user.username });
  return renderAdmin(c, { notice: { text: `New password for ${user.username} (shown once): ${password}` } });
});
