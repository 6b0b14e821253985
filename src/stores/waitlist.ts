/**
 * The waitlist's statements: who waits for what, and each freed time offered to one of them.
 * Every decision that must hold under concurrency is one conditional statement, so D1 (one
 * writer) orders it against every other: an entry joins once per scope, a patient holds at
 * most one live offer, a time is in at most one live offer, an outcome is settled once.
 */

/** What a waiting patient waits for: a doctor (or any doctor of a speciality, or of the clinic) over some days. */
export interface WaitlistScope {
  clinicId: number;
  /** 0: any doctor (of the speciality, when one is given). */
  doctorId: number;
  specializationId: number;
  fromDate: string;
  toDate: string;
}

/** A freed time, as its doctor-day object names it. */
export interface FreedTime {
  doctorId: number;
  date: string;
  startMinute: number;
}

/** A waiting entry a freed time fits, with the number and language to tell. */
export interface WaitingEntry {
  id: number;
  phone: string;
  language: string;
}

/** A live offer, as a call says it and books it. */
export interface LiveOffer extends FreedTime {
  id: number;
  entryId: number;
  holdId: string;
  expiresAtMs: number;
  clinicId: number;
  doctorName: string;
  timezone: string;
}

/**
 * Joins the phone's patient to the waitlist (the patient row must exist: ensurePatientStatement
 * first in the same batch). Joining again with the same scope while waiting changes nothing:
 * the first place in line stays. Returns the new entry's id, or none.
 */
export function joinStatement(
  d1: D1Database,
  phone: string,
  scope: WaitlistScope,
  language: string,
  nowIso: string,
): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT OR IGNORE INTO waitlist (patient_id, clinic_id, doctor_id, specialization_id, from_date, to_date, language, created_at)
       SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM patients WHERE phone = ?1
       RETURNING id`,
    )
    .bind(
      phone,
      scope.clinicId,
      scope.doctorId,
      scope.specializationId,
      scope.fromDate,
      scope.toDate,
      language,
      nowIso,
    );
}

/** A live offer: still `offered` and not expired at `?` (ms). */
const LIVE = "o.outcome = 'offered' AND o.expires_at_ms > ?";

/**
 * The waiting entries a freed time fits, first in line first: same clinic, the doctor or the
 * doctor's speciality (or any), the day within the range; never one that was offered this time
 * before, never a patient who holds a live offer.
 */
export async function candidates(
  d1: D1Database,
  time: FreedTime & { clinicId: number; specializationId: number },
  nowMs: number,
  limit: number,
): Promise<WaitingEntry[]> {
  const { results } = await d1
    .prepare(
      `SELECT w.id AS id, p.phone AS phone, w.language AS language
         FROM waitlist w JOIN patients p ON p.id = w.patient_id
        WHERE w.clinic_id = ?1 AND w.status = 'waiting'
          AND w.doctor_id IN (0, ?2) AND w.specialization_id IN (0, ?3)
          AND w.from_date <= ?4 AND w.to_date >= ?4
          AND NOT EXISTS (SELECT 1 FROM waitlist_offers o
                           WHERE o.entry_id = w.id AND o.doctor_id = ?2 AND o.local_date = ?4 AND o.start_minute = ?5)
          AND NOT EXISTS (SELECT 1 FROM waitlist_offers o JOIN waitlist m ON m.id = o.entry_id
                           WHERE m.patient_id = w.patient_id AND o.outcome = 'offered' AND o.expires_at_ms > ?6)
        ORDER BY w.created_at, w.id
        LIMIT ?7`,
    )
    .bind(time.clinicId, time.doctorId, time.specializationId, time.date, time.startMinute, nowMs, limit)
    .all<WaitingEntry>();
  return results;
}

/**
 * Records an offer of a time the doctor-day object now holds under `holdId`, only if the entry
 * still waits, its patient holds no other live offer, and no live offer has this time. Returns
 * the new offer's id, or none when another offer won meanwhile.
 */
export function insertOfferStatement(
  d1: D1Database,
  entryId: number,
  time: FreedTime,
  holdId: string,
  nowIso: string,
  nowMs: number,
  expiresAtMs: number,
): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO waitlist_offers (entry_id, doctor_id, local_date, start_minute, hold_id, offered_at, expires_at_ms)
       SELECT w.id, ?2, ?3, ?4, ?5, ?6, ?8 FROM waitlist w
        WHERE w.id = ?1 AND w.status = 'waiting'
          AND NOT EXISTS (SELECT 1 FROM waitlist_offers o JOIN waitlist m ON m.id = o.entry_id
                           WHERE m.patient_id = w.patient_id AND ${LIVE.replaceAll("?", "?7")})
          AND NOT EXISTS (SELECT 1 FROM waitlist_offers o
                           WHERE o.doctor_id = ?2 AND o.local_date = ?3 AND o.start_minute = ?4 AND ${LIVE.replaceAll("?", "?7")})
       RETURNING id`,
    )
    .bind(entryId, time.doctorId, time.date, time.startMinute, holdId, nowIso, nowMs, expiresAtMs);
}

