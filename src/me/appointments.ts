/** The patient page's two lists: upcoming (soonest first) and past or cancelled (newest first). */
import type { Db } from "../db/client.ts";
import { formatMinute, localClock } from "../slots/calendar.ts";
import { appointmentsOfPatient } from "../stores/patients.ts";
import type { MyAppointment } from "./pages.tsx";

export async function myAppointments(db: Db, patientId: number, now: Date) {
  const rows = await appointmentsOfPatient(db, patientId, 100);
  const shown = rows.map(({ id, token, doctorName, clinicName, timezone, date, startsAt, status }) => ({
    id,
    token,
    doctorName,
    clinicName,
    date,
    status,
    startsAt,
    time: formatMinute(localClock(new Date(startsAt), timezone).minute),
  }));
  const isUpcoming = (a: (typeof shown)[number]) => a.status === "booked" && a.startsAt > now.toISOString();
  return {
    upcoming: shown.filter(isUpcoming).reverse() satisfies MyAppointment[],
    past: shown.filter((a) => !isUpcoming(a)) satisfies MyAppointment[],
  };
}
