/**
 * The benchmark's grown-database part: the same calls, texts, desk pages, API routes, patient
 * page and cron run against the demo data and against two years of a busy district
 * (bench/grow-db.mjs), in one run; each step's p50 on both, their ratio, and the D1 rows each
 * step read and wrote (the probe's X-Round-Trips header, from D1's own result metadata). Also the
 * directory cache's cold start, and the whole-run counts the cost of a booking is priced from.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SimulatedCall, signedPost } from "../tools/twilio-caller.ts";
import { GROWN, growDatabase, istDate, runSql } from "./grow-db.mjs";
import { hashLocalPassword } from "../scripts/local.mjs";

const round = (x) => Math.round(x * 100) / 100;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? round(s[Math.ceil(s.length / 2) - 1]) : null;
};
const STAFF = { username: "bench-admin", password: "bench-admin-password" };
const PATIENT = { phone: "+919400000001", password: "bench-patient-password" };

/** One desk admin and one patient account with known passwords, written before the line starts. */
function accountsSql() {
  const staff = hashLocalPassword(STAFF.password);
  const patient = hashLocalPassword(PATIENT.password);
  return `INSERT INTO staff_users (username, role, password_hash, password_salt, password_iterations)
            VALUES ('${STAFF.username}', 'admin', '${staff.hash}', '${staff.salt}', ${staff.iterations});
          INSERT INTO patients (phone, name) VALUES ('${PATIENT.phone}', 'Bench Patient');
          INSERT INTO patient_accounts (patient_id, login, password_hash, password_salt, password_iterations, must_change_password)
            SELECT id, phone, '${patient.hash}', '${patient.salt}', ${patient.iterations}, 0 FROM patients WHERE phone = '${PATIENT.phone}';`;
}

/** Requests timed and labelled, with the probe's counts, and a cookie jar for the desk and /me. */
class Recorder {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.samples = {};
    this.cookies = new Map();
    this.label = null;
  }

  /** fetch for SimulatedCall / signedPost: each request is recorded under the current label. */
  fetch = async (url, init = {}) => {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const headers = new Headers(init.headers);
    if (cookie && url.startsWith(this.baseUrl)) headers.set("Cookie", cookie);
    const started = performance.now();
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    const body = await response.text();
    const ms = performance.now() - started;
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const trips = response.headers.get("X-Round-Trips");
    const label = typeof this.label === "function" ? this.label() : this.label;
    if (label) (this.samples[label] ??= []).push({ ms, status: response.status, trips: trips && JSON.parse(trips) });
    return new Response(body, { status: response.status, headers: response.headers });
  };

  async get(label, pathname, headers = {}) {
    this.label = label;
    const response = await this.fetch(`${this.baseUrl}${pathname}`, { headers });
    this.label = null;
    return response;
  }

  async post(label, pathname, body, headers = {}) {
    this.label = label;
    const response = await this.fetch(`${this.baseUrl}${pathname}`, {
      method: "POST",
      headers: { Origin: this.baseUrl, ...headers },
      body,
    });
    this.label = null;
    return response;
  }

  summary() {
    return Object.fromEntries(
      Object.entries(this.samples).map(([step, xs]) => [
        step,
        {
          n: xs.length,
          p50: median(xs.map((x) => x.ms)),
          rowsRead: median(xs.map((x) => x.trips?.rowsRead ?? 0)),
          rowsReadMax: Math.max(...xs.map((x) => x.trips?.rowsRead ?? 0)),
          rowsWritten: median(xs.map((x) => x.trips?.rowsWritten ?? 0)),
          errors: xs.filter((x) => x.status >= 500).length,
        },
      ]),
    );
  }
}

const CALL_STEPS = ["welcome", "clinic menu", "next available -> offer", "confirm"];

