/** The patient's page: their appointments, cancelling one, and changing the password. */
import { Csrf, Notice } from "../desk/pages/layout.tsx";

export interface MyAppointment {
  id: number;
  token: string;
  doctorName: string;
  clinicName: string;
  date: string;
  time: string;
  status: string;
}

const STATUS: Record<string, string> = {
  booked: "Booked",
  cancelled: "Cancelled",
  completed: "Done",
  no_show: "Missed",
};

function List({ rows, csrf, cancellable }: { rows: MyAppointment[]; csrf: string; cancellable: boolean }) {
  if (rows.length === 0) return <p>None.</p>;
  return (
    <table>
      <tbody>
        {rows.map((a) => (
          <tr data-token={a.token}>
            <td>
              <strong>{a.token}</strong>
            </td>
            <td>
              {a.date} {a.time}
            </td>
            <td>
              {a.doctorName}, {a.clinicName}
            </td>
            <td>{STATUS[a.status] ?? a.status}</td>
            <td>
              {cancellable && (
                <>
                  <form method="post" action={`/me/appointments/${a.id}/cancel`}>
                    <Csrf token={csrf} />
                    <button type="submit">Cancel</button>
                  </form>
                  <form method="post" action={`/me/appointments/${a.id}/move`}>
                    <Csrf token={csrf} />
                    <button type="submit">Move to the next free time</button>
                  </form>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MyPage(props: {
  upcoming: MyAppointment[];
  past: MyAppointment[];
  csrf: string;
  notice?: { text: string; error?: boolean } | undefined;
  /** The line's languages (code and own name) and the patient's choice, for calls and SMS. */
  languages?: { code: string; name: string }[];
  language?: string | null;
}) {
  return (
    <>
      <h1>My appointments</h1>
      <Notice text={props.notice?.text} error={props.notice?.error ?? false} />
      <h2>Upcoming</h2>
      <List rows={props.upcoming} csrf={props.csrf} cancellable={true} />
      <p>"Move" gives you the same doctor's next free time after yours. To book, call the clinic line.</p>
      <h2>Past and cancelled</h2>
      <List rows={props.past} csrf={props.csrf} cancellable={false} />
      {props.languages && props.languages.length > 1 && (
        <form method="post" action="/me/language">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label>
            Language of my calls and SMS{" "}
            <select name="language">
              {props.languages.map((l) => (
                <option value={l.code} selected={l.code === props.language}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="submit">Save</button>
        </form>
      )}
      <p>
        <a href="/me/password">Change my password</a>
      </p>
    </>
  );
}

/**
 * Under the sign-in form: a patient with no password yet (or who forgot theirs) asks for a
 * temporary one by SMS. The answer is the same whether or not the number is known.
 */
export function PasswordBySms(props: { value?: string | undefined; notice?: { text: string; error?: boolean } }) {
  return (
    <form method="post" action="/me/password-by-sms">
      <h2>No password yet, or forgot it?</h2>
      <Notice text={props.notice?.text} error={props.notice?.error ?? false} />
      <p>
        If you have booked with us by phone, we can text a temporary password to that number. You choose your own
        password when you sign in with it.
      </p>
      <p>
        <label>
          Mobile number
          <br />
          <input name="phone" value={props.value ?? ""} autocomplete="tel" inputmode="tel" required maxlength={32} />
        </label>
      </p>
      <button type="submit">Text me a password</button>
    </form>
  );
}

export function PasswordPage(props: { csrf: string; forced: boolean; errors: Record<string, string> }) {
  const err = (field: string) =>
    props.errors[field] ? <span class="field-error" role="alert">{` ${props.errors[field]}`}</span> : null;
  return (
    <form method="post" action="/me/password">
      <h1>{props.forced ? "Choose your own password" : "Change my password"}</h1>
      {props.forced && <p>The password we sent by SMS was for the first sign-in only. Please choose your own.</p>}
      <Csrf token={props.csrf} />
      <p>
        <label>
          Current password
          <br />
          <input type="password" name="current" autocomplete="current-password" required maxlength={200} />
        </label>
        {err("current")}
      </p>
      <p>
        <label>
          New password (at least 8 characters)
          <br />
          <input type="password" name="password" autocomplete="new-password" required maxlength={200} />
        </label>
        {err("password")}
      </p>
      <p>
        <label>
          New password again
          <br />
          <input type="password" name="again" autocomplete="new-password" required maxlength={200} />
        </label>
        {err("again")}
      </p>
      <button class="primary" type="submit">
        Save password
      </button>
    </form>
  );
}
