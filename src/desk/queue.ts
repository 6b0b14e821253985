/** The day's queue of a clinic (or of one doctor), in time order, as the desk and the display show it. */
import { and, asc, desc, eq } from "drizzle-orm";
import { queueStatus, type QueueStatus } from "../booking/visit.ts";
import type { Db } from "../db/client.ts";
import { appointments } from "../db/schema.ts";
import { formatMinute, localClock } from "../slots/calendar.ts";
import { selectAppointmentsWithNotes } from "../stores/appointments.ts";
import type { RowHealth } from "./health.ts";

export interface QueueRow {
  id: number;
  token: string;
  time: string;
  startsAt: string;
  doctorId: number;
  doctorName: string;
  phone: string;
  source: string;
  status: QueueStatus;
  /** A red flag was heard in the reason for the visit: any staff of the clinic sees the mark. */
  urgent: boolean;
  /** The patient pressed 1 on the reminder call: they are coming. */
  confirmed: boolean;
  /** The doctor's note: only in a doctor's own queue. */
  note?: string;
  /** The urgent mark's flags, and the summary for those who may read it (desk/health.ts). */
  health?: RowHealth;
  /** This user may add a visit note (NOTE_WRITERS). */
  canWriteNotes?: boolean;
  /** The patient's SMS did not arrive: the provider's reason (desk/sms-problems.ts). */
  smsProblem?: string;
}

/** "•••• 3210": what a doctor sees of a patient's number. */
export function maskPhone(phone: string): string {
  return `•••• ${phone.slice(-4)}`;
}

export async function dayQueue(
  db: Db,
  clinic: { id: number; timezone: string },
  date: string,
  options: { doctorId?: number; maskPhones: boolean; withNotes?: boolean; urgentFirst?: boolean },
): Promise<QueueRow[]> {
  const rows = await selectAppointmentsWithNotes(db)
    .where(
      and(
        eq(appointments.clinicId, clinic.id),
        eq(appointments.localDate, date),
        options.doctorId === undefined ? undefined : eq(appointments.doctorId, options.doctorId),
      ),
    )
    .orderBy(
      ...(options.urgentFirst ? [desc(appointments.urgent)] : []),
      asc(appointments.startsAt),
      asc(appointments.doctorId),
      asc(appointments.id),
    );
  return rows.map(
    ({
      id,
      token,
      startsAt,
      doctorId,
      doctorName,
      source,
      urgent,
      visit,
      status,
      patientPhone: phone,
      note,
      confirmedAt,
    }) => ({
      id,
      token,
      startsAt,
      doctorId,
      doctorName,
      source,
      urgent,
      confirmed: confirmedAt !== null,
      ...(options.withNotes ? { note: note ?? "" } : {}),
      phone: options.maskPhones ? maskPhone(phone) : phone,
      time: formatMinute(localClock(new Date(startsAt), clinic.timezone).minute),
      status: queueStatus(status, visit),
    }),
  );
}
