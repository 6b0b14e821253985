/** What the schedule page reads: each doctor's hours and upcoming days off, and the appointments leave would cover. */
import { and, asc, eq, gte, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { appointments, doctorDaysOff, doctorHours, doctors } from "../db/schema.ts";
import { formatMinute, localClock, type WorkingHours } from "../slots/calendar.ts";
import { selectAppointments } from "../stores/appointments.ts";

export interface DoctorSchedule {
  id: number;
  name: string;
  tokenPrefix: string | null;
  active: boolean;
  /** Stored hours; empty means the default week. */
  hours: WorkingHours[];
  daysOff: { date: string; reason: string | null }[];
}

export async function clinicSchedules(db: Db, clinicId: number, today: string): Promise<DoctorSchedule[]> {
  const list = await db
    .select({ id: doctors.id, name: doctors.name, tokenPrefix: doctors.tokenPrefix, active: doctors.active })
    .from(doctors)
    .where(eq(doctors.clinicId, clinicId))
    .orderBy(asc(doctors.id));
  const ids = list.map((d) => d.id);
  if (ids.length === 0) return [];
  const [hours, off] = await db.batch([
    db.select().from(doctorHours).where(inArray(doctorHours.doctorId, ids)).orderBy(asc(doctorHours.weekday)),
    db
      .select()
      .from(doctorDaysOff)
      .where(and(inArray(doctorDaysOff.doctorId, ids), gte(doctorDaysOff.localDate, today)))
      .orderBy(asc(doctorDaysOff.localDate)),
  ]);
  return list.map((d) => ({
    ...d,
    hours: hours.filter((h) => h.doctorId === d.id),
    daysOff: off.filter((o) => o.doctorId === d.id).map((o) => ({ date: o.localDate, reason: o.reason })),
  }));
}

export interface AffectedAppointment {
  id: number;
  token: string;
  doctorName: string;
  date: string;
  time: string;
  phone: string;
}

/** The live booked appointments of these doctors on these dates: what leave would cancel. */
export async function appointmentsOn(
  db: Db,
  doctorIds: number[],
  dates: string[],
  timezone: string,
): Promise<AffectedAppointment[]> {
  if (doctorIds.length === 0 || dates.length === 0) return [];
  const rows = await selectAppointments(db)
    .where(
      and(
        inArray(appointments.doctorId, doctorIds),
        inArray(appointments.localDate, dates),
        eq(appointments.status, "booked"),
      ),
    )
    .orderBy(asc(appointments.startsAt));
  return rows.map(({ id, token, doctorName, date, startsAt, patientPhone }) => ({
    id,
    token,
    doctorName,
    date,
    phone: patientPhone,
    time: formatMinute(localClock(new Date(startsAt), timezone).minute),
  }));
}
