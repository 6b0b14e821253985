/**
 * The appointments table's statements: the one INSERT (for a phone booking, a walk-in and both
 * kinds of move), the status changes that travel in a change's batch, and the joined read
 * model (an appointment with its doctor, patient and clinic) the schedule, the queue, the
 * patient's page and the stranded list select from.
 *
 * The writes are raw prepared statements: each is an INSERT ... SELECT or UPDATE whose
 * condition reads what earlier statements of the same batch wrote (the cancel that happened at
 * this instant, `changes()`), which drizzle's builder cannot say and its batch cannot mix with
 * the outbox's statement. Column names come from the schema's column objects all the same.
 */
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableName,
  gt,
  gte,
  inArray,
  isNotNull,
  lt,
  lte,
  max,
  ne,
  sql,
} from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client.ts";
import { rowsOf, type BatchPart } from "./batch.ts";
import { appointments, clinics, doctors, patients } from "../db/schema.ts";

const TABLE = getTableName(appointments);

/** A value taken from the row the INSERT selects from (the patient found by phone, the appointment moved). */
export interface FromRow {
  column: string;
}

function isFromRow(value: unknown): value is FromRow {
  return typeof value === "object" && value !== null && "column" in value;
}

export interface NewAppointment {
  doctorId: number | FromRow;
  clinicId: number | FromRow;
  patientId: FromRow;
  localDate: string;
  startsAt: string;
  endsAt: string;
  token: string;
  source: (typeof appointments.source.enumValues)[number] | FromRow;
  /** The call (or the desk's hold id) that made it: how a retry finds what it wrote. */
  callSid: string;
  createdAt: string;
  /** A walk-in is booked as they arrive. */
  arrivedAt?: string;
}

/** The new appointment's date and times, from an offered slot. */
export function slotTimes(slot: { date: string; startsAt: Date; endsAt: Date }) {
  return { localDate: slot.date, startsAt: slot.startsAt.toISOString(), endsAt: slot.endsAt.toISOString() };
}

/** Where the INSERT's row comes from, and the condition that must hold for it to be written at all. */
export interface AppointmentSource {
  from: string;
  /** Plain `?` placeholders, bound from `params` in order. */
  where: string;
  params: readonly unknown[];
}

/** `INSERT INTO appointments ... SELECT ... RETURNING id`: the new id, or none when the source found nothing. */
export function insertAppointment(d1: D1Database, row: NewAppointment, source: AppointmentSource): D1PreparedStatement {
  const fields: [SQLiteColumn, unknown][] = [
    [appointments.doctorId, row.doctorId],
    [appointments.clinicId, row.clinicId],
    [appointments.patientId, row.patientId],
    [appointments.localDate, row.localDate],
    [appointments.startsAt, row.startsAt],
    [appointments.endsAt, row.endsAt],
    [appointments.token, row.token],
    [appointments.status, "booked"],
    [appointments.source, row.source],
    [appointments.callSid, row.callSid],
    ...(row.arrivedAt === undefined
      ? []
      : ([
          [appointments.visit, "arrived"],
          [appointments.visitAt, row.arrivedAt],
        ] as [SQLiteColumn, unknown][])),
    [appointments.createdAt, row.createdAt],
  ];
  const columns = fields.map(([column]) => column.name).join(", ");
  const selected = fields.map(([, value]) => (isFromRow(value) ? value.column : "?")).join(", ");
  const values = fields.map(([, value]) => value).filter((value) => !isFromRow(value));
  return d1
    .prepare(
      `INSERT INTO ${TABLE} (${columns}) SELECT ${selected} FROM ${source.from} WHERE ${source.where} RETURNING id`,
    )
    .bind(...values, ...source.params);
}

/** The patient with this phone (written earlier in the batch, or before): `patient.id`. */
export const patientOf = { column: "p.id" } satisfies FromRow;

