/** Schedules: each doctor's week, leave and days off; clinic holidays; appointments that need a call. */
import type { PatientAppointment } from "../../stores/patients.ts";
import { DEFAULT_WORKING_HOURS, formatMinute } from "../../slots/calendar.ts";
import { WEEKDAY_LABEL } from "../labels.ts";
import type { AffectedAppointment, DoctorSchedule } from "../schedule-data.ts";
import { clockText } from "../schedule-form.ts";
import { Csrf, Notice } from "./layout.tsx";

export interface FormState {
  /** Which form the errors and values belong to, e.g. "hours-3", "leave-3", "holiday". */
  form: string;
  errors: Record<string, string>;
  values: Record<string, string>;
}

export interface ScheduleView {
  clinic: { id: number; name: string };
  today: string;
  doctors: DoctorSchedule[];
  stranded: PatientAppointment[];
  csrf: string;
  notice?: { text: string; error?: boolean } | undefined;
  state?: FormState | undefined;
}

function FieldError({ state, form, field }: { state?: FormState | undefined; form: string; field: string }) {
  const message = state?.form === form ? state.errors[field] : undefined;
  return message ? (
    <span class="field-error" role="alert">
      {" "}
      {message}
    </span>
  ) : null;
}

function HoursForm({ doctor, csrf, state }: { doctor: DoctorSchedule; csrf: string; state?: FormState | undefined }) {
  const form = `hours-${doctor.id}`;
  const mine = state?.form === form ? state.values : undefined;
  const week = doctor.hours.length ? doctor.hours : DEFAULT_WORKING_HOURS;
  return (
    <form method="post" action={`/desk/doctors/${doctor.id}/hours`}>
      <Csrf token={csrf} />
      <table>
        <thead>
          <tr>
            <th>Day</th>
            <th>Works</th>
            <th>From</th>
            <th>To</th>
            <th>Slot (min)</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {WEEKDAY_LABEL.map((label, weekday) => {
            const h = week.find((w) => w.weekday === weekday);
            const works = mine ? Boolean(mine[`works-${weekday}`]) : Boolean(h);
            return (
              <tr>
                <td>{label}</td>
                <td>
                  <input
                    type="checkbox"
                    name={`works-${weekday}`}
                    value="1"
                    checked={works}
                    aria-label={`${label} works`}
                  />
                </td>
                <td>
                  <input
                    name={`start-${weekday}`}
                    value={mine?.[`start-${weekday}`] ?? clockText(h?.startMinute ?? 540)}
                    size={5}
                  />
                </td>
                <td>
                  <input
                    name={`end-${weekday}`}
                    value={mine?.[`end-${weekday}`] ?? clockText(h?.endMinute ?? 1020)}
                    size={5}
                  />
                </td>
                <td>
                  <input
                    name={`slot-${weekday}`}
                    value={mine?.[`slot-${weekday}`] ?? String(h?.slotMinutes ?? 15)}
                    size={3}
                  />
                </td>
                <td>
                  <FieldError state={state} form={form} field={`hours-${weekday}`} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FieldError state={state} form={form} field="hours-all" />
      <button type="submit">Save hours</button>
    </form>
  );
}

function LeaveFields({ form, state, today }: { form: string; state?: FormState | undefined; today: string }) {
  const mine = state?.form === form ? state.values : {};
  return (
    <>
      <label>
        From <input type="date" name="from" min={today} value={mine.from ?? ""} required />
      </label>
      <FieldError state={state} form={form} field="from" />{" "}
      <label>
        To <input type="date" name="to" min={today} value={mine.to ?? ""} />
      </label>
      <FieldError state={state} form={form} field="to" />{" "}
      <label>
        Reason <input name="reason" maxlength={200} value={mine.reason ?? ""} />
      </label>{" "}
    </>
  );
}

export function SchedulePage(props: ScheduleView) {
  return (
    <>
      <h1>Schedules: {props.clinic.name}</h1>
      <Notice text={props.notice?.text} error={props.notice?.error ?? false} />
      <section>
        <h2>Appointments that need a call</h2>
        {props.stranded.length === 0 ? (
          <p>None: every upcoming appointment fits its doctor's schedule.</p>
        ) : (
          <>
            <p>These fall outside their doctor's hours, on a day off, or with a doctor who left. Call each patient.</p>
            <ul id="stranded">
              {props.stranded.map((a) => (
                <li>
                  {a.token}, {a.doctorName}, {a.date} {formatMinute(a.startMinute)}, {a.patientPhone}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <fieldset>
        <legend>Clinic holiday (every doctor)</legend>
        <form method="post" action={`/desk/clinics/${props.clinic.id}/holidays`}>
          <Csrf token={props.csrf} />
          <LeaveFields form="holiday" state={props.state} today={props.today} />
          <button type="submit">Add holiday</button>
        </form>
      </fieldset>
      {props.doctors.map((doctor) => (
        <fieldset id={`doctor-${doctor.id}`}>
          <legend>
            {doctor.name} (tokens {doctor.tokenPrefix ?? "?"}){doctor.active ? "" : ", not taking bookings"}
          </legend>
          <h3>Weekly hours</h3>
          <HoursForm doctor={doctor} csrf={props.csrf} state={props.state} />
          <h3>Leave</h3>
          <form method="post" action={`/desk/doctors/${doctor.id}/leave`}>
            <Csrf token={props.csrf} />
            <LeaveFields form={`leave-${doctor.id}`} state={props.state} today={props.today} />
            <button type="submit">Add leave</button>
          </form>
          {doctor.daysOff.length > 0 && (
            <ul>
              {doctor.daysOff.map((d) => (
                <li>
                  {d.date}
                  {d.reason ? ` (${d.reason})` : ""}{" "}
                  <form method="post" action={`/desk/doctors/${doctor.id}/days-off/remove`} style="display:inline">
                    <Csrf token={props.csrf} />
                    <input type="hidden" name="date" value={d.date} />
                    <button type="submit">Remove</button>
                  </form>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
      ))}
    </>
  );
}

/** Leave over booked appointments: list them, and cancel them (with an SMS each) only on confirmation. */
export function ConfirmLeavePage(props: {
  action: string;
  what: string;
  dates: string[];
  reason: string;
  affected: AffectedAppointment[];
  csrf: string;
  backHref: string;
}) {
  const first = props.dates[0]!;
  const last = props.dates[props.dates.length - 1]!;
  return (
    <>
      <h1>Confirm {props.what}</h1>
      <p>
        {first === last ? first : `${first} to ${last}`}: {props.affected.length} booked appointment
        {props.affected.length === 1 ? "" : "s"} will be cancelled, and each patient texted to book a new time.
      </p>
      <table id="affected">
        <thead>
          <tr>
            <th>Token</th>
            <th>Doctor</th>
            <th>Date</th>
            <th>Time</th>
            <th>Phone</th>
          </tr>
        </thead>
        <tbody>
          {props.affected.map((a) => (
            <tr>
              <td>{a.token}</td>
              <td>{a.doctorName}</td>
              <td>{a.date}</td>
              <td>{a.time}</td>
              <td>{a.phone}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action={props.action}>
        <Csrf token={props.csrf} />
        <input type="hidden" name="from" value={first} />
        <input type="hidden" name="to" value={last} />
        <input type="hidden" name="reason" value={props.reason} />
        <input type="hidden" name="confirm" value="yes" />
        <button class="primary" type="submit">
          Cancel these and add the {props.what}
        </button>{" "}
        <a href={props.backHref}>Go back</a>
      </form>
    </>
  );
}
