/**
 * The patients table and its read model: a patient's live appointments as the line speaks and
 * texts them (`PatientAppointment`), the language they chose, and the row a booking makes.
 * The statements sent in other modules' raw batches (the booking's patient row, the language
 * and appointments read beside other statements) and the upserts are raw; the rest is drizzle.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { appointments } from "../db/schema.ts";
import { lastFour } from "../patients/phone.ts";
import { DEFAULT_TIMEZONE, isValidTimeZone, localClock } from "../slots/calendar.ts";
import { isLanguage, type Language } from "../words/index.ts";
import { selectAppointments } from "./appointments.ts";
import { rowsOf, type BatchPart } from "./batch.ts";

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

type StoredAppointment = Omit<PatientAppointment, "startMinute">;

function withMinute<T extends { startsAt: string; timezone: string }>(row: T): T & { startMinute: number } {
  return { ...row, startMinute: localClock(new Date(row.startsAt), row.timezone).minute };
}

/**
 * The phone's booked appointments that have not started yet, soonest first, as a batch part.
 * Plain SQL with one alias per column: drizzle's batch maps joined columns by position and
 * mixes up the two `name` columns.
 */
export function upcomingForPhonePart(d1: D1Database, phone: string, now: Date): BatchPart<PatientAppointment[]> {
  const rows = rowsOf<StoredAppointment>(
    d1
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
      .bind(phone, now.toISOString()),
  );
  return { statements: rows.statements, read: (results) => asPatientAppointments(rows.read(results)) };
}

/** Stored rows as appointments, with their clinic-local start minute. */
function asPatientAppointments(rows: readonly StoredAppointment[]): PatientAppointment[] {
  // An unknown stored zone falls back as everywhere else (the directory logs it).
  return rows.map((row) =>
    withMinute({ ...row, timezone: isValidTimeZone(row.timezone) ? row.timezone : DEFAULT_TIMEZONE }),
  );
}

/** The phone's booked appointments that have not started yet, soonest first. */
export async function upcomingForPhone(db: Db, phone: string, now: Date): Promise<PatientAppointment[]> {
  const part = upcomingForPhonePart(db.$client, phone, now);
  return part.read(await Promise.all(part.statements.map((statement) => statement.all())));
}

/** One appointment by id, whatever its status (null if there is none). */
export async function appointmentById(db: Db, id: number): Promise<(PatientAppointment & { status: string }) | null> {
  const row = await selectAppointments(db).where(eq(appointments.id, id)).get();
  if (!row) return null;
  const { token, doctorId, doctorName, clinicId, clinicName, clinicDisplayNames, timezone, date, startsAt } = row;
  return withMinute({
    id: row.id,
    token,
    doctorId,
    doctorName,
    clinicId,
    clinicName,
    clinicDisplayNames,
    timezone,
    date,
    startsAt,
    patientPhone: row.patientPhone,
    status: row.status,
  });
}

/** A patient's appointments of every status, newest first (at most `limit`): the patient's page. */
export function appointmentsOfPatient(db: Db, patientId: number, limit: number) {
  return selectAppointments(db)
    .where(and(eq(appointments.patientId, patientId)))
    .orderBy(desc(appointments.startsAt))
    .limit(limit);
}

/** Makes the patient row for this number unless there is one; a booking's batch then finds it by phone. */
export function ensurePatientStatement(d1: D1Database, phone: string, name: string, at: Date): D1PreparedStatement {
  return d1
    .prepare("INSERT INTO patients (phone, name, created_at) VALUES (?, ?, ?) ON CONFLICT (phone) DO NOTHING")
    .bind(phone, name, at.toISOString());
}

/** The language the patient with this number chose, as a batch part: null when unknown or never chosen. */
export function preferredLanguagePart(d1: D1Database, phone: string): BatchPart<Language | null> {
  const rows = rowsOf<{ language: string | null }>(
    d1.prepare("SELECT preferred_language AS language FROM patients WHERE phone = ?").bind(phone),
  );
  return {
    statements: rows.statements,
    read: (results) => {
      const language = rows.read(results)[0]?.language;
      return language && isLanguage(language) ? language : null;
    },
  };
}

/** The stored choice of the patient with this E.164 number, or null (unknown number, never chose). */
export async function preferredLanguage(db: Db, phone: string): Promise<Language | null> {
  const row = await db.$client
    .prepare("SELECT preferred_language AS language FROM patients WHERE phone = ?")
    .bind(phone)
    .first<{ language: string | null }>();
  return row?.language && isLanguage(row.language) ? row.language : null;
}

/**
 * Stores a choice, making the patient row if this number has none yet (the booking batch
 * then finds it, as it would a returning patient's).
 */
export async function rememberLanguage(db: Db, phone: string, language: Language): Promise<void> {
  await db.$client
    .prepare(
      `INSERT INTO patients (phone, name, preferred_language, created_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (phone) DO UPDATE SET preferred_language = excluded.preferred_language`,
    )
    .bind(phone, `Phone patient ${lastFour(phone)}`, language, new Date().toISOString())
    .run();
}

/** A patient's "stop these calls" (9 on a reminder call): kept, with its first time, for every later reminder. */
export async function stopReminderCalls(db: Db, phone: string, now: Date): Promise<void> {
  await db.$client
    .prepare("UPDATE patients SET reminder_calls_off_at = coalesce(reminder_calls_off_at, ?1) WHERE phone = ?2")
    .bind(now.toISOString(), phone)
    .run();
}
