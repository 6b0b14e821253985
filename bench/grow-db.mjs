#!/usr/bin/env node
/**
 * A grown database: two years of a busy district written straight into a local D1's SQLite
 * file (after migrations and the demo data), for the benchmark's grown-database part.
 *
 *   node bench/grow-db.mjs --persist-to DIR [--today 2027-03-01] [--seed 1] [--scale 1]
 *
 * 2,000 clinics (the demo's 5 and 1,995 more, all in the demo's district so a call takes the
 * same keys), 8,000 doctors with weekly hours and leave, 300,000 patients, 1,000,000
 * appointments over 700 days past and 29 ahead (every status and source), 1,000,000 outbox rows,
 * 2,000,000 call-log rows, 200,000 inbound texts, visit reasons and notes, and the reminders
 * already sent for the next two days. The demo's own doctors get no grown appointments, so the
 * benchmark's calls book the same slots on both databases.
 *
 * It is the database of a line that has been running, not of one that never purged: what the
 * cron's retention (src/retention.ts, src/reasons/retention.ts, default periods) would have
 * deleted by `now` is not there. The call log and inbound texts lie within their 90 days, the
 * outbox within its 30 (with the daily SMS counts of those days), each spread evenly up to the
 * edge of its window, so a cron run deletes only what aged out since `now`; delivered texts
 * carry no words and other settled ones only within SMS_BODY_HOURS (24) of their last update;
 * reasons and notes are younger than their 730 days.
 *
 * Every value is a function of the row number and the seed (no random state), so the same
 * seed and date give the same database. Written by the pinned Node's built-in SQLite
 * (`node:sqlite`, Node 22; `npm run bench` puts it first on PATH) in one transaction of
 * INSERT ... SELECT over recursive row generators. `--scale 0.01` makes a small copy for trying.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const GROWN = {
  clinics: 2000,
  doctors: 8000,
  patients: 300_000,
  appointments: 1_000_000,
  outbox: 1_000_000,
  callLog: 2_000_000,
  inbound: 200_000,
};
const DEMO_CLINICS = 5;
const DEMO_DOCTORS = 6;
const PAST_DAYS = 700;
const DAYS = 730;
/** The default retention periods (src/config.ts): what a running line still holds. */
const KEEP = { callLogDays: 90, smsInboundDays: 90, smsOutboxDays: 30, smsBodyHours: 24 };
const DAY_S = 86_400;
/** Seconds from a text's creation to its last status callback. */
const CALLBACK_S = 20;

