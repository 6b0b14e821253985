/**
 * A patient's upcoming appointments, and cancelling one. Everything is looked up through the
 * sender's own phone number, so nobody can see or cancel another patient's appointment.
 * D1 is updated first (conditionally, so two cancels cannot both win), then the doctor-day
 * object frees the slot for the next caller.
 */
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { appointments, clinics, doctors, patients } from "../db/schema.ts";
import { localClock } from "../slots/calendar.ts";
import { doctorDayStub, type DoctorDay } from "../slots/doctor-day.ts";

export interface UpcomingAppointment {
  id: number;
  token: string;
  doctorId: number;
  doctorName: string;
  clinicName: string;
  /** The clinic's names in other languages (JSON, db/display-names.ts). */
  clinicDisplayNames: string | null;
  timezone: string;
  date: string;
  slot: number;
  startsAt: string;
  /** Minutes from local midnight, for speaking the time. */
  startMinute: number;
}

export async function upcomingAppointments(db: Db, phone: string, now: Date): Promise<UpcomingAppointment[]> {
  const rows = await db
    .select({
      id: appointments.id,
      token: appointments.token,
      doctorId: appointments.doctorId,
      doctorName: doctors.name,
      clinicName: clinics.name,
      clinicDisplayNames: clinics.displayNames,
      timezone: clinics.timezone,
      date: appointments.localDate,
      slot: appointments.slotNumber,
      startsAt: appointments.startsAt,
    })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .where(
      and(eq(patients.phone, phone), eq(appointments.status, "booked"), gt(appointments.startsAt, now.toISOString())),
    )
    .orderBy(asc(appointments.startsAt), asc(appointments.id));
  return rows.map((r) => ({ ...r, startMinute: localClock(new Date(r.startsAt), r.timezone).minute }));
}

export type CancelResult =
  | { kind: "cancelled"; appointment: UpcomingAppointment }
  | { kind: "nothing-upcoming" }
  | { kind: "token-not-found"; token: string };

/** Cancels the sender's next upcoming appointment, or the one with `token`. */
export async function cancelAppointment(
  ctx: { db: Db; doctorDays: DurableObjectNamespace<DoctorDay>; now: Date },
  phone: string,
  token?: string,
): Promise<CancelResult> {
  const upcoming = await upcomingAppointments(ctx.db, phone, ctx.now);
  const target = token ? upcoming.find((a) => a.token.toUpperCase() === token.toUpperCase()) : upcoming[0];
  if (!target) return token ? { kind: "token-not-found", token } : { kind: "nothing-upcoming" };

  const cancelled = await ctx.db
    .update(appointments)
    .set({ status: "cancelled", cancelledAt: ctx.now.toISOString() })
    .where(and(eq(appointments.id, target.id), eq(appointments.status, "booked")))
    .returning({ id: appointments.id });
  if (cancelled.length === 0) return token ? { kind: "token-not-found", token } : { kind: "nothing-upcoming" };

  try {
    await doctorDayStub(ctx.doctorDays, target.doctorId, target.date).free(target.slot);
  } catch (error) {
    // The appointment is cancelled either way; the slot merely stays unavailable until repaired.
    console.error(`appointment ${target.id} cancelled but its slot was not freed:`, error);
  }
  return { kind: "cancelled", appointment: target };
}