/** One booking call (clinic 1, next available, book); returns the token heard, if any. */
async function bookingCall(rec, lineUrl, token, from) {
  const steps = [...CALL_STEPS];
  rec.label = () => steps.shift() ?? "other";
  const call = new SimulatedCall({ baseUrl: lineUrl, authToken: token, from, fetch: rec.fetch });
  await call.dial();
  let last;
  for (const key of ["1", "1", "1"]) last = await call.press(key);
  rec.label = null;
  return /Your token is ([A-Z ]+), (\d+)\./.test(last.said.join(" "));
}

async function sms(rec, lineUrl, token, from, body, i) {
  rec.label = `SMS ${body}`;
  await signedPost(rec.fetch, token, `${lineUrl}/api/sms/incoming/`, {
    MessageSid: `SMbench${body}${i}${Date.now()}`,
    From: from,
    To: "+15005550006",
    Body: body,
  });
  rec.label = null;
}

const totals = async (lineUrl) => (await fetch(`${lineUrl}/__probe/totals`)).json();
const diff = (after, before) => Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]));

/**
 * Everything measured on one database: `calls` bookings (then STATUS from each and CANCEL from
 * every other), `rounds` passes over the desk's pages and API routes and the patient page, a
 * step change through the API per booked appointment left, and cron runs (time, rows).
 */
async function measureLine(lineUrl, token, { calls, rounds, cronRuns, cronTimeoutMs }) {
  const rec = new Recorder(lineUrl);
  // Warm-up: isolate, directory cache, JIT; the patient account's phone books once.
  for (let i = 0; i < 3; i++) await bookingCall(new Recorder(lineUrl), lineUrl, token, `+91941000000${i}`);
  await bookingCall(new Recorder(lineUrl), lineUrl, token, PATIENT.phone);

  // Calls and texts; the cost of a booking is the isolate's totals over these calls.
  const before = await totals(lineUrl);
  let booked = 0;
  for (let i = 0; i < calls; i++)
    if (await bookingCall(rec, lineUrl, token, `+91942${String(i).padStart(7, "0")}`)) booked++;
  await new Promise((r) => setTimeout(r, 3000)); // the queue consumer delivers the booking SMS
  const bookings = { calls, booked, counts: diff(await totals(lineUrl), before) };
  for (let i = 0; i < calls; i++) {
    const from = `+91942${String(i).padStart(7, "0")}`;
    await sms(rec, lineUrl, token, from, "STATUS", i);
    if (i % 2 === 0) await sms(rec, lineUrl, token, from, "CANCEL", i);
  }

  // The desk, signed in as an admin (sees every clinic), and the patient page.
  const login = await rec.post(
    null,
    "/desk/login",
    new URLSearchParams({ username: STAFF.username, password: STAFF.password }),
    { "Content-Type": "application/x-www-form-urlencoded" },
  );
  if (login.status !== 303) throw new Error(`desk sign-in failed: ${login.status}`);
  const session = await (await rec.get(null, "/api/desk/session")).json();
  const queue = await (await rec.get(null, "/api/desk/clinics/1/appointments")).json();
  const live = queue.appointments.filter((a) => a.status === "booked");
  const noteOf = live[0]?.id;
  const pages = [
    ["desk: queue page", "/desk/clinics/1/queue"],
    ["desk: queue rows", "/desk/clinics/1/queue/rows"],
    ["desk: schedule", "/desk/clinics/1/schedule"],
    ["desk: display", "/desk/display/1"],
    ["desk: display now", "/desk/display/1/now"],
    ["desk: stats", "/desk/clinics/1/stats"],
    ["desk: admin", "/desk/admin"],
    ...(noteOf ? [["desk: notes", `/desk/appointments/${noteOf}/notes`]] : []),
    ["api: session", "/api/desk/session"],
    ["api: appointments", "/api/desk/clinics/1/appointments"],
    ["api: attention", "/api/desk/clinics/1/attention"],
    ["api: messages", "/api/desk/messages"],
    ["api: sms-usage", "/api/desk/sms-usage"],
  ];
  for (let r = 0; r < rounds; r++) for (const [label, url] of pages) await rec.get(label, url);
  for (const appointment of live.slice(1))
    await rec.post(`api: step (arrived)`, `/api/desk/appointments/${appointment.id}/step`, '{"to":"arrived"}', {
      "Content-Type": "application/json",
      "X-CSRF-Token": session.csrfToken,
    });

  const me = await rec.post(
    null,
    "/me/login",
    new URLSearchParams({ phone: PATIENT.phone, password: PATIENT.password }),
    { "Content-Type": "application/x-www-form-urlencoded" },
  );
  if (me.status !== 303) throw new Error(`patient sign-in failed: ${me.status}`);
  for (let r = 0; r < rounds; r++) await rec.get("patient page", "/me");

  // Cron runs: the whole scheduled handler (sweep, reminders, reconcile, retention).
  const cron = [];
  for (let r = 0; r < cronRuns; r++) {
    const start = await totals(lineUrl);
    const started = performance.now();
    let finished = true;
    try {
      await fetch(`${lineUrl}/__scheduled?cron=*+*+*+*+*`, { signal: AbortSignal.timeout(cronTimeoutMs) });
    } catch {
      finished = false;
    }
    const ms = round(performance.now() - started);
    await new Promise((res) => setTimeout(res, 500)); // the reminders run in waitUntil
    const counts = diff(await totals(lineUrl), start);
    cron.push({ ms, finished, rowsRead: counts.rowsRead, rowsWritten: counts.rowsWritten, objectCalls: counts.durableObject });
    if (!finished) break;
  }
  return { steps: rec.summary(), bookings, cron };
}