/** The row of the patient with this phone. */
export function byPatientPhone(phone: string): AppointmentSource {
  return { from: "patients p", where: "p.phone = ?", params: [phone] };
}

/**
 * A phone booking's row: the patient with this phone, while they hold fewer than `limit`
 * upcoming appointments, and only while the day is still bookable. Leave, a holiday or the
 * doctor switched off committed since the object confirmed: D1 orders this write against the
 * change's, so it is refused or the change sees it.
 */
export function forPhoneBooking(
  phone: string,
  at: { doctorId: number; date: string; now: string; limit: number },
): AppointmentSource {
  return {
    from: "patients p",
    where: `p.phone = ?
      AND (SELECT count(*) FROM appointments a WHERE a.patient_id = p.id AND a.status = 'booked' AND a.starts_at > ?) < ?
      AND NOT EXISTS (SELECT 1 FROM doctor_days_off o WHERE o.doctor_id = ? AND o.local_date = ?)
      AND EXISTS (SELECT 1 FROM doctors d WHERE d.id = ? AND d.active = 1)`,
    params: [phone, at.now, at.limit, at.doctorId, at.date, at.doctorId],
  };
}

/** The old appointment's row, only when it was cancelled at `cancelledAt` (in this batch) and not yet linked. */
export function replacing(oldId: number, cancelledAt: string): AppointmentSource {
  return {
    from: "appointments o",
    where: "o.id = ? AND o.status = 'cancelled' AND o.cancelled_at = ? AND o.moved_to IS NULL",
    params: [oldId, cancelledAt],
  };
}

/** The old appointment's row, only when the statement just before changed exactly one row (its cancel). */
export function replacingIfChanged(oldId: number): AppointmentSource {
  return { from: "appointments", where: "id = ? AND changes() = 1", params: [oldId] };
}

/** Cancels a booked appointment; returns its id only if this statement cancelled it. */
export function cancelBookedStatement(
  d1: D1Database,
  id: number,
  at: string,
  only: { patientPhone?: string; notArrived?: boolean } = {},
): D1PreparedStatement {
  const conditions = [
    "id = ?1 AND status = 'booked'",
    ...(only.patientPhone === undefined ? [] : ["patient_id = (SELECT id FROM patients WHERE phone = ?3)"]),
    ...(only.notArrived ? ["visit IS NULL"] : []),
  ];
  const params = only.patientPhone === undefined ? [id, at] : [id, at, only.patientPhone];
  return d1
    .prepare(
      `UPDATE appointments SET status = 'cancelled', cancelled_at = ?2 WHERE ${conditions.join(" AND ")} RETURNING id`,
    )
    .bind(...params);
}

/** Links a moved appointment to the one the call `callSid` booked in its place (an old appointment points at the new). */
export function linkMovedStatement(
  d1: D1Database,
  oldId: number,
  callSid: string,
  cancelledAt?: string,
): D1PreparedStatement {
  if (cancelledAt === undefined)
    return d1
      .prepare(
        "UPDATE appointments SET moved_to = (SELECT id FROM appointments WHERE call_sid = ?2) WHERE id = ?1 AND EXISTS (SELECT 1 FROM appointments WHERE call_sid = ?2)",
      )
      .bind(oldId, callSid);
  return d1
    .prepare(
      `UPDATE appointments SET moved_to = (SELECT id FROM appointments WHERE call_sid = ?1 AND status = 'booked')
        WHERE id = ?2 AND status = 'cancelled' AND cancelled_at = ?3 AND moved_to IS NULL`,
    )
    .bind(callSid, oldId, cancelledAt);
}

/**
 * The joined read model: an appointment with its doctor, patient and clinic. Joined on the
 * foreign keys, so every appointment has exactly one row; callers filter and order.
 */
