/** The clinic's recordings: its own name and its doctors' names in each language, and what the prompt packs lack. */
import type { PackReport } from "../../prompts/store.ts";
import { Csrf, Notice } from "./layout.tsx";

export interface NameRow {
  /** "clinic" or "doctor:<id>": what the upload form sends back. */
  target: string;
  label: string;
  /** The name as the line says it, and whether it is recorded, per language. */
  languages: { language: string; name: string; recorded: boolean }[];
}

export interface RecordingsView {
  clinic: { id: number; name: string };
  rows: NameRow[];
  languages: readonly string[];
  format: string;
  reports: { language: string; report: PackReport | null }[];
  csrf: string;
  notice?: { text: string; error?: boolean } | undefined;
}

/** At most this many missing keys are listed; the count says how many there are. */
const LIST_AT_MOST = 40;

export function RecordingsPage(props: RecordingsView) {
  return (
    <>
      <h1>Recordings: {props.clinic.name}</h1>
      <Notice text={props.notice?.text} error={props.notice?.error} />
      <p>
        The line plays these instead of the voice wherever it says the name. Format: {props.format}; a name at most 10
        seconds.
      </p>
      <NamesTable {...props} />
      <UploadForm {...props} />
      <h2>Recorded prompts</h2>
      {props.reports.map(({ language, report }) => (
        <PackSection language={language} report={report} />
      ))}
    </>
  );
}

/** Each name the line says (the clinic's, its doctors'), recorded or not in each language. */
function NamesTable(props: RecordingsView) {
  return (
    <table id="names">
      <thead>
        <tr>
          <th>name</th>
          {props.languages.map((l) => (
            <th>{l}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            <td>{row.label}</td>
            {row.languages.map((l) => (
              <td>
                {l.name}: {l.recorded ? "recorded" : "missing (the voice says it)"}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One recording up: which name, which language, the clip. */
function UploadForm(props: RecordingsView) {
  return (
    <form method="post" action={`/desk/clinics/${props.clinic.id}/recordings`} enctype="multipart/form-data">
      <Csrf token={props.csrf} />
      <label>
        Name{" "}
        <select name="target">
          {props.rows.map((row) => (
            <option value={row.target}>{row.label}</option>
          ))}
        </select>
      </label>{" "}
      <label>
        Language{" "}
        <select name="language">
          {props.languages.map((l) => (
            <option value={l}>{l}</option>
          ))}
        </select>
      </label>{" "}
      <label>
        Recording <input type="file" name="clip" accept="audio/wav,audio/x-wav,audio/mpeg,.wav,.mp3" required />
      </label>{" "}
      <button type="submit">Upload</button>
    </form>
  );
}

/** A language's prompt pack: installed or not, what it lacks, and the clips it refused. */
function PackSection({ language, report }: RecordingsView["reports"][number]) {
  return (
    <section id={`pack-${language}`}>
      <h3>{language}</h3>
      {!report ? (
        <p>No pack installed: the voice says everything.</p>
      ) : (
        <>
          <p>
            Missing: {report.missing.length} (the voice says them)
            {report.missing.length > 0 ? `: ${report.missing.slice(0, LIST_AT_MOST).join(" | ")}` : ""}
          </p>
          {report.refused.length > 0 && (
            <ul>
              {report.refused.map((r) => (
                <li>
                  {r.file}: {r.problem}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
