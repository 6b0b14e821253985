/**
 * The reminder cron: every booked appointment starting within two days whose reminder is due
 * gets it once, through the SMS outbox and queue like every other text. Exactly once per
 * appointment and kind, whether the cron runs late, twice or concurrently: the reminder row
 * (unique per appointment and kind) and its SMS are written in one D1 batch, the SMS only if
 * this run's row is the one that landed. A cancelled or moved appointment is no longer
 * booked, so it is never selected (and the batch re-checks it); the new time of a moved one is
 * an appointment of its own with its own reminders.
 */
import { log } from "../log.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { nameIn } from "../db/display-names.ts";
import type { ReminderKind } from "../db/schema.ts";
import { DEFAULT_TIMEZONE, isValidTimeZone, localClock } from "../slots/calendar.ts";
import { enqueueJobs, type Job } from "../jobs/queue.ts";
import { insertOutbox } from "../stores/outbox.ts";
import { appointmentSms, smsWording } from "../sms/texts.ts";
import { isLanguage, type Language } from "../words/index.ts";
import { dueReminder } from "./due.ts";

/** The evening-before reminder can be due up to ~30 hours ahead; two days covers every zone. */
const LOOKAHEAD_MS = 48 * 3_600_000;

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
  sent: string | null;
}

export interface ReminderRun {
  /** Outbox rows this run wrote (and queued). */
  sent: { appointmentId: number; kind: ReminderKind; outboxId: number }[];
}

export async function sendDueReminders(
  db: Db,
  queue: Queue<Job>,
  config: Pick<Config, "sms" | "defaultLanguage" | "publicBaseUrl">,
  now: Date,
): Promise<ReminderRun> {
  const d1 = db.$client;
  const { results } = await d1
    .prepare(
      `SELECT a.id AS id, a.token AS token, a.local_date AS date, a.starts_at AS startsAt, a.created_at AS createdAt,
              d.name AS doctorName, c.name AS clinicName, c.display_names AS clinicDisplayNames, c.timezone AS timezone,
              p.phone AS phone, p.preferred_language AS language,
              (SELECT group_concat(r.kind) FROM reminders r WHERE r.appointment_id = a.id) AS sent
         FROM appointments a
         JOIN patients p ON p.id = a.patient_id
         JOIN doctors d ON d.id = a.doctor_id
         JOIN clinics c ON c.id = a.clinic_id
        WHERE a.status = 'booked' AND a.starts_at > ?1 AND a.starts_at <= ?2`,
    )
    .bind(now.toISOString(), new Date(now.getTime() + LOOKAHEAD_MS).toISOString())
    .all<Candidate>();
  const runId = crypto.randomUUID();
  const due: { candidate: Candidate; kind: ReminderKind }[] = [];
  for (const candidate of results) {
    const timezone = isValidTimeZone(candidate.timezone) ? candidate.timezone : DEFAULT_TIMEZONE;
    const kind = dueReminder(
      {
        date: candidate.date,
        startsAt: new Date(candidate.startsAt),
        bookedAt: new Date(candidate.createdAt),
        timezone,
      },
      now,
    );
    if (kind && !(candidate.sent ?? "").split(",").includes(kind))
      due.push({ candidate: { ...candidate, timezone }, kind });
  }
  if (due.length === 0) return { sent: [] };

  const wording = smsWording(config);
  const statements = due.flatMap(({ candidate: a, kind }) => {
    const language: Language = a.language && isLanguage(a.language) ? a.language : config.defaultLanguage;
    const startMinute = localClock(new Date(a.startsAt), a.timezone).minute;
    const clinic = nameIn({ name: a.clinicName, displayNames: a.clinicDisplayNames }, language);
    const text = appointmentSms(
      kind === "evening" ? "reminderEvening" : "reminderSoon",
      language,
      { token: a.token, doctor: a.doctorName, clinic, date: a.date, startMinute },
      wording,
    );
    return [
      d1
        .prepare(
          `INSERT OR IGNORE INTO reminders (appointment_id, kind, run_id)
           SELECT id, ?2, ?3 FROM appointments WHERE id = ?1 AND status = 'booked'`,
        )
        .bind(a.id, kind, runId),
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
  });
  const written = await d1.batch<{ id: number }>(statements);
  const sent = due.flatMap(({ candidate, kind }, i) =>
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

/** The cron's one call: never throws, logs what it did. */
export async function runReminders(db: Db, queue: Queue<Job>, config: Config, now: Date): Promise<void> {
  try {
    const { sent } = await sendDueReminders(db, queue, config, now);
    if (sent.length) log.info("reminders queued", { count: sent.length });
  } catch (error) {
    log.error("reminders failed (the next run tries again)", { error });
  }
}