export const appointmentView = {
  id: appointments.id,
  token: appointments.token,
  doctorId: appointments.doctorId,
  doctorName: doctors.name,
  doctorActive: doctors.active,
  clinicId: appointments.clinicId,
  clinicName: clinics.name,
  clinicDisplayNames: clinics.displayNames,
  timezone: clinics.timezone,
  date: appointments.localDate,
  startsAt: appointments.startsAt,
  endsAt: appointments.endsAt,
  status: appointments.status,
  source: appointments.source,
  visit: appointments.visit,
  urgent: appointments.urgent,
  patientPhone: patients.phone,
};

export function selectAppointments(db: Db) {
  return db
    .select(appointmentView)
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId));
}

/** The read model with the doctor's own latest visit note on each appointment (reasons/notes.ts saveOwnNote): the day's queue. */
export function selectAppointmentsWithNotes(db: Db) {
  return db
    .select({
      ...appointmentView,
      note: sql<string | null>`(SELECT n.body FROM visit_notes n WHERE n.appointment_id = ${appointments.id}
        AND n.author_role = 'doctor' AND n.author_doctor_id = ${appointments.doctorId} ORDER BY n.id DESC LIMIT 1)`,
      // Pressed 1 on the reminder call (src/calls): the queue shows confirmed or unconfirmed.
      confirmedAt: appointments.confirmedAt,
    })
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId));
}

/** The window a count of booked appointments looks at: dates and the earliest start an offer may use. */
function bookableWindow(now: Date, config: { leadMinutes: number; horizonDays: number }) {
  // Local dates within a day of UTC's: a superset of every clinic's horizon.
  return {
    first: new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10),
    last: new Date(now.getTime() + (config.horizonDays + 1) * 86_400_000).toISOString().slice(0, 10),
    threshold: new Date(now.getTime() + config.leadMinutes * 60_000).toISOString(),
  };
}

/** A clinic's live appointments per doctor and date, from the lead time on (offer.ts's bookedCounts): to send in a batch with other reads. */
export function bookedCountsQuery(
  db: Db,
  clinicId: number,
  now: Date,
  config: { leadMinutes: number; horizonDays: number },
) {
  const { first, last, threshold } = bookableWindow(now, config);
  return db
    .select({ doctorId: appointments.doctorId, date: appointments.localDate, n: count() })
    .from(appointments)
    .where(
      and(
        eq(appointments.clinicId, clinicId),
        ne(appointments.status, "cancelled"),
        gte(appointments.localDate, first),
        lte(appointments.localDate, last),
        gte(appointments.startsAt, threshold),
      ),
    )
    .groupBy(appointments.doctorId, appointments.localDate);
}

/**
 * The booked counts (as offer.ts's bookedCounts) of every clinic where this phone has an
 * upcoming appointment: sent in one batch with the appointments, so a move's offer needs no
 * round trip of its own for them.
 */
export function bookedCountsForPhonePart(
  d1: D1Database,
  phone: string,
  now: Date,
  config: { leadMinutes: number; horizonDays: number },
): BatchPart<Map<string, number>> {
  const { first, last, threshold } = bookableWindow(now, config);
  const rows = rowsOf<{ doctorId: number; date: string; n: number }>(
    d1
      .prepare(
        `SELECT a.doctor_id AS doctorId, a.local_date AS date, count(*) AS n FROM appointments a
        WHERE a.status <> 'cancelled' AND a.local_date >= ?1 AND a.local_date <= ?2 AND a.starts_at >= ?3
          AND a.clinic_id IN (SELECT m.clinic_id FROM appointments m JOIN patients p ON p.id = m.patient_id
                               WHERE p.phone = ?4 AND m.status = 'booked' AND m.starts_at > ?5)
        GROUP BY a.doctor_id, a.local_date`,
      )
      .bind(first, last, threshold, phone, now.toISOString()),
  );
  return {
    statements: rows.statements,
    read: (results) => new Map(rows.read(results).map((r) => [`${Number(r.doctorId)}:${String(r.date)}`, Number(r.n)])),
  };
}