const OFFER_COLUMNS = `o.id AS id, o.entry_id AS entryId, o.hold_id AS holdId, o.doctor_id AS doctorId,
  o.local_date AS date, o.start_minute AS startMinute, o.expires_at_ms AS expiresAtMs,
  w.clinic_id AS clinicId, d.name AS doctorName, c.timezone AS timezone`;
const OFFER_FROM = `waitlist_offers o JOIN waitlist w ON w.id = o.entry_id JOIN patients p ON p.id = w.patient_id
  JOIN doctors d ON d.id = o.doctor_id JOIN clinics c ON c.id = w.clinic_id`;

/** The phone's live offer, if it has one (at most one: see insertOfferStatement). */
export function liveOfferForPhoneStatement(d1: D1Database, phone: string, nowMs: number): D1PreparedStatement {
  return d1
    .prepare(`SELECT ${OFFER_COLUMNS} FROM ${OFFER_FROM} WHERE p.phone = ? AND ${LIVE} LIMIT 1`)
    .bind(phone, nowMs);
}

/** One live offer, only if it is this phone's. */
export function liveOffer(d1: D1Database, offerId: number, phone: string, nowMs: number): Promise<LiveOffer | null> {
  return d1
    .prepare(`SELECT ${OFFER_COLUMNS} FROM ${OFFER_FROM} WHERE o.id = ? AND p.phone = ? AND ${LIVE}`)
    .bind(offerId, phone, nowMs)
    .first<LiveOffer>();
}

/** The offer is taken: its entry is done. Both only from a live offer, so a replay changes nothing. */
export function takenStatements(d1: D1Database, offerId: number, nowIso: string): D1PreparedStatement[] {
  return [
    d1
      .prepare(
        "UPDATE waitlist SET status = 'booked', ended_at = ?2 WHERE status = 'waiting' AND id = (SELECT entry_id FROM waitlist_offers WHERE id = ?1 AND outcome = 'offered')",
      )
      .bind(offerId, nowIso),
    d1.prepare("UPDATE waitlist_offers SET outcome = 'taken' WHERE id = ? AND outcome = 'offered'").bind(offerId),
  ];
}

/** The patient passed the offer on (2): settled once; the held time's object and time come back to pass it on. */
export function passStatement(d1: D1Database, offerId: number, phone: string): D1PreparedStatement {
  return d1
    .prepare(
      `UPDATE waitlist_offers SET outcome = 'passed'
        WHERE id = ?1 AND outcome = 'offered'
          AND entry_id IN (SELECT w.id FROM waitlist w JOIN patients p ON p.id = w.patient_id WHERE p.phone = ?2)
       RETURNING hold_id AS holdId, doctor_id AS doctorId, local_date AS date, start_minute AS startMinute`,
    )
    .bind(offerId, phone);
}

/** Offers whose window has passed and are not settled yet, oldest first. */
export async function lapsedOffers(
  d1: D1Database,
  nowMs: number,
  limit: number,
): Promise<(FreedTime & { id: number; holdId: string })[]> {
  const { results } = await d1
    .prepare(
      `SELECT id, hold_id AS holdId, doctor_id AS doctorId, local_date AS date, start_minute AS startMinute
         FROM waitlist_offers WHERE outcome = 'offered' AND expires_at_ms <= ? ORDER BY expires_at_ms, id LIMIT ?`,
    )
    .bind(nowMs, limit)
    .all<FreedTime & { id: number; holdId: string }>();
  return results;
}

/**
 * Settles a lapsed offer: taken if its booking landed (the booking's call id is the hold id:
 * the step after the booking may have failed), else expired. Returns the outcome, or none when
 * another run settled it first.
 */
export function settleLapsedStatements(d1: D1Database, offerId: number, nowIso: string): D1PreparedStatement[] {
  const booked = "EXISTS (SELECT 1 FROM appointments a WHERE a.call_sid = o.hold_id AND a.status <> 'cancelled')";
  return [
    d1
      .prepare(
        `UPDATE waitlist SET status = 'booked', ended_at = ?2 WHERE status = 'waiting'
           AND id = (SELECT o.entry_id FROM waitlist_offers o WHERE o.id = ?1 AND o.outcome = 'offered' AND ${booked})`,
      )
      .bind(offerId, nowIso),
    d1
      .prepare(
        `UPDATE waitlist_offers AS o SET outcome = CASE WHEN ${booked} THEN 'taken' ELSE 'expired' END
          WHERE o.id = ? AND o.outcome = 'offered' RETURNING outcome`,
      )
      .bind(offerId),
  ];
}