/** The directory's cold load: the welcome with the cache off (read on every request) against cached. */
async function measureColdStart(lineUrl, token, samples = 15) {
  const rec = new Recorder(lineUrl);
  for (let i = 0; i < samples + 2; i++) {
    rec.label = i < 2 ? null : "welcome, directory read";
    const call = new SimulatedCall({ baseUrl: lineUrl, authToken: token, from: `+9194300000${i}`, fetch: rec.fetch });
    await call.dial();
  }
  return rec.summary()["welcome, directory read"];
}

/**
 * Both databases, one after the other, with the same calls. `startLine(persistTo, vars)` starts
 * the Worker on an already prepared directory; `prepare(persistTo)` applies migrations and the
 * demo data.
 */
export async function measureGrown({
  prepare,
  startLine,
  token,
  scale = 1,
  calls = 20,
  rounds = 10,
  cronRuns = 2,
  cronTimeoutMs = 120_000,
}) {
  const now = new Date();
  const demo = mkdtempSync(path.join(tmpdir(), "clinic-bench-demo-"));
  const grown = mkdtempSync(path.join(tmpdir(), "clinic-bench-grown-"));
  try {
    prepare(demo);
    cpSync(demo, grown, { recursive: true });
    const growth = await growDatabase(grown, { today: istDate(now), now, scale });
    console.log(`grown database: ${growth.seconds} s`, growth.counts);
    const accounts = accountsSql();
    await runSql(demo, accounts);
    await runSql(grown, accounts);
    const out = { growth, target: GROWN };
    for (const [name, dir] of [
      ["demo", demo],
      ["grown", grown],
    ]) {
      const cold = await startLine(dir, { ROUND_TRIP_PROBE: "on", DIRECTORY_CACHE_SECONDS: "0" });
      try {
        out[`${name}ColdStart`] = await measureColdStart(`http://${cold.address}:${cold.port}`, token);
      } finally {
        await cold.stop();
      }
      const line = await startLine(dir, { ROUND_TRIP_PROBE: "on", DIRECTORY_CACHE_SECONDS: "600" });
      try {
        out[name] = await measureLine(`http://${line.address}:${line.port}`, token, {
          calls,
          rounds,
          cronRuns,
          cronTimeoutMs,
        });
        console.log(name, JSON.stringify(out[name].cron), out[name].bookings);
      } finally {
        await line.stop();
      }
    }
    return out;
  } finally {
    rmSync(demo, { recursive: true, force: true });
    rmSync(grown, { recursive: true, force: true });
  }
}
