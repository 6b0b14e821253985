/** The admin's directory: clinics, specialities, doctors and staff users. */
import { displayNameOf } from "../directory-form.ts";
import type { StaffRole } from "../../db/schema.ts";
import { Csrf, Notice } from "./layout.tsx";

export interface AdminView {
  csrf: string;
  districts: { id: number; name: string }[];
  clinics: {
    id: number;
    name: string;
    address: string;
    timezone: string;
    phone: string | null;
    districtId: number;
    displayNames: string | null;
    openingHours: string | null;
    reminderCalls: boolean;
  }[];
  specialities: { id: number; name: string }[];
  doctors: {
    id: number;
    name: string;
    clinicId: number;
    specializationId: number;
    tokenPrefix: string | null;
    active: boolean;
  }[];
  staff: {
    id: number;
    username: string;
    role: StaffRole;
    active: boolean;
    clinicIds: number[];
    doctorId: number | null;
  }[];
  /** Names of the clinics and doctors the page's accounts refer to (possibly on other pages). */
  names: { clinics: Record<number, string>; doctors: Record<number, string> };
  /** Where the next page of clinics and of accounts starts (null: this is the last). */
  next: { afterClinic: number | null; afterUser: string | null };
  notice?: { text: string; error?: boolean } | undefined;
  /** Which form failed, its messages by field, and what was typed. */
  state?: { form: string; errors: Record<string, string>; values: Record<string, string> } | undefined;
}

function Err({ view, form, field }: { view: { state?: AdminView["state"] }; form: string; field: string }) {
  const message = view.state?.form === form ? view.state.errors[field] : undefined;
  return message ? <span class="field-error" role="alert">{` ${message}`}</span> : null;
}

const valueOf = (view: { state?: AdminView["state"] }, form: string, field: string, fallback = "") =>
  view.state?.form === form ? (view.state.values[field] ?? fallback) : fallback;

