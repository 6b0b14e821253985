/**
 * The benchmark's round-trip part: how many round trips each step makes to D1, the
 * doctor-day objects and the queue, counted by the Worker's own probe (ROUND_TRIP_PROBE=on,
 * answered in an X-Round-Trips header), and what the caller would wait in production with
 * each D1 round trip taking 50 ms and each object call 20 ms (LATENCY_MODEL).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { tmpdir } from "node:os";
import { SimulatedCall, signedPost } from "../tools/twilio-caller.ts";

export const LATENCY_MODEL = "d1=50,do=20";
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.floor((s.length - 1) / 2)] * 10) / 10 : null;
};

/** A fetch that keeps each response's round trips and its wall time, labelled by `label(url)`. */
function probingFetch(log, label) {
  return async (url, init) => {
    const started = performance.now();
    const response = await fetch(url, init);
    const body = await response.text();
    const ms = performance.now() - started;
    const header = response.headers.get("X-Round-Trips");
    log.push({ step: label(url, init), ms, trips: header ? JSON.parse(header) : null });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

const PATHS = {
  "next available": { keys: ["1", "1"], steps: ["welcome", "clinic menu", "next available -> offer"] },
  "by speciality": {
    keys: ["1", "2", "2"],
    steps: ["welcome", "clinic menu", "speciality menu", "speciality -> offer"],
  },
};

/** Round trips (and modelled time) of each step of the whole call, the SMS commands included. */
export async function measureSteps(lineUrl, token, calls = 6) {
  const log = [];
  let current = [];
  const label = () => current.shift() ?? "other";
  const fetcher = probingFetch(log, label);
  for (let i = 0; i < calls; i++) {
    const from = `+91972${String(i).padStart(7, "0")}`;
    // Next available, then "next time", then book.
    current = [...PATHS["next available"].steps, "next time", "confirm"];
    const call = new SimulatedCall({ baseUrl: lineUrl, authToken: token, from, fetch: fetcher });
    await call.dial();
    for (const key of [...PATHS["next available"].keys, "2", "1"]) await call.press(key);
    // The speciality path, left at the offer.
    current = [...PATHS["by speciality"].steps];
    const byType = new SimulatedCall({
      baseUrl: lineUrl,
      authToken: token,
      from: `+91973${String(i).padStart(7, "0")}`,
      fetch: fetcher,
    });
    await byType.dial();
    for (const key of PATHS["by speciality"].keys) await byType.press(key);
    // SMS: STATUS, then CANCEL.
    for (const [body, step] of [
      ["STATUS", "SMS STATUS"],
      ["CANCEL", "SMS CANCEL"],
    ]) {
      current = [step];
      await signedPost(fetcher, token, `${lineUrl}/api/sms/incoming/`, {
        MessageSid: `SMbench${step.replace(/\W/g, "")}${i}`,
        From: from,
        To: "+15005550006",
        Body: body,
      });
    }
  }
  const steps = {};
  for (const entry of log) (steps[entry.step] ??= []).push(entry);
  return Object.fromEntries(
    Object.entries(steps).map(([step, entries]) => [
      step,
      {
        sequentialMax: Math.max(...entries.map((e) => e.trips.sequential)),
        sequentialMedian: median(entries.map((e) => e.trips.sequential)),
        d1Median: median(entries.map((e) => e.trips.d1)),
        objectCallsMax: Math.max(...entries.map((e) => e.trips.durableObject)),
        queueMax: Math.max(...entries.map((e) => e.trips.queue)),
        msP50: median(entries.map((e) => e.ms)),
      },
    ]),
  );
}

/**
 * SQL for the scaling table: per (N doctors, K full days) a clinic whose doctors work
 * 09:00-17:00 every day and whose first K days are fully booked.
 */
export function scalingSeed(combos, today) {
  const lines = [];
  for (const { clinicId, doctors, fullDays } of combos) {
    lines.push(
      `INSERT INTO clinics (id, district_id, name, address) VALUES (${clinicId}, 1, 'Scaling ${clinicId}', 'X');`,
    );
    for (let d = 0; d < doctors; d++) {
      const doctorId = clinicId * 100 + d;
      lines.push(
        `INSERT INTO doctors (id, clinic_id, name, specialization_id, token_prefix) VALUES (${doctorId}, ${clinicId}, 'Dr. Scale ${d}', 1, '${String.fromCharCode(65 + d)}');`,
        `INSERT INTO patients (phone, name) VALUES ('+9188${doctorId}', 'filler');`,
        ...[0, 1, 2, 3, 4, 5, 6].map(
          (w) =>
            `INSERT INTO doctor_hours (doctor_id, weekday, start_minute, end_minute, slot_minutes) VALUES (${doctorId}, ${w}, 540, 1020, 15);`,
        ),
      );
      for (let k = 0; k < fullDays; k++) {
        const date = new Date(`${today}T00:00:00Z`);
        date.setUTCDate(date.getUTCDate() + k);
        const local = date.toISOString().slice(0, 10);
        lines.push(
          `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 31)
           INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, source)
           SELECT ${doctorId}, ${clinicId}, (SELECT id FROM patients WHERE phone = '+9188${doctorId}'), '${local}',
                  strftime('%Y-%m-%dT%H:%M:%fZ', '${local}T03:30:00Z', '+' || (i * 15) || ' minutes'),
                  strftime('%Y-%m-%dT%H:%M:%fZ', '${local}T03:45:00Z', '+' || (i * 15) || ' minutes'),
                  '${String.fromCharCode(65 + d)}-' || (i + 1), 'ivr' FROM s;`,
        );
      }
    }
  }
  const file = path.join(tmpdir(), `clinic-scaling-${process.pid}.sql`);
  writeFileSync(file, lines.join("\n"));
  return file;
}

/** The offer for one clinic: its round trips and its wall time (modelled when the line has a latency model). */
export async function measureOffer(lineUrl, token, clinicId, repeats = 3) {
  const log = [];
  const fetcher = probingFetch(log, () => "offer");
  for (let i = 0; i < repeats; i++)
    await signedPost(
      fetcher,
      token,
      `${lineUrl}/api/ivr/handle-booking-type/?lang=en&state=1&district=1&clinic=${clinicId}`,
      {
        CallSid: `CAscale${clinicId}x${i}${Date.now()}`,
        From: `+9196${clinicId}${i}000`,
        Digits: "1",
      },
    );
  return {
    sequential: Math.max(...log.map((e) => e.trips.sequential)),
    objectCalls: Math.max(...log.map((e) => e.trips.durableObject)),
    d1: Math.max(...log.map((e) => e.trips.d1)),
    msP50: median(log.map((e) => e.ms)),
  };
}

/** Sequential round trips before this work, as counted before the round trips were cut (commit 05868a1). */
const BEFORE = {
  welcome: 3,
  "clinic menu": 2,
  "next available -> offer": 4,
  confirm: 8,
  "SMS CANCEL": 5,
};

/** The README's round-trip section, written by the benchmark between its markers. */
export function renderRoundTrips(roundTrips, machine, date) {
  const { counted, modelled } = roundTrips;
  const rows = Object.entries(counted.steps).map(
    ([step, v]) =>
      `| ${step} | ${BEFORE[step] ?? "—"} | ${v.sequentialMax} | ${v.d1Median} | ${v.objectCallsMax} | ${v.queueMax} | ${modelled.steps[step]?.msP50 ?? "—"} |`,
  );
  const wholeCall = ["welcome", "clinic menu", "next available -> offer", "confirm"];
  const sum = (pick) => wholeCall.reduce((total, step) => total + (pick(step) ?? 0), 0);
  const scaling = modelled.scaling.map(
    (r) => `| ${r.doctors} | ${r.fullDays} | ${r.sequential} | ${r.objectCalls} | ${r.msP50} |`,
  );
  const at = (n, k) => modelled.scaling.find((r) => r.doctors === n && r.fullDays === k)?.msP50;
  return [
    `Round trips per step (${date}; ${machine}), counted by the Worker's own probe (\`ROUND_TRIP_PROBE=on\`):`,
    "a batch is one round trip; calls made side by side share a round. Modelled time: the same",
    `calls with each D1 round trip delayed 50 ms and each object call 20 ms (\`LATENCY_MODEL=${LATENCY_MODEL}\`).`,
    "",
    "| step | sequential before | sequential now | D1 calls | object calls | queue sends | modelled p50 ms |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    `| whole call (welcome, clinic, offer, confirm) | 17 | ${sum((s) => counted.steps[s]?.sequentialMax)} | | | | ${Math.round(sum((s) => modelled.steps[s]?.msP50) * 10) / 10} |`,
    "",
    "The offer as the calendar fills (N doctors working every day, the first K days fully booked):",
    "",
    "| N doctors | K full days | sequential round trips | object calls | modelled p50 ms |",
    "| --- | --- | --- | --- | --- |",
    ...scaling,
    "",
    `Before, K = 29 meant 27 sequential rounds and 313 object calls with 12 doctors. Now K = 29 against K = 0 with N = 6: ${at(6, 29)} ms vs ${at(6, 0)} ms (${at(6, 0) ? Math.round((at(6, 29) / at(6, 0)) * 100) / 100 : "—"}x).`,
  ].join("\n");
}

/** Replaces one of the README's benchmark sections (between its `name` markers) with `text`. */
export function writeReadmeSection(readmePath, text, name = "round-trips") {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const readme = readFileSync(readmePath, "utf8");
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README has no ${start} ... ${end} section`);
  writeFileSync(readmePath, `${readme.slice(0, a + start.length)}\n${text}\n${readme.slice(b)}`);
}
