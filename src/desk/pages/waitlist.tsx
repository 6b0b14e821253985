/** The waitlist of a clinic: who waits for which doctor and days, first in line first, with a remove button. */
import { formatMinute } from "../../slots/calendar.ts";
import type { DeskEntry } from "../../stores/waitlist.ts";
import { Csrf, Notice } from "./layout.tsx";

export interface WaitlistView {
  clinic: { id: number; name: string };
  /** The day shown: entries whose range includes it. */
  date: string;
  doctors: { id: number; name: string }[];
  doctorId?: number | undefined;
  entries: DeskEntry[];
  week: { offered: number; taken: number };
  csrf: string;
  canManage: boolean;
  notice?: { text: string; error?: boolean } | undefined;
}

function waitsFor(entry: DeskEntry): string {
  if (entry.doctorName) return entry.doctorName;
  if (entry.specialization) return `any ${entry.specialization} doctor`;
  return "any doctor";
}

export function WaitlistPage(props: WaitlistView) {
  const base = `/desk/clinics/${props.clinic.id}/waitlist`;
  const query = (doctor?: number) => `${base}?date=${props.date}${doctor !== undefined ? `&doctor=${doctor}` : ""}`;
  return (
    <>
      <h1>
        Waitlist: {props.clinic.name}, {props.date}
      </h1>
      <Notice text={props.notice?.text} error={props.notice?.error ?? false} />
      <p id="waitlist-week">
        This week {props.week.offered} freed {props.week.offered === 1 ? "time" : "times"} went to the waitlist;{" "}
        {props.week.taken} taken.
      </p>
      <nav class="filters">
        <a href={`/desk/clinics/${props.clinic.id}/queue`}>Queue</a>
        <a href={query()}>All doctors</a>
        {props.doctors.map((d) => (
          <a href={query(d.id)}>{d.name}</a>
        ))}
      </nav>
      <form method="get" action={base}>
        <label>
          Day <input type="date" name="date" value={props.date} />
        </label>
        {props.doctorId !== undefined && <input type="hidden" name="doctor" value={String(props.doctorId)} />}
        <button type="submit">Show</button>
      </form>
      {props.entries.length === 0 ? (
        <p>Nobody is waiting for this day.</p>
      ) : (
        <table id="waitlist">
          <thead>
            <tr>
              <th>#</th>
              <th>Patient</th>
              <th>Waits for</th>
              <th>Days</th>
              <th>Held for them now</th>
              {props.canManage && <th></th>}
            </tr>
          </thead>
          <tbody>
            {props.entries.map((entry, i) => (
              <tr>
                <td>{i + 1}</td>
                <td>
                  {entry.patientName} ({entry.phone})
                </td>
                <td>{waitsFor(entry)}</td>
                <td>{entry.fromDate === entry.toDate ? entry.fromDate : `${entry.fromDate} to ${entry.toDate}`}</td>
                <td>
                  {entry.offeredDate !== null && entry.offeredMinute !== null
                    ? `${entry.offeredDoctor ?? ""}, ${entry.offeredDate} ${formatMinute(entry.offeredMinute)}`
                    : ""}
                </td>
                {props.canManage && (
                  <td>
                    <form method="post" action={`/desk/clinics/${props.clinic.id}/waitlist/${entry.id}/remove`}>
                      <Csrf token={props.csrf} />
                      <button type="submit">Remove</button>
                    </form>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
