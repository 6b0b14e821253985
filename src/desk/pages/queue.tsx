/** Today's queue: tokens in time order with the buttons that move each one on, and the walk-in form. */
import { NEXT_STEPS, type QueueStatus } from "../../booking/visit.ts";
import type { QueueRow } from "../queue.ts";
import { labels, SOURCE_LABEL, STATUS_LABEL, STEP_BUTTON } from "../labels.ts";
import { Csrf, Notice } from "./layout.tsx";
import { DoctorSummary } from "../../reasons/DoctorSummary.tsx";
import { RED_FLAG_LABELS } from "../../reasons/red-flags.ts";
import type { VisitNote } from "../../reasons/notes.ts";

export interface QueueView {
  clinic: { id: number; name: string };
  date: string;
  doctors: { id: number; name: string; tokenPrefix: string | null }[];
  doctorId?: number | undefined;
  rows: QueueRow[];
  csrf: string;
  /** Cancelling and walk-ins are the desk's, not a doctor's. */
  canManage: boolean;
  notice?: { text: string; error?: boolean } | undefined;
  walkIn?: { doctorId?: number | undefined; phone?: string; errors?: { doctor?: string; phone?: string } };
}

/** The steps offered from a status; a doctor-role user cannot cancel. */
export function stepsFor(status: QueueStatus, canManage: boolean): QueueStatus[] {
  return NEXT_STEPS[status].filter((s) => canManage || s !== "cancelled");
}

type RowProps = Pick<QueueView, "csrf" | "canManage" | "doctorId"> & { row: QueueRow };

export function QueueRows(props: Pick<QueueView, "rows" | "csrf" | "canManage" | "doctorId">) {
  if (props.rows.length === 0) return <p>{labels.noAppointments}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Token</th>
          <th>Time</th>
          <th>Doctor</th>
          <th>Phone</th>
          <th>Source</th>
          <th>Status</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <QueueLine row={row} csrf={props.csrf} canManage={props.canManage} doctorId={props.doctorId} />
        ))}
      </tbody>
    </table>
  );
}