/** The D1 database file under a wrangler --persist-to directory. */
export function d1File(persistTo) {
  const dir = path.join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database under ${dir}: apply the migrations first`);
  return path.join(dir, file);
}

/** The statements that grow a migrated, demo-seeded database; `today` is the clinic-local date (IST). */
export function growSql({ today, seed = 1, scale = 1, nowIso }) {
  const n = (x) => Math.max(1, Math.round(x * scale));
  const clinics = Math.max(DEMO_CLINICS + 1, n(GROWN.clinics));
  const doctors = Math.max(DEMO_DOCTORS + 1, n(GROWN.doctors));
  const grownClinics = clinics - DEMO_CLINICS;
  const grownDoctors = doctors - DEMO_DOCTORS;
  const patients = n(GROWN.patients);
  const appointments = n(GROWN.appointments);
  // A deterministic spread of row i into [0, m): Knuth's multiplicative hash, salted by the seed.
  const h = (expr, salt, m) => `((((${expr}) + ${seed * 7919 + salt}) * 2654435761) % 4294967296 % ${m})`;
  const rows = (count) => `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${count - 1})`;
  const firstDay = `date('${today}', '-${PAST_DAYS} days')`;
  const stamp = (base, ...mods) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${[base, ...mods].join(", ")})`;
  const ago = (secondsExpr) => stamp(`'${nowIso}'`, `'-' || (${secondsExpr}) || ' seconds'`);
  const phone = (idExpr) => `'+9160' || printf('%08d', ${idExpr})`;

  return [
    `${rows(grownClinics)}
     INSERT INTO clinics (id, district_id, name, address, timezone, phone, opening_hours)
     SELECT ${DEMO_CLINICS + 1} + i, 1, 'Grown Clinic ' || (${DEMO_CLINICS + 1} + i), 'Street ' || i || ', Mangaluru',
            'Asia/Kolkata', '+91824' || printf('%07d', i), CASE WHEN i % 3 = 0 THEN '1-6 0830-1800' END FROM s`,
    // Each grown clinic gets doctors A, B, C, ... in turn: prefixes stay unique per clinic.
    `${rows(grownDoctors)}
     INSERT INTO doctors (id, clinic_id, name, specialization_id, active, token_prefix)
     SELECT ${DEMO_DOCTORS + 1} + i, ${DEMO_CLINICS + 1} + i % ${grownClinics}, 'Dr. Grown ' || i, 1 + ${h("i", 1, 5)},
            ${h("i", 2, 50)} <> 0, char(65 + i / ${grownClinics}) FROM s`,
    // Weekly hours: Monday to Saturday, starting between 08:00 and 10:00, eight hours.
    `INSERT INTO doctor_hours (doctor_id, weekday, start_minute, end_minute, slot_minutes)
     SELECT d.id, w.value, 480 + 30 * ${h("d.id", 3, 5)}, 960 + 30 * ${h("d.id", 3, 5)}, 15
       FROM doctors d, json_each('[1,2,3,4,5,6]') w WHERE d.id > ${DEMO_DOCTORS}`,
    // Ten days of leave per doctor over the two years (a few of them ahead).
    `INSERT INTO doctor_days_off (doctor_id, local_date, reason)
     SELECT d.id, date(${firstDay}, '+' || ((d.id * 37 + k.value * 73) % ${DAYS}) || ' days'), 'leave'
       FROM doctors d, json_each('[0,1,2,3,4,5,6,7,8,9]') k WHERE d.id > ${DEMO_DOCTORS}`,
    `${rows(patients)}
     INSERT INTO patients (id, phone, name, preferred_language, created_at)
     SELECT 1 + i, ${phone("i")}, 'Patient ' || i, CASE ${h("i", 4, 3)} WHEN 0 THEN 'kn' WHEN 1 THEN 'en' ELSE 'hi' END,
            ${ago(`${h("i", 5, DAYS * 86400)}`)} FROM s`,
    // Appointment i: doctor i mod D, its r-th appointment (r = i / D) on a day of its own, so a
    // doctor never has two on one day and tokens stay unique per clinic and day.
    `${rows(appointments)}, a AS (
       SELECT i, ${DEMO_DOCTORS + 1} + i % ${grownDoctors} AS doctor,
              (i / ${grownDoctors}) * ${DAYS} / ${Math.ceil(appointments / grownDoctors) + 1} + (i % ${grownDoctors}) % 5 AS day,
              ${h("i", 6, 32)} AS slot, ${h("i", 7, 100)} AS roll, 1 + (i * 7919) % ${patients} AS patient FROM s),
     b AS (SELECT *, date(${firstDay}, '+' || day || ' days') AS local_date,
                  ${stamp(`date(${firstDay}, '+' || day || ' days') || 'T02:30:00Z'`, `'+' || (slot * 15) || ' minutes'`)} AS starts_at,
                  CASE WHEN day < ${PAST_DAYS}
                       THEN CASE WHEN roll < 75 THEN 'completed' WHEN roll < 83 THEN 'no_show' WHEN roll < 95 THEN 'cancelled' ELSE 'booked' END
                       ELSE CASE WHEN roll < 90 THEN 'booked' ELSE 'cancelled' END END AS status,
                  CASE WHEN roll % 20 < 12 THEN 'ivr' WHEN roll % 20 < 13 THEN 'sms' WHEN roll % 20 < 17 THEN 'staff' ELSE 'walk_in' END AS source
             FROM a)
     INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source,
                               call_sid, created_at, cancelled_at, urgent, remind_at)
     SELECT doctor, ${DEMO_CLINICS + 1} + (doctor - ${DEMO_DOCTORS + 1}) % ${grownClinics}, patient, local_date, starts_at,
            ${stamp("starts_at", "'+15 minutes'")}, char(65 + (doctor - ${DEMO_DOCTORS + 1}) / ${grownClinics}) || '-' || (slot + 1),
            status, source, CASE WHEN source = 'ivr' THEN 'CAgrown' || i END,
            ${stamp("starts_at", `'-' || (1 + roll % 9) || ' days'`)},
            CASE WHEN status = 'cancelled' THEN ${stamp("starts_at", "'-1 days'")} END, roll = 99,
            -- Where the reminder cron left it: nothing left to send up to two days ahead (those
            -- reminders went, see below), the evening before (18:00 IST) beyond.
            CASE WHEN status <> 'booked' THEN NULL WHEN starts_at < ${stamp(`'${nowIso}'`, "'+2 days'")} THEN ''
                 ELSE max(date(local_date, '-1 days') || 'T12:30:00.000Z', ${stamp("starts_at", `'-' || (1 + roll % 9) || ' days'`)}) END
       FROM b`,
    // Every text settled: delivered ones blanked by their status callback, the others keep their
    // words until the retention blanks them SMS_BODY_HOURS after their last update.
    `${rows(n(GROWN.outbox))}
     INSERT INTO sms_outbox (to_number, body, purpose, sensitive, appointment_id, status, attempts, message_sid, created_at, updated_at)
     SELECT ${phone(`i % ${patients}`)},
            CASE WHEN r < 90 OR age - ${CALLBACK_S} >= ${KEEP.smsBodyHours * 3600} THEN '' ELSE 'Your appointment with Dr. Grown is booked.' END,
            CASE i % 4 WHEN 0 THEN 'booking' WHEN 1 THEN 'reminder' WHEN 2 THEN 'cancellation' ELSE 'reply' END, 0,
            CASE WHEN i % 4 = 3 THEN NULL ELSE 1 + (i * 13) % ${appointments} END,
            CASE WHEN r < 90 THEN 'delivered' WHEN r < 95 THEN 'sent' WHEN r < 97 THEN 'failed' WHEN r < 99 THEN 'undelivered' ELSE 'blocked' END,
            1, CASE WHEN r < 99 THEN 'SMgrown' || i END, ${ago("age")}, ${ago(`max(age - ${CALLBACK_S}, 0)`)}
       FROM (SELECT i, ${h("i", 8, 100)} AS r, ${h("i", 9, KEEP.smsOutboxDays * DAY_S)} AS age FROM s)`,
    // The budget's count of each UTC day the outbox still holds (today's starts at zero).
    `${rows(KEEP.smsOutboxDays)}
     INSERT OR IGNORE INTO sms_daily_usage (day, sent)
     SELECT date('${nowIso}', '-' || (i + 1) || ' days'), ${Math.round(n(GROWN.outbox) / KEEP.smsOutboxDays)} FROM s
      WHERE date('${nowIso}', '-' || (i + 1) || ' days') >= date('${nowIso}', '-${KEEP.smsOutboxDays} days')`,
    `${rows(n(GROWN.callLog))}
     INSERT INTO call_log (call_sid, from_number, to_number, steps, outcome, created_at, updated_at)
     SELECT 'CAlog' || i, ${phone(`i % ${patients}`)}, '+918000000000',
            '[{"step":"welcome","at":"' || created || '"},{"step":"clinic","digits":"1","at":"' || created || '"}]',
            CASE ${h("i", 10, 4)} WHEN 0 THEN 'hangup' ELSE 'booked' END, created, created
       FROM (SELECT i, ${ago(`${h("i", 11, KEEP.callLogDays * DAY_S)}`)} AS created FROM s)`,
    `${rows(n(GROWN.inbound))}
     INSERT INTO sms_inbound (message_sid, from_number, to_number, body, command, reply, created_at)
     SELECT 'SMin' || i, ${phone(`i % ${patients}`)}, '+918000000000', 'STATUS', 'status', 'Your appointment ...',
            ${ago(`${h("i", 12, KEEP.smsInboundDays * DAY_S)}`)} FROM s`,
    // Reasons said on one appointment in five, notes on one completed visit in seven.
    `INSERT INTO visit_reasons (appointment_id, clinic_id, patient_id, language, method, transcript, transcription_status, created_at)
     SELECT id, clinic_id, patient_id, 'en', 'speech', 'fever and cough for three days', 'done', created_at
       FROM appointments WHERE doctor_id > ${DEMO_DOCTORS} AND id % 5 = 0`,
    `INSERT INTO visit_notes (appointment_id, clinic_id, patient_id, author_role, author_doctor_id, body, created_at)
     SELECT id, clinic_id, patient_id, 'doctor', doctor_id, 'BP 120/80. Paracetamol for three days; review if fever persists.', starts_at
       FROM appointments WHERE doctor_id > ${DEMO_DOCTORS} AND status = 'completed' AND id % 7 = 0`,
    // Steady state: the reminders of the next two days went out in earlier cron runs.
    `INSERT INTO reminders (appointment_id, kind, run_id, created_at)
     SELECT a.id, k.value, 'grown', '${nowIso}' FROM appointments a, json_each('["evening","soon"]') k
      WHERE a.status = 'booked' AND a.starts_at >= '${nowIso}' AND a.starts_at < ${stamp(`'${nowIso}'`, "'+2 days'")}`,
  ];
}