/** Where a booked patient is on the day (null until they arrive), or null when there is no such appointment. */
export async function visitOf(db: Db, id: number): Promise<string | null> {
  const row = await db.select({ visit: appointments.visit }).from(appointments).where(eq(appointments.id, id)).get();
  return row?.visit ?? null;
}

type VisitState = { status: string; visit: string | null };

/** Moves an appointment's day from `before` (what the desk saw) to `after`; returns its id only if it was still `before`. */
export function visitStepStatement(
  d1: D1Database,
  id: number,
  before: VisitState,
  after: VisitState,
  at: string,
): D1PreparedStatement {
  return d1
    .prepare(
      `UPDATE appointments SET status = ?1, visit = ?2, visit_at = ?3
        WHERE id = ?4 AND status = ?5 AND visit IS ?6 RETURNING id`,
    )
    .bind(after.status, after.visit, at, id, before.status, before.visit);
}

/** The appointment that replaced a cancelled one (`moved_to`), with its clinic's zone. Raw: a self-join. */
export function replacementOf(d1: D1Database, id: number) {
  return d1
    .prepare(
      `SELECT n.id, n.token, n.local_date AS date, n.starts_at AS startsAt, c.timezone
         FROM appointments o JOIN appointments n ON n.id = o.moved_to JOIN clinics c ON c.id = n.clinic_id
        WHERE o.id = ? AND o.status = 'cancelled'`,
    )
    .bind(id)
    .first<{ id: number; token: string; date: string; startsAt: string; timezone: string }>();
}

/** The live appointment a call (or the desk's hold id) booked, if any: how a retried confirm finds what it wrote. */
export function bookedByCall(db: Db, callSid: string) {
  return db
    .select({ id: appointments.id, token: appointments.token })
    .from(appointments)
    .where(and(eq(appointments.callSid, callSid), eq(appointments.status, "booked")))
    .get();
}

/** The ids of a doctor's booked appointments on these dates, soonest first. */
export function bookedOnDates(db: Db, doctorId: number, dates: readonly string[]) {
  return db
    .select({ id: appointments.id })
    .from(appointments)
    .where(
      and(
        eq(appointments.doctorId, doctorId),
        inArray(appointments.localDate, [...dates]),
        eq(appointments.status, "booked"),
      ),
    )
    .orderBy(asc(appointments.startsAt));
}

/** Where an appointment is in its day, with its clinic's zone: what a desk's visit step starts from. */
export function visitStateOf(db: Db, id: number) {
  return db
    .select({
      status: appointments.status,
      visit: appointments.visit,
      date: appointments.localDate,
      token: appointments.token,
      clinicId: appointments.clinicId,
      timezone: clinics.timezone,
    })
    .from(appointments)
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .where(eq(appointments.id, id))
    .get();
}

/** The clinic and doctor of an appointment, for the access check before anything is done to it. */
export function appointmentOwner(db: Db, appointmentId: number) {
  return db
    .select({ clinicId: appointments.clinicId, doctorId: appointments.doctorId, token: appointments.token })
    .from(appointments)
    .where(eq(appointments.id, appointmentId))
    .get();
}

/** A clinic's appointments (any status) on local dates first..last: what its numbers are counted from. */
export function clinicAppointmentsBetween(db: Db, clinicId: number, first: string, last: string) {
  return db
    .select({
      date: appointments.localDate,
      startsAt: appointments.startsAt,
      source: appointments.source,
      status: appointments.status,
      visit: appointments.visit,
    })
    .from(appointments)
    .where(
      and(eq(appointments.clinicId, clinicId), gte(appointments.localDate, first), lte(appointments.localDate, last)),
    );
}

/** What a change to a doctor-day is told by: the appointment, its doctor and date, and when it was cancelled. */
const changeColumns = {
  id: appointments.id,
  doctorId: appointments.doctorId,
  date: appointments.localDate,
  cancelledAt: appointments.cancelledAt,
};

