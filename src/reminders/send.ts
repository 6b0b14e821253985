/**
 * The reminder cron: every booked appointment starting within two days whose reminder is due
 * gets it once, through the SMS outbox and queue like every other text. Exactly once per
 * appointment and kind, whether the cron runs late, twice or concurrently: the reminder row
 * (unique per appointment and kind) and its SMS are written in one D1 batch, the SMS only if
 * this run's row is the one that landed. A cancelled or moved appointment is no longer
 * booked, so it is never selected (and the batch re-checks it); the new time of a moved one is
 * an appointment of its own with its own reminders.
 * A run reads only what it works on: each appointment carries when its next reminder is due
 * (`remind_at`, set by the run that first sees it and by each run that sends one), so the
 * appointments already reminded are not read again every minute.
 */
import { log } from "../log.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { nameIn } from "../db/display-names.ts";
import { REMINDER_KINDS, type ReminderKind } from "../db/schema.ts";
import { DEFAULT_TIMEZONE, isValidTimeZone, localClock } from "../slots/calendar.ts";
import { enqueueJobs, type Job } from "../jobs/queue.ts";
import { insertOutbox } from "../stores/outbox.ts";
import { appointmentSms, smsWording } from "../sms/texts.ts";
import { isLanguage, type Language } from "../words/index.ts";
import { reminderCallApplies } from "../calls/due.ts";
import { smsDestination } from "../sms/policy.ts";
import { dueReminder, nextReminderAt } from "./due.ts";

/** Appointments a run takes each way (due, and new to the cron): more wait for the next minute. */
export const REMINDERS_PER_RUN = 200;

/**
 * The booked appointments a run looks at, with what a text needs. `which` picks them through
 * `appointments_remind`: those whose next reminder is due by now, and those the cron has not
 * seen yet (remind_at null) that start after now. Reminded ones are not read again.
 */
const candidates = (which: string, order: string) =>
  `SELECT a.id AS id, a.token AS token, a.local_date AS date, a.starts_at AS startsAt, a.created_at AS createdAt,
          d.name AS doctorName, c.name AS clinicName, c.display_names AS clinicDisplayNames, c.timezone AS timezone,
          p.phone AS phone, p.preferred_language AS language,
          c.reminder_calls AS calls, p.reminder_calls_off_at AS callsOff,
          (SELECT o.status FROM call_outbox o WHERE o.appointment_id = a.id AND o.purpose = 'reminder') AS called,
          (SELECT group_concat(r.kind) FROM reminders r WHERE r.appointment_id = a.id) AS sent
     FROM (SELECT * FROM appointments WHERE status = 'booked' AND ${which} ORDER BY ${order} LIMIT ?2) a
     JOIN patients p ON p.id = a.patient_id
     JOIN doctors d ON d.id = a.doctor_id
     JOIN clinics c ON c.id = a.clinic_id`;

interface Candidate {
  id: number;
  token: string;
  date: string;
  startsAt: string;
  createdAt: string;
  doctorName: string;
  clinicName: string;
  clinicDisplayNames: string | null;
  timezone: string;
  phone: string;
  language: string | null;
  /** The clinic calls its patients the evening before (1), and this patient has not said stop. */
  calls: number;
  callsOff: string | null;
  /** The reminder call's status, when there is one. */
  called: string | null;
  sent: string | null;
}

export interface ReminderRun {
  /** Outbox rows this run wrote (and queued). */
  sent: { appointmentId: number; kind: ReminderKind; outboxId: number }[];
}

const isReminderKind = (kind: string): kind is ReminderKind => (REMINDER_KINDS as readonly string[]).includes(kind);