/** Grows the D1 database under `persistTo`; returns the seconds it took and the rows per table. */
export async function growDatabase(persistTo, { today, seed = 1, scale = 1, now = new Date() } = {}) {
  const { DatabaseSync } = await import("node:sqlite");
  const started = performance.now();
  const db = new DatabaseSync(d1File(persistTo));
  try {
    db.exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY; BEGIN");
    for (const statement of growSql({ today, seed, scale, nowIso: now.toISOString() })) db.exec(statement);
    db.exec("COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
    const counts = {};
    for (const table of ["clinics", "doctors", "doctor_hours", "doctor_days_off", "patients", "appointments"])
      counts[table] = db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n;
    for (const table of [
      "sms_outbox",
      "sms_daily_usage",
      "call_log",
      "sms_inbound",
      "visit_reasons",
      "visit_notes",
      "reminders",
    ])
      counts[table] = db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n;
    return { seconds: Math.round((performance.now() - started) / 100) / 10, counts };
  } finally {
    db.close();
  }
}

/** Runs SQL statements on the D1 database under `persistTo` (while no line has it open). */
export async function runSql(persistTo, sql) {
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(d1File(persistTo));
  try {
    db.exec(sql);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

/** The clinic-local (IST) date of `now`. */
export const istDate = (now) => new Date(now.getTime() + 5.5 * 3_600_000).toISOString().slice(0, 10);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { parseArgs } = await import("../scripts/local.mjs");
  const { options } = parseArgs(process.argv.slice(2), ["persist-to", "today", "seed", "scale"]);
  if (!options["persist-to"]) {
    console.error("usage: node bench/grow-db.mjs --persist-to DIR [--today YYYY-MM-DD] [--seed N] [--scale 1]");
    process.exit(2);
  }
  const now = new Date();
  const result = await growDatabase(options["persist-to"], {
    today: options.today ?? istDate(now),
    seed: Number(options.seed ?? 1),
    scale: Number(options.scale ?? 1),
    now,
  });
  console.log(JSON.stringify(result, null, 2));
}
