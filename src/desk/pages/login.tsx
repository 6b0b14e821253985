/** The sign-in form (desk staff; the patient page reuses it with other words). */
import { labels } from "../labels.ts";

export function LoginForm(props: {
  action: string;
  loginLabel: string;
  loginName: string;
  value?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <form method="post" action={props.action}>
      <h1>{labels.signIn}</h1>
      {props.error && (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      )}
      <p>
        <label>
          {props.loginLabel}
          <br />
          <input name={props.loginName} value={props.value ?? ""} autocomplete="username" required maxlength={64} />
        </label>
      </p>
      <p>
        <label>
          {labels.password}
          <br />
          <input name="password" type="password" autocomplete="current-password" required maxlength={200} />
        </label>
      </p>
      <button class="primary" type="submit">
        {labels.signIn}
      </button>
    </form>
  );
}