export async function sendDueReminders(
  db: Db,
  queue: Queue<Job>,
  config: Pick<Config, "sms" | "defaultLanguage" | "publicBaseUrl" | "calls" | "smsAllowedCountryCodes">,
  now: Date,
): Promise<ReminderRun> {
  const d1 = db.$client;
  const nowIso = now.toISOString();
  const [due, unseen] = await d1.batch<Candidate>([
    d1.prepare(candidates("remind_at > '' AND remind_at <= ?1", "remind_at")).bind(nowIso, REMINDERS_PER_RUN),
    d1.prepare(candidates("remind_at IS NULL AND starts_at > ?1", "starts_at")).bind(nowIso, REMINDERS_PER_RUN),
  ]);
  const runId = crypto.randomUUID();
  const toSend: { candidate: Candidate; kind: ReminderKind }[] = [];
  // Every appointment read gets its next due time (or '' for none left), sent or not.
  const next: [number, string][] = [];
  for (const candidate of [...(due?.results ?? []), ...(unseen?.results ?? [])]) {
    const timezone = isValidTimeZone(candidate.timezone) ? candidate.timezone : DEFAULT_TIMEZONE;
    const remindable = {
      date: candidate.date,
      startsAt: new Date(candidate.startsAt),
      bookedAt: new Date(candidate.createdAt),
      timezone,
    };
    const sent = (candidate.sent ?? "").split(",").filter(isReminderKind);
    const kind = dueReminder(remindable, now);
    if (kind && !sent.includes(kind)) {
      // Where the line calls the patient the evening before, the call reminds; its evening SMS goes
      // only if the call was never answered (src/calls writes it then, with the same reminders row).
      if (kind !== "evening" || !callReplacesEveningSms({ ...candidate, timezone }, config))
        toSend.push({ candidate: { ...candidate, timezone }, kind });
      sent.push(kind);
    }
    next.push([candidate.id, nextReminderAt(remindable, now, sent)?.toISOString() ?? ""]);
  }
  if (next.length === 0) return { sent: [] };

  const statements = toSend.flatMap(({ candidate, kind }) =>
    reminderSmsStatements(d1, candidate, kind, runId, config, now),
  );
  statements.push(
    d1
      .prepare(
        `UPDATE appointments SET remind_at = json_extract(j.value, '$[1]')
           FROM json_each(?1) j
          WHERE appointments.id = json_extract(j.value, '$[0]') AND appointments.status = 'booked'`,
      )
      .bind(JSON.stringify(next)),
  );
  const written = await d1.batch<{ id: number }>(statements);
  const sent = toSend.flatMap(({ candidate, kind }, i) =>
    (written[2 * i + 1]?.results ?? []).map((row) => ({ appointmentId: candidate.id, kind, outboxId: row.id })),
  );
  try {
    await enqueueJobs(
      queue,
      sent.map(({ outboxId }) => ({ outboxId })),
    );
  } catch (error) {
    // Committed rows are pending in the outbox: the sweep queues them.
    log.error("queueing reminders failed; the sweep will send them", { error });
  }
  return { sent };
}

/** The facts a reminder SMS is made of. */
export type ReminderFacts = Pick<
  Candidate,
  | "id"
  | "token"
  | "date"
  | "startsAt"
  | "doctorName"
  | "clinicName"
  | "clinicDisplayNames"
  | "timezone"
  | "phone"
  | "language"
>;

/**
 * The reminders row and its SMS, in one batch: the SMS only if this run's row is the one that
 * landed (`runId`), so a reminder is written once however many runs (or a failed call) try.
 */
export function reminderSmsStatements(
  d1: D1Database,
  a: ReminderFacts,
  kind: ReminderKind,
  runId: string,
  config: Pick<Config, "sms" | "defaultLanguage" | "publicBaseUrl">,
  now: Date,
  /** A further condition on writing it (SQL using ?4 on), e.g. "the failed call this batch settled". */
  guard?: { sql: string; params: unknown[] },
): D1PreparedStatement[] {
  const language: Language = a.language && isLanguage(a.language) ? a.language : config.defaultLanguage;
  const startMinute = localClock(new Date(a.startsAt), a.timezone).minute;
  const clinic = nameIn({ name: a.clinicName, displayNames: a.clinicDisplayNames }, language);
  const text = appointmentSms(
    kind === "evening" ? "reminderEvening" : "reminderSoon",
    language,
    { token: a.token, doctor: a.doctorName, clinic, date: a.date, startMinute },
    smsWording(config),
  );
  return [
    d1
      .prepare(
        `INSERT OR IGNORE INTO reminders (appointment_id, kind, run_id)
         SELECT id, ?2, ?3 FROM appointments WHERE id = ?1 AND status = 'booked'${guard ? ` AND ${guard.sql}` : ""}`,
      )
      .bind(a.id, kind, runId, ...(guard?.params ?? [])),
    // Only the run whose row landed writes the text.
    insertOutbox(
      d1,
      {
        to: a.phone,
        sms: text,
        purpose: "reminder",
        callbackBase: config.publicBaseUrl,
        createdAt: now.toISOString(),
      },
      {
        from: "reminders",
        where: "appointment_id = ? AND kind = ? AND run_id = ?",
        params: [a.id, kind, runId],
        appointmentColumn: "appointment_id",
      },
    ),
  ];
}

/** Whether the evening SMS gives way to a reminder call: the clinic calls, the patient has not said stop, the number may be called. */
export function callReplacesEveningSms(
  a: Pick<Candidate, "calls" | "callsOff" | "called" | "phone" | "date" | "startsAt" | "createdAt" | "timezone">,
  config: Pick<Config, "calls" | "smsAllowedCountryCodes">,
): boolean {
  // Answered (then perhaps "stop these calls"): the call has reminded them.
  if (a.called === "answered") return true;
  if (!a.calls || a.callsOff || !smsDestination(a.phone, config).allowed) return false;
  const remindable = {
    date: a.date,
    startsAt: new Date(a.startsAt),
    bookedAt: new Date(a.createdAt),
    timezone: a.timezone,
  };
  return reminderCallApplies(remindable, config.calls.reminderMinute);
}

/** The cron's one call: never throws, logs what it did. */
export async function runReminders(db: Db, queue: Queue<Job>, config: Config, now: Date): Promise<void> {
  try {
    const { sent } = await sendDueReminders(db, queue, config, now);
    if (sent.length) log.info("reminders queued", { count: sent.length });
  } catch (error) {
    log.error("reminders failed (the next run tries again)", { error });
  }
}
