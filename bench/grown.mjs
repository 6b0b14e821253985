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
import { measureCapacity } from "./capacity.mjs";

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
 * Everything measured on both databases, request by request in turn (demo, grown, demo, ...),
 * so the machine's noise falls on both alike: `calls` bookings (then STATUS from each and CANCEL
 * from every other), `rounds` passes over the desk's pages and API routes and the patient page,
 * a step change through the API per booked appointment left, then cron runs (time, rows).
 */
async function measureLines(lines, token, { calls, rounds, cronRuns, cronTimeoutMs }) {
  const each = async (work) => {
    for (const line of lines) await work(line);
  };
  for (const line of lines) line.rec = new Recorder(line.url);
  // Warm-up: isolate, directory cache, JIT; the patient account's phone books once.
  await each(async ({ url }) => {
    for (let i = 0; i < 3; i++) await bookingCall(new Recorder(url), url, token, `+91941000000${i}`);
    await bookingCall(new Recorder(url), url, token, PATIENT.phone);
  });

  // Calls and texts; the cost of a booking is each isolate's totals over these calls.
  await each(async (line) => {
    line.before = await totals(line.url);
    line.booked = 0;
  });
  const caller = (i) => `+91942${String(i).padStart(7, "0")}`;
  for (let i = 0; i < calls; i++)
    await each(async (line) => {
      if (await bookingCall(line.rec, line.url, token, caller(i))) line.booked++;
    });
  await new Promise((r) => setTimeout(r, 3000)); // the queue consumer delivers the booking SMS
  await each(async (line) => {
    line.bookings = { calls, booked: line.booked, counts: diff(await totals(line.url), line.before) };
  });
  for (let i = 0; i < calls; i++)
    await each(async ({ rec, url }) => {
      await sms(rec, url, token, caller(i), "STATUS", i);
      if (i % 2 === 0) await sms(rec, url, token, caller(i), "CANCEL", i);
    });

  // The desk, signed in as an admin (sees every clinic), and the patient page.
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  await each(async (line) => {
    const { rec } = line;
    const login = await rec.post(null, "/desk/login", new URLSearchParams(STAFF), form);
    if (login.status !== 303) throw new Error(`desk sign-in failed: ${login.status}`);
    line.csrf = (await (await rec.get(null, "/api/desk/session")).json()).csrfToken;
    const queue = await (await rec.get(null, "/api/desk/clinics/1/appointments")).json();
    line.live = queue.appointments.filter((a) => a.status === "booked");
    const me = await rec.post(null, "/me/login", new URLSearchParams(PATIENT), form);
    if (me.status !== 303) throw new Error(`patient sign-in failed: ${me.status}`);
  });
  const pages = [
    ["desk: queue page", "/desk/clinics/1/queue"],
    ["desk: queue rows", "/desk/clinics/1/queue/rows"],
    ["desk: schedule", "/desk/clinics/1/schedule"],
    ["desk: display", "/desk/display/1"],
    ["desk: display now", "/desk/display/1/now"],
    ["desk: stats", "/desk/clinics/1/stats"],
    ["desk: admin", "/desk/admin"],
    ["desk: notes", (line) => `/desk/appointments/${line.live[0]?.id}/notes`],
    ["api: session", "/api/desk/session"],
    ["api: appointments", "/api/desk/clinics/1/appointments"],
    ["api: attention", "/api/desk/clinics/1/attention"],
    ["api: messages", "/api/desk/messages"],
    ["api: sms-usage", "/api/desk/sms-usage"],
    ["patient page", "/me"],
  ];
  for (let r = 0; r < rounds; r++)
    for (const [label, url] of pages)
      await each((line) => line.rec.get(label, typeof url === "function" ? url(line) : url));
  const steps = Math.min(...lines.map((line) => line.live.length)) - 1;
  for (let i = 1; i <= steps; i++)
    await each(({ rec, live, csrf }) =>
      rec.post("api: step (arrived)", `/api/desk/appointments/${live[i].id}/step`, '{"to":"arrived"}', {
        "Content-Type": "application/json",
        "X-CSRF-Token": csrf,
      }),
    );

  // Cron runs, one database at a time: the whole scheduled handler (sweep, reminders,
  // reconcile, retention), its time and the rows it read and wrote.
  for (const line of lines) {
    line.cron = [];
    for (let r = 0; r < cronRuns; r++) {
      const start = await totals(line.url);
      const started = performance.now();
      let finished = true;
      try {
        await fetch(`${line.url}/__scheduled?cron=*+*+*+*+*`, { signal: AbortSignal.timeout(cronTimeoutMs) });
      } catch {
        finished = false;
      }
      const ms = round(performance.now() - started);
      await new Promise((res) => setTimeout(res, 500)); // the reminders run in waitUntil
      const counts = diff(await totals(line.url), start);
      line.cron.push({
        ms,
        finished,
        rowsRead: counts.rowsRead,
        rowsWritten: counts.rowsWritten,
        objectCalls: counts.durableObject,
      });
      if (!finished) break;
    }
  }
  return Object.fromEntries(
    lines.map((line) => [line.name, { steps: line.rec.summary(), bookings: line.bookings, cron: line.cron }]),
  );
}

/** The directory's cold load: the welcome with the cache off (read on every request), both lines in turn. */
async function measureColdStarts(lines, token, samples = 15) {
  for (const line of lines) line.rec = new Recorder(line.url);
  for (let i = 0; i < samples + 2; i++)
    for (const { rec, url } of lines) {
      rec.label = i < 2 ? null : "cold";
      const from = `+9194300000${String(i).padStart(2, "0")}`;
      await new SimulatedCall({ baseUrl: url, authToken: token, from, fetch: rec.fetch }).dial();
    }
  return Object.fromEntries(lines.map((line) => [`${line.name}ColdStart`, line.rec.summary().cold]));
}

const urlOf = (worker) => `http://${worker.address}:${worker.port}`;

/** Starts one line per database with `vars`, runs `work` on them, stops them. */
async function withLines(dirs, startLine, vars, work) {
  const started = [];
  try {
    for (const [name, dir] of dirs) started.push({ name, worker: await startLine(dir, vars) });
    return await work(started.map(({ name, worker }) => ({ name, url: urlOf(worker) })));
  } finally {
    await Promise.allSettled(started.map(({ worker }) => worker.stop()));
  }
}

/**
 * Both databases side by side, with the same calls. `startLine(persistTo, vars)` starts
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
  cronTimeoutMs = 90_000,
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
    const dirs = [
      ["demo", demo],
      ["grown", grown],
    ];
    const cold = await withLines(dirs, startLine, { ROUND_TRIP_PROBE: "on", DIRECTORY_CACHE_SECONDS: "0" }, (lines) =>
      measureColdStarts(lines, token),
    );
    const measured = await withLines(
      dirs,
      startLine,
      { ROUND_TRIP_PROBE: "on", DIRECTORY_CACHE_SECONDS: "600" },
      (lines) => measureLines(lines, token, { calls, rounds, cronRuns, cronTimeoutMs }),
    );
    // One database's capacity, on the grown database (its indexes as deep as production's).
    const capacity = await measureCapacity(grown);
    const out = { growth, target: GROWN, ...cold, ...measured, capacity };
    return out;
  } finally {
    rmSync(demo, { recursive: true, force: true });
    rmSync(grown, { recursive: true, force: true });
  }
}
