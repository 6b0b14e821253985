/** The desk's page frame: header, clinic navigation, sign-out, and the little script that refreshes live parts. */
import type { Child } from "hono/jsx";
import type { StaffUser } from "../access.ts";
import { labels } from "../labels.ts";

export interface LayoutProps {
  title: string;
  user?: StaffUser | undefined;
  csrf?: string | undefined;
  clinics?: { id: number; name: string }[] | undefined;
  /** A waiting-room screen: no header, large type. */
  bare?: boolean | undefined;
  /** The product name in the header and title (the patient page has its own). */
  product?: string | undefined;
  /** Link to the list of clinics (when the header shows only the current one). */
  allClinicsLink?: boolean | undefined;
  /** Where the sign-out form posts. */
  logout?: { action: string; name: string; csrf: string } | undefined;
}

// System fonts first: Android and Windows ship Kannada-capable ones (Noto Sans Kannada, Tunga, Nirmala UI).
const STYLE = `
:root { font-family: system-ui, "Noto Sans", "Noto Sans Kannada", "Nirmala UI", Tunga, sans-serif; color: #1b1b1b; }
body { margin: 0; background: #f6f7f9; }
header { background: #0b5563; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; }
header a { color: #fff; }
header form { margin-left: auto; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid #dde; padding: .4rem .5rem; text-align: left; vertical-align: top; }
td form { display: inline; }
td:nth-child(-n + 2) { white-space: nowrap; }
/* A phone's narrow screen scrolls the table sideways instead of squeezing it. */
#queue { overflow-x: auto; }
@media (max-width: 40rem) { h1 { font-size: 1.4rem; } main { padding: .5rem; } }
button { font: inherit; padding: .35rem .7rem; margin: .1rem; border-radius: .3rem; border: 1px solid #0b5563; background: #fff; cursor: pointer; }
button.primary { background: #0b5563; color: #fff; }
input, select { font: inherit; padding: .3rem; }
.notice { background: #e6f4ea; border: 1px solid #8c8; padding: .5rem; margin: .5rem 0; }
.error, .field-error { color: #a00; }
.notice.error { background: #fdecea; border-color: #e99; }
.status-arrived { background: #fff8e1; } .status-in_consultation { background: #e3f2fd; }
.status-completed, .status-cancelled, .status-no_show { color: #777; }
tr.urgent td:first-child { border-left: 6px solid #c62828; } .urgent-mark { background: #c62828; color: #fff; padding: 0 .3em; border-radius: 3px; font-size: .85em; }
.doctor-summary { font-size: .9em; max-width: 28em; } .doctor-summary.urgent .red-flag { color: #c62828; } .summary-method { color: #666; font-size: .85em; }
nav.filters a { margin-right: .75rem; }
fieldset { border: 1px solid #ccd; background: #fff; margin: 1rem 0; }
.display { background: #000; color: #fff; min-height: 100vh; padding: 2vw; }
.display h1 { font-size: 4vw; margin: 0 0 2vw; }
.display .doctors { display: grid; grid-template-columns: repeat(auto-fit, minmax(30vw, 1fr)); gap: 2vw; }
.display .doctor { border: 2px solid #4dd0e1; border-radius: 1vw; padding: 1.5vw; }
.display .serving { font-size: 9vw; font-weight: 700; color: #ffeb3b; }
.display .next { font-size: 4vw; }
.display h2 { font-size: 3vw; margin: 0; }
`;

export function Layout(props: LayoutProps & { children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${props.product ?? labels.product}`}</title>
        <style>{STYLE}</style>
        <script src="/desk/assets/desk.js" defer></script>
      </head>
      <body>
        {props.bare ? (
          props.children
        ) : (
          <>
            <header>
              <strong>{props.product ?? labels.product}</strong>
              {props.user &&
                (props.clinics ?? []).map((clinic) => (
                  <span>
                    {clinic.name}: <a href={`/desk/clinics/${clinic.id}/queue`}>{labels.queue}</a>
                    {props.user?.role !== "doctor" && (
                      <>
                        {" · "}
                        <a href={`/desk/clinics/${clinic.id}/schedule`}>{labels.schedule}</a>
                        {" · "}
                        <a href={`/desk/display/${clinic.id}`}>{labels.display}</a>
                        {" · "}
                        <a href={`/desk/clinics/${clinic.id}/stats`}>Day's picture</a>
                      </>
                    )}
                  </span>
                ))}
              {props.allClinicsLink && <a href="/desk">All clinics</a>}
              {props.user?.role === "admin" && <a href="/desk/admin">Directory</a>}
              {props.logout && (
                <form method="post" action={props.logout.action}>
                  <input type="hidden" name="_csrf" value={props.logout.csrf} />
                  {props.logout.name} <button type="submit">{labels.signOut}</button>
                </form>
              )}
              {props.user && (
                <form method="post" action="/desk/logout">
                  <input type="hidden" name="_csrf" value={props.csrf} />
                  {props.user.username} <button type="submit">{labels.signOut}</button>
                </form>
              )}
            </header>
            <main>{props.children}</main>
          </>
        )}
      </body>
    </html>
  );
}

/** The hidden field every state-changing form carries. */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function Notice({ text, error }: { text?: string | undefined; error?: boolean }) {
  if (!text) return null;
  return (
    <p class={error ? "notice error" : "notice"} role={error ? "alert" : "status"}>
      {text}
    </p>
  );
}