/** One appointment of the day: its token (and urgent mark), who, its status, and what can be done next. */
function QueueLine(props: RowProps) {
  const { row } = props;
  return (
    <tr
      class={`status-${row.status}${row.urgent ? " urgent" : ""}`}
      data-token={row.token}
      data-status={row.status}
      data-urgent={row.urgent ? "1" : undefined}
    >
      <td>
        <strong>{row.token}</strong>
        {row.urgent && (
          <>
            {" "}
            <span
              class="urgent-mark"
              title={(row.health?.urgency.flags ?? []).map((f) => RED_FLAG_LABELS[f]).join(", ")}
            >
              {labels.urgent}
            </span>
          </>
        )}
      </td>
      <td>{row.time}</td>
      <td>{row.doctorName}</td>
      <td>{row.phone}</td>
      <td>{SOURCE_LABEL[row.source] ?? row.source}</td>
      <td>
        {STATUS_LABEL[row.status]}
        {row.status === "booked" && (
          <div
            class={row.confirmed ? "confirmed" : "unconfirmed"}
            data-confirmed={row.confirmed ? "1" : "0"}
            title={row.confirmed ? labels.confirmedTitle : undefined}
          >
            {row.confirmed ? labels.confirmed : labels.unconfirmed}
          </div>
        )}
        {row.smsProblem && (
          <div class="sms-problem" data-sms-problem>
            {labels.smsNotDelivered}: {row.smsProblem}
          </div>
        )}
      </td>
      <td>
        <StepButtons {...props} />
        <RowHealth {...props} />
        {props.canManage && row.status === "booked" && (
          <form method="post" action={`/desk/appointments/${row.id}/move`}>
            <Csrf token={props.csrf} />
            <button type="submit" data-step="move">
              {labels.move}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

/** A button per step the visit may take next (arrived, in consultation, ...). */
function StepButtons({ row, csrf, canManage, doctorId }: RowProps) {
  return (
    <>
      {stepsFor(row.status, canManage).map((step) => (
        <form method="post" action={`/desk/appointments/${row.id}/step`}>
          <Csrf token={csrf} />
          <input type="hidden" name="to" value={step} />
          {doctorId !== undefined && <input type="hidden" name="doctor" value={String(doctorId)} />}
          <button type="submit" data-step={step}>
            {STEP_BUTTON[step]}
          </button>
        </form>
      ))}
    </>
  );
}

/** For those who may see them: the doctor's own note, the summary, the recorded reason and the notes link. */
function RowHealth({ row, csrf }: RowProps) {
  return (
    <>
      {row.note !== undefined && (
        <form method="post" action={`/desk/appointments/${row.id}/note`}>
          <Csrf token={csrf} />
          <input name="note" value={row.note} maxlength={2000} aria-label={`Note on ${row.token}`} size={24} />
          <button type="submit">{labels.saveNote}</button>
        </form>
      )}
      {row.health?.summary !== undefined && (
        <div class="row-health">
          <DoctorSummary summary={row.health.summary} urgency={row.health.urgency} />
          {row.health.hasRecording && (
            <audio
              controls
              preload="none"
              src={`/desk/appointments/${row.id}/recording`}
              aria-label={labels.recording}
            />
          )}
        </div>
      )}
      {(row.health?.summary !== undefined || row.canWriteNotes) && (
        <a href={`/desk/appointments/${row.id}/notes`}>{labels.visitNotes}</a>
      )}
    </>
  );
}

export function QueuePage(props: QueueView) {
  const base = `/desk/clinics/${props.clinic.id}/queue`;
  const rowsSrc = `${base}/rows${props.doctorId !== undefined ? `?doctor=${props.doctorId}` : ""}`;
  const errors = props.walkIn?.errors ?? {};
  return (
    <>
      <h1>
        {labels.queue}: {props.clinic.name}, {props.date}
      </h1>
      <Notice text={props.notice?.text} error={props.notice?.error ?? false} />
      {props.canManage && (
        <p>
          <a href={`/desk/clinics/${props.clinic.id}/waitlist`}>Waitlist</a>
        </p>
      )}
      {props.doctors.length > 1 && (
        <nav class="filters">
          <a href={base}>{labels.allDoctors}</a>
          {props.doctors.map((d) => (
            <a href={`${base}?doctor=${d.id}`}>{d.name}</a>
          ))}
        </nav>
      )}
      <div id="queue" data-refresh={rowsSrc} data-interval="2000">
        <QueueRows rows={props.rows} csrf={props.csrf} canManage={props.canManage} doctorId={props.doctorId} />
      </div>
      {props.canManage && (
        <form method="post" action={`/desk/clinics/${props.clinic.id}/walk-ins`}>
          <fieldset>
            <legend>{labels.walkIn}</legend>
            <Csrf token={props.csrf} />
            <label>
              Doctor{" "}
              <select name="doctor">
                {props.doctors.map((d) => (
                  <option value={String(d.id)} selected={d.id === (props.walkIn?.doctorId ?? props.doctorId)}>
                    {d.name} ({d.tokenPrefix ?? "?"})
                  </option>
                ))}
              </select>
            </label>{" "}
            {errors.doctor && <span class="field-error">{errors.doctor}</span>}{" "}
            <label>
              {labels.phone}{" "}
              <input name="phone" inputmode="tel" value={props.walkIn?.phone ?? ""} required maxlength={20} />
            </label>{" "}
            {errors.phone && <span class="field-error">{errors.phone}</span>}{" "}
            <button class="primary" type="submit">
              {labels.issueWalkIn}
            </button>
          </fieldset>
        </form>
      )}
    </>
  );
}

/** An appointment's visit notes (with the patient's history at the clinic), and the form to add one. */
export function VisitNotesPage(props: {
  appointmentId: number;
  clinicId: number;
  notes: VisitNote[];
  csrf: string;
  canWrite: boolean;
  notice?: { text: string; error?: boolean } | undefined;
}) {
  return (
    <>
      <h1>{labels.visitNotes}</h1>
      <Notice text={props.notice?.text} error={props.notice?.error ?? false} />
      <p>
        <a href={`/desk/clinics/${props.clinicId}/queue`}>{labels.queue}</a>
      </p>
      {props.notes.length === 0 ? (
        <p>{labels.noVisitNotes}</p>
      ) : (
        <ul class="visit-notes">
          {props.notes.map((n) => (
            <li data-note={String(n.id)}>
              <strong>{n.visitDate}</strong> ({n.authorRole}
              {n.appointmentId === props.appointmentId ? ", this visit" : ""}): <span class="note-body">{n.body}</span>
            </li>
          ))}
        </ul>
      )}
      {props.canWrite && (
        <form method="post" action={`/desk/appointments/${props.appointmentId}/notes`}>
          <Csrf token={props.csrf} />
          <label>
            {labels.addVisitNote}
            <br />
            <textarea name="body" maxlength={2000} rows={4} cols={50} required></textarea>
          </label>
          <br />
          <button class="primary" type="submit">
            {labels.addVisitNote}
          </button>
        </form>
      )}
    </>
  );
}
