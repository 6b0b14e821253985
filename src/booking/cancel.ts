/**
 * Cancelling appointments. D1 is changed first, conditionally (so two cancels cannot both
 * win) and in the same batch as the patient's SMS, if any; then the doctor-day object frees
 * the time for the next caller. If freeing fails, the reconcile frees it within a minute:
 * D1 says the time is free, and D1 is what the reconcile trusts.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { log } from "../log.ts";
import { appointments, clinics, doctors, patients } from "../db/schema.ts";
import { nameIn } from "../db/display-names.ts";
import { DEFAULT_TIMEZONE, isValidTimeZone, localClock } from "../slots/calendar.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import type { BookingContext } from "./context.ts";
import type { Catalogue } from "../words/index.ts";
import { smsSlot } from "../words/slot.ts";

/** A live appointment, with what is needed to say it and to free its time. */
export interface PatientAppointment {
  id: number;
  token: string;
  doctorId: number;
  doctorName: string;
  clinicId: number;
  clinicName: string;
  /** The clinic's names in other languages (JSON, db/display-names.ts), for SMS in the patient's language. */
  clinicDisplayNames: string | null;
  timezone: string;
  date: string;
  startsAt: string;
  /** Minutes from local midnight, for speaking the time and naming the slot in its object. */
  startMinute: number;
  patientPhone: string;
}

const appointmentColumns = {
  id: appointments.id,
  token: appointments.token,
  doctorId: appointments.doctorId,
  doctorName: doctors.name,
  clinicId: appointments.clinicId,
  clinicName: clinics.name,
  clinicDisplayNames: clinics.displayNames,
  timezone: clinics.timezone,
  date: appointments.localDate,
  startsAt: appointments.startsAt,
  patientPhone: patients.phone,
};

function withMinute<T extends { startsAt: string; timezone: string }>(row: T): T & { startMinute: number } {
  return { ...row, startMinute: localClock(new Date(row.startsAt), row.timezone).minute };
}

/** An appointment as an SMS in `language` names it: absolute date, the clinic in that language. */
export function smsAppointment(a: PatientAppointment, language: Catalogue["language"]) {
  const clinic = nameIn({ name: a.clinicName, displayNames: a.clinicDisplayNames }, language);
  return smsSlot({ doctorName: a.doctorName, date: a.date, startMinute: a.startMinute, token: a.token, clinic });
}

/**
 * The statement behind upcomingForPhone, to send in a batch with others. Plain SQL with one
 * alias per column: drizzle's batch maps joined columns by position and mixes up the two
 * `name` columns.
 */
export function upcomingForPhoneStatement(d1: D1Database, phone: string, now: Date): D1PreparedStatement {
  return d1
    .prepare(
      `SELECT a.id AS id, a.token AS token, a.doctor_id AS doctorId, d.name AS doctorName, a.clinic_id AS clinicId,
              c.name AS clinicName, c.display_names AS clinicDisplayNames, c.timezone AS timezone, a.local_date AS date, a.starts_at AS startsAt,
              p.phone AS patientPhone
         FROM appointments a
         JOIN patients p ON p.id = a.patient_id
         JOIN doctors d ON d.id = a.doctor_id
         JOIN clinics c ON c.id = a.clinic_id
        WHERE p.phone = ? AND a.status = 'booked' AND a.starts_at > ?
        ORDER BY a.starts_at, a.id`,
    )
    .bind(phone, now.toISOString());
}

/** Rows of upcomingForPhoneStatement as appointments, with their clinic-local start minute. */
export function asPatientAppointments(rows: readonly Omit<PatientAppointment, "startMinute">[]): PatientAppointment[] {
  // An unknown stored zone falls back as everywhere else (the directory logs it).
  return rows.map((row) =>
    withMinute({ ...row, timezone: isValidTimeZone(row.timezone) ? row.timezone : DEFAULT_TIMEZONE }),
  );
}

/** The phone's booked appointments that have not started yet, soonest first. */
export async function upcomingForPhone(db: Db, phone: string, now: Date): Promise<PatientAppointment[]> {
  const { results } = await upcomingForPhoneStatement(db.$client, phone, now).all<
    Omit<PatientAppointment, "startMinute">
  >();
  return asPatientAppointments(results);
}

/** One appointment by id, whatever its status (null if there is none). */
export async function appointmentById(db: Db, id: number): Promise<(PatientAppointment & { status: string }) | null> {
  const row = await db
    .select({ ...appointmentColumns, status: appointments.status })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .where(eq(appointments.id, id))
    .get();
  return row ? withMinute(row) : null;
}

/**
 * Cancels one booked appointment; with `sms`, the patient's text is written in the same batch.
 * False when it was no longer booked (someone else cancelled it first). Returns the outbox ids.
 */
export async function cancelBooked(
  ctx: BookingContext,
  target: PatientAppointment,
  sms?: { words: Catalogue; text: "cancelledForYou" | "cancelledByClinic" },
  /** Statements to commit with the cancel (the inbound SMS's recorded reply), saving a round trip. */
  also: D1PreparedStatement[] = [],
  /** Run beside freeing the time once the cancel has committed (queueing its SMS), saving a round trip. */
  afterCommit: (smsIds: number[]) => Promise<void> = async () => undefined,
): Promise<{ cancelled: boolean; smsIds: number[] }> {
  const d1 = ctx.db.$client;
  const nowIso = ctx.now.toISOString();
  const statements = [
    d1
      .prepare(
        "UPDATE appointments SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1 AND status = 'booked' RETURNING id",
      )
      .bind(target.id, nowIso),
  ];
  if (sms) {
    const said = smsAppointment(target, sms.words.language);
    const body = sms.text === "cancelledForYou" ? sms.words.smsCancelled(said) : sms.words.smsCancelledByClinic(said);
    // Only the cancel that won writes the text: the row it cancelled carries this very instant.
    statements.push(
      d1
        .prepare(
          `INSERT INTO sms_outbox (to_number, body, purpose, appointment_id, callback_base, created_at)
           SELECT ?1, ?2, 'cancellation', id, ?3, ?5 FROM appointments WHERE id = ?4 AND status = 'cancelled' AND cancelled_at = ?5
           RETURNING id`,
        )
        .bind(target.patientPhone, body, ctx.origin, target.id, nowIso),
    );
  }
  const [updated, ...rest] = await d1.batch<{ id: number }>([...statements, ...also]);
  const outbox = sms ? rest[0] : undefined;
  if (updated!.results.length === 0) return { cancelled: false, smsIds: [] };
  const smsIds = outbox ? outbox.results.map((r) => r.id) : [];
  const [freed] = await Promise.allSettled([
    doctorDayStub(ctx.doctorDays, target.doctorId, target.date).free(target.startMinute),
    afterCommit(smsIds),
  ]);
  // The appointment is cancelled either way; the reconcile frees the time within a minute.
  if (freed.status === "rejected")
    log.error("appointment cancelled; its time is freed by the next reconcile", {
      appointmentId: target.id,
      error: freed.reason,
    });
  return { cancelled: true, smsIds };
}