/** The desk removes a waiting entry of its clinic; its live offer, if any, is withdrawn beside it. */
export function removeStatements(
  d1: D1Database,
  entryId: number,
  clinicId: number,
  nowIso: string,
): D1PreparedStatement[] {
  return [
    d1
      .prepare(
        "UPDATE waitlist SET status = 'removed', ended_at = ?3 WHERE id = ?1 AND clinic_id = ?2 AND status = 'waiting' RETURNING id",
      )
      .bind(entryId, clinicId, nowIso),
    d1
      .prepare(
        `UPDATE waitlist_offers SET outcome = 'withdrawn'
          WHERE entry_id = ?1 AND outcome = 'offered'
            AND EXISTS (SELECT 1 FROM waitlist WHERE id = ?1 AND clinic_id = ?2 AND status = 'removed' AND ended_at = ?3)
         RETURNING hold_id AS holdId, doctor_id AS doctorId, local_date AS date, start_minute AS startMinute`,
      )
      .bind(entryId, clinicId, nowIso),
  ];
}

/** A waiting entry as the desk lists it. */
export interface DeskEntry {
  id: number;
  phone: string;
  patientName: string;
  doctorId: number;
  doctorName: string | null;
  specializationId: number;
  specialization: string | null;
  fromDate: string;
  toDate: string;
  createdAt: string;
  /** The time held for this patient now, if any. */
  offeredDate: string | null;
  offeredMinute: number | null;
  offeredDoctor: string | null;
  offerExpiresAtMs: number | null;
}

/** The clinic's waiting entries whose range reaches `fromDate` or later, first in line first. */
export async function deskEntries(
  d1: D1Database,
  clinicId: number,
  fromDate: string,
  nowMs: number,
): Promise<DeskEntry[]> {
  const { results } = await d1
    .prepare(
      `SELECT w.id AS id, p.phone AS phone, p.name AS patientName, w.doctor_id AS doctorId, d.name AS doctorName,
              w.specialization_id AS specializationId, s.name AS specialization, w.from_date AS fromDate,
              w.to_date AS toDate, w.created_at AS createdAt, o.local_date AS offeredDate,
              o.start_minute AS offeredMinute, od.name AS offeredDoctor, o.expires_at_ms AS offerExpiresAtMs
         FROM waitlist w JOIN patients p ON p.id = w.patient_id
         LEFT JOIN doctors d ON d.id = w.doctor_id
         LEFT JOIN specializations s ON s.id = w.specialization_id
         LEFT JOIN waitlist_offers o ON o.entry_id = w.id AND ${LIVE.replaceAll("?", "?3")}
         LEFT JOIN doctors od ON od.id = o.doctor_id
        WHERE w.clinic_id = ?1 AND w.status = 'waiting' AND w.to_date >= ?2
        ORDER BY w.created_at, w.id
        LIMIT 500`,
    )
    .bind(clinicId, fromDate, nowMs)
    .all<DeskEntry>();
  return results;
}

/** This week's freed times of the clinic that went to the waitlist: offered (distinct times) and taken. */
export async function weekFigures(
  d1: D1Database,
  clinicId: number,
  sinceIso: string,
): Promise<{ offered: number; taken: number }> {
  const row = await d1
    .prepare(
      `SELECT count(DISTINCT o.doctor_id || ':' || o.local_date || ':' || o.start_minute) AS offered,
              count(CASE WHEN o.outcome = 'taken' THEN 1 END) AS taken
         FROM waitlist_offers o JOIN waitlist w ON w.id = o.entry_id
        WHERE w.clinic_id = ? AND o.offered_at >= ?`,
    )
    .bind(clinicId, sinceIso)
    .first<{ offered: number; taken: number }>();
  return { offered: row?.offered ?? 0, taken: row?.taken ?? 0 };
}

/** An offer as its call (and the call's fallback text) needs it, live or not. */
export interface OfferForCall extends FreedTime {
  id: number;
  outcome: string;
  expiresAtMs: number;
  phone: string;
  /** The language the patient joined in. */
  language: string;
  /** The patient pressed "stop these calls" on a reminder call. */
  callsOffAt: string | null;
  doctorName: string;
  clinicName: string;
  clinicDisplayNames: string | null;
  timezone: string;
}

export function offerForCall(d1: D1Database, offerId: number): Promise<OfferForCall | null> {
  return d1
    .prepare(
      `SELECT o.id AS id, o.outcome AS outcome, o.expires_at_ms AS expiresAtMs, o.doctor_id AS doctorId,
              o.local_date AS date, o.start_minute AS startMinute, p.phone AS phone, w.language AS language,
              p.reminder_calls_off_at AS callsOffAt, d.name AS doctorName, c.name AS clinicName,
              c.display_names AS clinicDisplayNames, c.timezone AS timezone
         FROM ${OFFER_FROM} WHERE o.id = ?`,
    )
    .bind(offerId)
    .first<OfferForCall>();
}