export function ClinicForm(props: {
  view: Pick<AdminView, "state" | "districts" | "csrf">;
  form: string;
  action: string;
  clinic?: AdminView["clinics"][number];
  submit: string;
}) {
  const { view, form, clinic } = props;
  return (
    <form method="post" action={props.action}>
      <Csrf token={view.csrf} />
      <label>
        Name <input name="name" value={valueOf(view, form, "name", clinic?.name)} maxlength={120} />
      </label>
      <Err view={view} form={form} field="name" />{" "}
      <label>
        Address <input name="address" value={valueOf(view, form, "address", clinic?.address)} maxlength={200} />
      </label>
      <Err view={view} form={form} field="address" />{" "}
      <label>
        Time zone{" "}
        <input
          name="timezone"
          value={valueOf(view, form, "timezone", clinic?.timezone ?? "Asia/Kolkata")}
          maxlength={64}
        />
      </label>
      <Err view={view} form={form} field="timezone" />{" "}
      <label>
        Reception phone <input name="phone" value={valueOf(view, form, "phone", clinic?.phone ?? "")} maxlength={20} />
      </label>
      <Err view={view} form={form} field="phone" />{" "}
      <label>
        Reception hours{" "}
        <input
          name="opening_hours"
          placeholder="1-6 0830-1800"
          value={valueOf(view, form, "opening_hours", clinic?.openingHours ?? "")}
          maxlength={20}
        />
      </label>
      <Err view={view} form={form} field="opening_hours" />{" "}
      <label lang="kn">
        Name in Kannada{" "}
        <input name="name_kn" value={valueOf(view, form, "name_kn", displayNameOf(clinic, "kn"))} maxlength={120} />
      </label>{" "}
      <label lang="hi">
        Name in Hindi{" "}
        <input name="name_hi" value={valueOf(view, form, "name_hi", displayNameOf(clinic, "hi"))} maxlength={120} />
      </label>{" "}
      <label>
        District{" "}
        <select name="district">
          {view.districts.map((d) => (
            <option value={String(d.id)} selected={d.id === clinic?.districtId}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <Err view={view} form={form} field="district" />{" "}
      <label>
        <input
          type="checkbox"
          name="reminder_calls"
          value="1"
          checked={
            view.state?.form === form ? view.state.values.reminder_calls === "1" : Boolean(clinic?.reminderCalls)
          }
        />{" "}
        Reminder calls (the evening before each appointment; a patient can press 9 to stop them)
      </label>{" "}
      <button type="submit">{props.submit}</button>
    </form>
  );
}

/** The clinics (a page of them, linked to their edit page) and the form that adds one. */
function ClinicsSection({ view }: { view: AdminView }) {
  return (
    <fieldset>
      <legend>Clinics</legend>
      <table>
        <tbody>
          {view.clinics.map((c) => (
            <tr>
              <td>
                <a href={`/desk/admin/clinics/${c.id}`}>{c.name}</a>
              </td>
              <td>{c.address}</td>
              <td>{c.timezone}</td>
              <td>{c.phone ?? ""}</td>
              <td>{c.reminderCalls ? "Reminder calls on" : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/desk/admin">First clinics</a>
        {view.next.afterClinic !== null && (
          <>
            {" · "}
            <a href={`/desk/admin?after=${view.next.afterClinic}`}>Next clinics</a>
          </>
        )}
      </p>
      <h3>Add a clinic</h3>
      <ClinicForm view={view} form="clinic-new" action="/desk/admin/clinics" submit="Add clinic" />
    </fieldset>
  );
}

/** The specialities, and the form that adds one. */
function SpecialitiesSection({ view }: { view: AdminView }) {
  return (
    <fieldset>
      <legend>Specialities</legend>
      <p>{view.specialities.map((s) => s.name).join(", ")}</p>
      <form method="post" action="/desk/admin/specialities">
        <Csrf token={view.csrf} />
        <input name="name" value={valueOf(view, "speciality", "name")} maxlength={80} aria-label="Speciality" />
        <Err view={view} form="speciality" field="name" /> <button type="submit">Add speciality</button>
      </form>
    </fieldset>
  );
}

/** The doctors of the clinics on this page, each with its bookings switch, and the form that adds one. */
function DoctorsSection({ view }: { view: AdminView }) {
  const clinicName = (id: number) => view.clinics.find((c) => c.id === id)?.name ?? view.names.clinics[id] ?? `#${id}`;
  const specialityName = (id: number) => view.specialities.find((s) => s.id === id)?.name ?? `#${id}`;
  return (
    <fieldset>
      <legend>Doctors of the clinics above</legend>
      <table id="doctors">
        <tbody>
          {view.doctors.map((d) => (
            <tr data-doctor={String(d.id)}>
              <td>{d.name}</td>
              <td>{clinicName(d.clinicId)}</td>
              <td>{specialityName(d.specializationId)}</td>
              <td>tokens {d.tokenPrefix ?? "?"}</td>
              <td>{d.active ? "taking bookings" : "not taking bookings"}</td>
              <td>
                <form method="post" action={`/desk/admin/doctors/${d.id}/active`}>
                  <Csrf token={view.csrf} />
                  <input type="hidden" name="active" value={d.active ? "0" : "1"} />
                  <button type="submit">{d.active ? "Stop bookings" : "Resume bookings"}</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Add a doctor</h3>
      <form method="post" action="/desk/admin/doctors">
        <Csrf token={view.csrf} />
        <label>
          Name <input name="name" value={valueOf(view, "doctor", "name")} maxlength={120} />
        </label>
        <Err view={view} form="doctor" field="name" />{" "}
        <label>
          Clinic{" "}
          <select name="clinic">
            {view.clinics.map((c) => (
              <option value={String(c.id)}>{c.name}</option>
            ))}
          </select>
        </label>
        <Err view={view} form="doctor" field="clinic" />{" "}
        <label>
          Speciality{" "}
          <select name="speciality">
            {view.specialities.map((s) => (
              <option value={String(s.id)}>{s.name}</option>
            ))}
          </select>
        </label>
        <Err view={view} form="doctor" field="speciality" /> <button type="submit">Add doctor</button>
      </form>
    </fieldset>
  );
}

/** The staff users (a page of them), each with its on/off switch and a new password, and the form that adds one. */
function StaffSection({ view }: { view: AdminView }) {
  const clinicName = (id: number) => view.clinics.find((c) => c.id === id)?.name ?? view.names.clinics[id] ?? `#${id}`;
  return (
    <fieldset>
      <legend>Staff</legend>
      <table id="staff">
        <tbody>
          {view.staff.map((u) => (
            <tr data-user={u.username}>
              <td>{u.username}</td>
              <td>{u.role}</td>
              <td>
                {u.role === "doctor"
                  ? (view.names.doctors[u.doctorId ?? 0] ?? "")
                  : u.clinicIds.map(clinicName).join(", ")}
              </td>
              <td>{u.active ? "active" : "switched off"}</td>
              <td>
                <form method="post" action={`/desk/admin/staff/${u.id}/active`}>
                  <Csrf token={view.csrf} />
                  <input type="hidden" name="active" value={u.active ? "0" : "1"} />
                  <button type="submit">{u.active ? "Switch off" : "Switch on"}</button>
                </form>
                <form method="post" action={`/desk/admin/staff/${u.id}/password`}>
                  <Csrf token={view.csrf} />
                  <button type="submit">New password</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/desk/admin">First users</a>
        {view.next.afterUser !== null && (
          <>
            {" · "}
            <a href={`/desk/admin?staff_after=${encodeURIComponent(view.next.afterUser)}`}>Next users</a>
          </>
        )}
      </p>
      <h3>Add a staff user</h3>
      <AddStaffForm view={view} />
    </fieldset>
  );
}

/** A new staff user: username, role, and the clinics (desk) or the doctor (doctor role) they serve. */
function AddStaffForm({ view }: { view: AdminView }) {
  return (
    <form method="post" action="/desk/admin/staff">
      <Csrf token={view.csrf} />
      <label>
        Username <input name="username" value={valueOf(view, "staff", "username")} maxlength={64} />
      </label>
      <Err view={view} form="staff" field="username" />{" "}
      <label>
        Role{" "}
        <select name="role">
          <option value="desk">desk</option>
          <option value="doctor">doctor</option>
          <option value="admin">admin</option>
        </select>
      </label>
      <Err view={view} form="staff" field="role" />
      <br />
      Clinics (desk; those listed above):{" "}
      {view.clinics.map((c) => (
        <label>
          <input type="checkbox" name={`clinic-${c.id}`} value="1" /> {c.name}{" "}
        </label>
      ))}
      <Err view={view} form="staff" field="clinics" />
      <br />
      <label>
        Doctor (doctor role; those listed above){" "}
        <select name="doctor">
          <option value="">—</option>
          {view.doctors.map((d) => (
            <option value={String(d.id)}>{d.name}</option>
          ))}
        </select>
      </label>
      <Err view={view} form="staff" field="doctor" /> <button type="submit">Add user</button>
    </form>
  );
}

/** The directory: clinics, specialities, doctors and staff, for an admin. */
export function AdminPage(view: AdminView) {
  return (
    <>
      <h1>Directory</h1>
      <Notice text={view.notice?.text} error={view.notice?.error ?? false} />
      <ClinicsSection view={view} />
      <SpecialitiesSection view={view} />
      <DoctorsSection view={view} />
      <StaffSection view={view} />
    </>
  );
}
