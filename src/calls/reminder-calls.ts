/**
 * The reminder call's purpose: which appointments get one (the cron's bounded read: booked, in
 * the next 40 hours, at a clinic that calls, no call row yet, no opt-out), and what stands in for
 * it when it is never answered (the evening SMS, as the reminder cron writes it, exactly once).
 */
import type { Db } from "../db/client.ts";
import type { Config } from "../config.ts";
import { DEFAULT_TIMEZONE, isValidTimeZone } from "../slots/calendar.ts";
import { smsDestination } from "../sms/policy.ts";
import { reminderSmsStatements, type ReminderFacts } from "../reminders/send.ts";
import { isLanguage } from "../words/index.ts";
import { reminderCallState, reminderCallWindow } from "./due.ts";
import { insertCallStatement, type CallRow } from "../stores/call-outbox.ts";

/** The evening before is at most ~39 hours before an appointment late the next day. */
const LOOKAHEAD_MS = 40 * 3_600_000;
const ZONE_SPREAD_MS = 14 * 3_600_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Candidate {
  id: number;
  date: string;
  startsAt: string;
  createdAt: string;
  timezone: string;
  phone: string;
  language: string | null;
}

/**
 * Writes the reminder call rows that are due (and, for one the cron missed, its SMS at once). The
 * read starts from the clinics that call (a partial index: none, on a line that has not turned
 * calls on) and walks their booked appointments of the dates the next 40 hours can fall on, by
 * clinic and day (the indexes are named, so the planner cannot prefer a scan of every booked
 * appointment), keeping those with no call row yet. It reads every minute what those clinics
 * have booked for the next two days: work the cron may have, not the table's size.
 */
export async function scheduleReminderCalls(
  db: Db,
  config: Pick<Config, "calls" | "smsAllowedCountryCodes" | "sms" | "defaultLanguage" | "publicBaseUrl">,
  now: Date,
): Promise<number> {
  const d1 = db.$client;
  const { results } = await d1
    .prepare(
      `SELECT a.id AS id, a.local_date AS date, a.starts_at AS startsAt, a.created_at AS createdAt,
              c.timezone AS timezone, p.phone AS phone, p.preferred_language AS language
         FROM clinics c INDEXED BY clinics_calling
         -- CROSS JOIN keeps the clinics outermost (SQLite never reorders it).
        CROSS JOIN appointments a INDEXED BY appointments_clinic_day
         JOIN patients p ON p.id = a.patient_id
        WHERE c.reminder_calls = 1 AND a.clinic_id = c.id AND a.local_date BETWEEN ?3 AND ?4
          AND a.status = 'booked' AND a.starts_at > ?1 AND a.starts_at <= ?2
          AND p.reminder_calls_off_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM call_outbox o WHERE o.appointment_id = a.id AND o.purpose = 'reminder')`,
    )
    .bind(
      now.toISOString(),
      new Date(now.getTime() + LOOKAHEAD_MS).toISOString(),
      // The clinic-local dates the window can fall on, in any time zone (UTC-12 to UTC+14).
      utcDate(now.getTime() - ZONE_SPREAD_MS),
      utcDate(now.getTime() + LOOKAHEAD_MS + ZONE_SPREAD_MS),
    )
    .all<Candidate>();
  const runId = crypto.randomUUID();
  const statements: D1PreparedStatement[] = [];
  for (const row of results) {
    // The same anti-pumping rules as every text: a number the line may not text, it does not call.
    if (!smsDestination(row.phone, config).allowed) continue;
    const timezone = isValidTimeZone(row.timezone) ? row.timezone : DEFAULT_TIMEZONE;
    const a = { date: row.date, startsAt: new Date(row.startsAt), bookedAt: new Date(row.createdAt), timezone };
    const state = reminderCallState(a, config.calls.reminderMinute, now);
    if (state !== "due" && state !== "missed") continue;
    const language = row.language && isLanguage(row.language) ? row.language : config.defaultLanguage;
    const call = {
      appointmentId: row.id,
      purpose: "reminder" as const,
      to: row.phone,
      language,
      notAfter: reminderCallWindow(a, config.calls.reminderMinute).to,
      now,
    };
    statements.push(insertCallStatement(d1, call, state === "due" ? "pending" : "failed"));
    // The cron was away all evening: the SMS reminds instead, once (the reminders row is unique).
    if (state === "missed")
      statements.push(...(await reminderFallback(db, config, { appointmentId: row.id }, runId, now)));
  }
  if (statements.length > 0) await d1.batch(statements);
  return statements.length;
}

/** The evening SMS an unanswered (or never placed) reminder call leaves behind; the last statement returns its outbox id. */
export async function reminderFallback(
  db: Db,
  config: Pick<Config, "sms" | "defaultLanguage" | "publicBaseUrl">,
  row: Pick<CallRow, "appointmentId">,
  runId: string,
  now: Date,
  guard?: { sql: string; params: unknown[] },
): Promise<D1PreparedStatement[]> {
  const facts = await db.$client
    .prepare(
      `SELECT a.id AS id, a.token AS token, a.local_date AS date, a.starts_at AS startsAt, d.name AS doctorName,
              c.name AS clinicName, c.display_names AS clinicDisplayNames, c.timezone AS timezone,
              p.phone AS phone, p.preferred_language AS language
         FROM appointments a
         JOIN patients p ON p.id = a.patient_id
         JOIN doctors d ON d.id = a.doctor_id
         JOIN clinics c ON c.id = a.clinic_id
        WHERE a.id = ?1 AND a.status = 'booked'`,
    )
    .bind(row.appointmentId)
    .first<ReminderFacts>();
  if (!facts) return [];
  const timezone = isValidTimeZone(facts.timezone) ? facts.timezone : DEFAULT_TIMEZONE;
  return reminderSmsStatements(db.$client, { ...facts, timezone }, "evening", runId, config, now, guard);
}