/** Appointments created after `afterId`, oldest first, at most `limit`: the reconciler's new work. */
export function appointmentsCreatedAfter(db: Db, afterId: number, limit: number) {
  return db
    .select(changeColumns)
    .from(appointments)
    .where(gt(appointments.id, afterId))
    .orderBy(asc(appointments.id))
    .limit(limit);
}

/** Appointments cancelled at `since`..`until` (inclusive), earliest cancel first, at most `limit`. */
export function appointmentsCancelledBetween(db: Db, since: string, until: string, limit: number) {
  return db
    .select(changeColumns)
    .from(appointments)
    .where(
      and(
        isNotNull(appointments.cancelledAt),
        gte(appointments.cancelledAt, since),
        lte(appointments.cancelledAt, until),
      ),
    )
    .orderBy(asc(appointments.cancelledAt))
    .limit(limit);
}

/** The highest appointment id (a one-row result, null id when there are none). */
export function newestAppointmentId(db: Db) {
  return db.select({ id: max(appointments.id) }).from(appointments);
}

/** Every appointment (any status) of these doctors on local dates firstDay..lastDay: a doctor-day's truth in D1. */
export function doctorsAppointmentsBetween(db: Db, doctorIds: readonly number[], firstDay: string, lastDay: string) {
  return db
    .select({
      doctorId: appointments.doctorId,
      date: appointments.localDate,
      startsAt: appointments.startsAt,
      endsAt: appointments.endsAt,
      status: appointments.status,
    })
    .from(appointments)
    .where(
      and(
        inArray(appointments.doctorId, [...doctorIds]),
        gte(appointments.localDate, firstDay),
        lte(appointments.localDate, lastDay),
      ),
    );
}

/** Whose an appointment is (clinic, doctor, patient) and when it starts: what health data's access checks and summaries start from. */
export function appointmentParties(db: Db, id: number) {
  return db
    .select({
      id: appointments.id,
      clinicId: appointments.clinicId,
      doctorId: appointments.doctorId,
      patientId: appointments.patientId,
      startsAt: appointments.startsAt,
    })
    .from(appointments)
    .where(eq(appointments.id, id))
    .get();
}

/** The ids of a patient's booked appointments at a clinic starting after `now`, soonest first. */
export async function upcomingAtClinic(
  db: Db,
  clinicId: number,
  patientId: number,
  now: string,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .select({ id: appointments.id })
    .from(appointments)
    .where(
      and(
        eq(appointments.clinicId, clinicId),
        eq(appointments.patientId, patientId),
        eq(appointments.status, "booked"),
        gt(appointments.startsAt, now),
      ),
    )
    .orderBy(asc(appointments.startsAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The date of the patient's visit (booked or completed) at the same clinic before this appointment, latest first (one row at most). */
export function previousVisitOf(
  db: Db,
  appointment: { id: number; clinicId: number; patientId: number; startsAt: string },
) {
  return db
    .select({ date: appointments.localDate })
    .from(appointments)
    .where(
      and(
        eq(appointments.clinicId, appointment.clinicId),
        eq(appointments.patientId, appointment.patientId),
        ne(appointments.id, appointment.id),
        lt(appointments.startsAt, appointment.startsAt),
        inArray(appointments.status, ["booked", "completed"]),
      ),
    )
    .orderBy(desc(appointments.startsAt))
    .limit(1);
}

/**
 * The patient confirms they will come (1 on the reminder call): the appointment is marked, once.
 * Only a booked appointment of this phone; a second confirmation keeps the first one's time.
 */
export async function confirmAttendance(db: Db, phone: string, appointmentId: number, now: Date): Promise<boolean> {
  const row = await db.$client
    .prepare(
      `UPDATE appointments SET confirmed_at = coalesce(confirmed_at, ?1)
        WHERE id = ?2 AND status = 'booked' AND patient_id = (SELECT id FROM patients WHERE phone = ?3)
        RETURNING id`,
    )
    .bind(now.toISOString(), appointmentId, phone)
    .first<{ id: number }>();
  return row !== null;
}
