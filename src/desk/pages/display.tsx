/** The waiting-room screen: per doctor, the token now being seen and the next ones, large. */
import type { QueueRow } from "../queue.ts";
import { labels } from "../labels.ts";

export interface DoctorBoard {
  id: number;
  name: string;
  serving: string | null;
  next: string[];
}

/** Now serving: the latest patient sent in to the doctor; next: who has arrived, then who is booked, by time. */
export function boards(doctors: { id: number; name: string }[], rows: QueueRow[]): DoctorBoard[] {
  return doctors.map((d) => {
    const mine = rows.filter((r) => r.doctorId === d.id);
    const inside = mine.filter((r) => r.status === "in_consultation");
    const waiting = [...mine.filter((r) => r.status === "arrived"), ...mine.filter((r) => r.status === "booked")];
    return {
      id: d.id,
      name: d.name,
      serving: inside.at(-1)?.token ?? null,
      next: waiting.slice(0, 4).map((r) => r.token),
    };
  });
}

export function DisplayBoards({ boards }: { boards: DoctorBoard[] }) {
  return (
    <div class="doctors">
      {boards.map((b) => (
        <section class="doctor" data-doctor={String(b.id)}>
          <h2>{b.name}</h2>
          <div>{labels.nowServing}</div>
          <div class="serving" data-doctor={String(b.id)} data-serving={b.serving ?? ""}>
            {b.serving ?? "—"}
          </div>
          <div class="next">
            {labels.next}: {b.next.length ? b.next.join("  ") : "—"}
          </div>
        </section>
      ))}
    </div>
  );
}

export function DisplayPage(props: { clinic: { id: number; name: string }; boards: DoctorBoard[] }) {
  return (
    <div class="display">
      <h1>{props.clinic.name}</h1>
      <div id="boards" data-refresh={`/desk/display/${props.clinic.id}/now`} data-interval="3000">
        <DisplayBoards boards={props.boards} />
      </div>
      <label>
        <input type="checkbox" id="speak" /> {labels.speak}
      </label>
    </div>
  );
}
