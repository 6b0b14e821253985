#!/usr/bin/env node
/**
 * npm run bench: how fast the line answers and how safely it books under concurrent calls,
 * side by side with a baseline Worker that returns one fixed TwiML document (this machine's
 * floor, measured in the same run).
 *
 *   npm run bench                      200 concurrent callers
 *   npm run bench -- --callers 200,1000
 *
 * For each N: a fresh local D1 (migrations + demo data) and fresh Durable Objects; N callers
 * at once through the whole call (welcome -> clinic 1 -> next available -> confirm), all on the
 * same clinic (contention); then D1 is checked for double bookings and for exactly one
 * appointment and one booking SMS per confirmed call. Also: each step's latency with one
 * caller at a time, and the gzipped size of the deployable bundle. Writes bench/results.json.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { unstable_dev } from "wrangler";
import { SimulatedCall } from "../tools/twilio-caller.ts";
import { parseArgs, root, wranglerBin } from "../scripts/local.mjs";
import {
  LATENCY_MODEL,
  measureOffer,
  measureSteps,
  renderRoundTrips,
  scalingSeed,
  writeReadmeSection,
} from "./round-trips.mjs";
import { measureLocalCost, renderLocalCost } from "./local-cost.mjs";
import { renderLatency } from "./latency-table.mjs";
import { measureGrown } from "./grown.mjs";
import { renderGrown } from "./grown-table.mjs";

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.WRANGLER_SEND_METRICS ??= "false";
// wrangler's local trace collector (its dev UI) records every binding call of every request in
// the same workerd thread as the line; the benchmark measures the line, so it is off for both.
process.env.X_LOCAL_OBSERVABILITY ??= "false";

const { options } = parseArgs(process.argv.slice(2), ["callers", "sequential", "out", "only", "grown-scale"]);
const callerCounts = (options.callers ?? "200").split(",").map(Number);
const sequentialCalls = Number(options.sequential ?? 40);
const outFile = path.resolve(root, options.out ?? "bench/results.json");
const TOKEN = "bench-auth-token";
const STEPS = ["welcome", "clinic menu", "booking type -> offer", "confirm"];
const KEYS = ["1", "1", "1"]; // clinic 1 (Hampankatta: two doctors), next available, book

function wrangler(args, persistTo) {
  const result = spawnSync(wranglerBin, [...args, "--persist-to", persistTo], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

function query(sql, persistTo) {
  return JSON.parse(wrangler(["d1", "execute", "DB", "--local", "--json", "--command", sql], persistTo))[0].results;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return round(sorted[Math.max(0, index)]);
}
const round = (x) => Math.round(x * 100) / 100;
function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: round(sorted.at(-1) ?? 0),
  };
}

/** A fetch that records each request's latency (until the whole body is read) under its step. */
function timedFetch(samples, stepOf) {
  return async (url, init) => {
    const started = performance.now();
    const response = await fetch(url, init);
    const body = await response.text();
    const elapsed = performance.now() - started;
    (samples[stepOf(url)] ??= []).push(elapsed);
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

const stepOf = (url) => {
  const p = new URL(url).pathname;
  if (p.includes("welcome")) return STEPS[0];
  if (p.includes("handle-clinic")) return STEPS[1];
  if (p.includes("handle-booking-type")) return STEPS[2];
  return STEPS[3];
};

async function oneCall(baseUrl, from, samples) {
  const perCall = {};
  const fetcher = timedFetch(perCall, stepOf);
  const call = new SimulatedCall({ baseUrl, authToken: TOKEN, from, fetch: fetcher });
  await call.dial();
  let last;
  for (const key of KEYS) last = await call.press(key);
  const said = last.said.join(" ");
  const token = /Your token is ([A-Z ]+), (\d+)\./.exec(said);
  for (const [step, values] of Object.entries(perCall)) (samples[step] ??= []).push(...values);
  const serverMs = Object.values(perCall)
    .flat()
    .reduce((a, b) => a + b, 0);
  return {
    callSid: call.callSid,
    booked: Boolean(token),
    serverMs,
    failed: last.responses.some((r) => r.status !== 200),
  };
}

async function baselineRun(baseUrl, callers) {
  const samples = [];
  const post = async () => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/ivr/welcome/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "unchecked" },
      body: "CallSid=CA0&From=%2B919800000000&Digits=1",
    });
    await response.text();
    samples.push(performance.now() - started);
  };
  for (let i = 0; i < 20; i++) await post(); // warm-up
  samples.length = 0;
  for (let i = 0; i < sequentialCalls * STEPS.length; i++) await post();
  const sequential = summary(samples);
  samples.length = 0;
  // The same shape as the callers: `callers` clients, each sending four requests in turn.
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let s = 0; s < STEPS.length; s++) await post();
    }),
  );
  return { sequential, concurrent: summary(samples) };
}

/** Migrations and the demo data in a fresh local D1. */
function prepareDemo(persistTo) {
  wrangler(["d1", "migrations", "apply", "DB", "--local"], persistTo);
  wrangler(["d1", "execute", "DB", "--local", "--file", "seed/demo.sql"], persistTo);
}

async function startLine(persistTo, vars = {}, { prepared = false } = {}) {
  if (!prepared) prepareDemo(persistTo);
  return unstable_dev("src/index.ts", {
    config: "wrangler.toml",
    persistTo,
    ip: "127.0.0.1",
    // One language, so every call goes welcome -> clinic menu as the figures are defined
    // (a new caller on a kn,en,hi line first answers the language menu: one more cheap step).
    vars: { TWILIO_AUTH_TOKEN: TOKEN, TWILIO_ACCOUNT_SID: "", LANGUAGES: "en", SMS_MODE: "log", ...vars },
    logLevel: "warn",
    experimental: { disableExperimentalWarning: true, testScheduled: true },
  });
}

/**
 * Round trips per step, the production latency model, and the offer's scaling with full days
 * and doctors. One fresh line counts (probe on), one also waits as production
 * would (50 ms a D1 round trip, 20 ms an object call).
 */
async function roundTripScenario() {
  const today = new Date(Date.now() + 5.5 * 3_600_000).toISOString().slice(0, 10);
  const combos = [];
  for (const doctors of [1, 6, 12])
    for (const fullDays of [0, 7, 29]) combos.push({ clinicId: 900 + combos.length, doctors, fullDays });
  const out = {};
  for (const [name, vars] of [
    ["counted", { ROUND_TRIP_PROBE: "on" }],
    ["modelled", { ROUND_TRIP_PROBE: "on", LATENCY_MODEL }],
  ]) {
    const persistTo = mkdtempSync(path.join(tmpdir(), "clinic-bench-rt-"));
    wrangler(["d1", "migrations", "apply", "DB", "--local"], persistTo);
    wrangler(["d1", "execute", "DB", "--local", "--file", "seed/demo.sql"], persistTo);
    wrangler(["d1", "execute", "DB", "--local", "--file", scalingSeed(combos, today)], persistTo);
    const line = await startLine(persistTo, vars);
    const lineUrl = `http://${line.address}:${line.port}`;
    try {
      // The cron's reconcile teaches each doctor-day object the bookings written to D1 above.
      await fetch(`${lineUrl}/__scheduled?cron=*+*+*+*+*`);
      const steps = await measureSteps(lineUrl, TOKEN);
      const scaling = [];
      for (const combo of combos) scaling.push({ ...combo, ...(await measureOffer(lineUrl, TOKEN, combo.clinicId)) });
      out[name] = { steps, scaling };
    } finally {
      await line.stop();
      rmSync(persistTo, { recursive: true, force: true });
    }
  }
  return out;
}

/** The line's own cost over the floor, one caller at a time and 32 at once. */
async function localCostScenario() {
  const persistTo = mkdtempSync(path.join(tmpdir(), "clinic-bench-cost-"));
  const line = await startLine(persistTo);
  const baseline = await startBaseline();
  try {
    return await measureLocalCost({
      lineUrl: `http://${line.address}:${line.port}`,
      floorUrl: `http://${baseline.address}:${baseline.port}`,
      token: TOKEN,
      ...(options.sequential ? { calls: Number(options.sequential) } : {}),
    });
  } finally {
    await Promise.allSettled([line.stop(), baseline.stop()]);
    rmSync(persistTo, { recursive: true, force: true });
  }
}

function startBaseline() {
  return unstable_dev("bench/baseline-worker.mjs", {
    config: "bench/baseline.wrangler.toml",
    ip: "127.0.0.1",
    logLevel: "warn",
    experimental: { disableExperimentalWarning: true },
  });
}

async function scenario(callers) {
  const persistTo = mkdtempSync(path.join(tmpdir(), "clinic-bench-"));
  const line = await startLine(persistTo);
  const baseline = await startBaseline();
  const lineUrl = `http://${line.address}:${line.port}`;
  const baseUrl = `http://${baseline.address}:${baseline.port}`;
  try {
    const floor = await baselineRun(baseUrl, callers);

    // One caller at a time: each step's own latency, no queueing.
    const sequentialSamples = {};
    for (let i = 0; i < 5; i++) await oneCall(lineUrl, `+91970000${String(i).padStart(4, "0")}`, {}); // warm-up
    for (let i = 0; i < sequentialCalls; i++)
      await oneCall(lineUrl, `+91971000${String(i).padStart(4, "0")}`, sequentialSamples);

    // The rush: every caller at once, same clinic, next available.
    const samples = {};
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: callers }, (_, i) => oneCall(lineUrl, `+9198${String(i).padStart(8, "0")}`, samples)),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const booked = results.filter((r) => r.booked);

    // Let the job queue drain, then check D1.
    let pendingSms = null;
    const drainStarted = performance.now();
    for (;;) {
      pendingSms = query("SELECT count(*) AS n FROM sms_outbox WHERE status IN ('pending', 'sending')", persistTo)[0].n;
      if (pendingSms === 0 || performance.now() - drainStarted > 300_000) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const smsDrainSeconds = round((performance.now() - drainStarted) / 1000);
    const smsRows = query("SELECT purpose, status, count(*) AS n FROM sms_outbox GROUP BY 1, 2", persistTo);
    const doubleBookings = query(
      "SELECT doctor_id, starts_at, count(*) AS n FROM appointments WHERE status <> 'cancelled' GROUP BY 1, 2 HAVING n > 1",
      persistTo,
    );
    const perCall = query(
      `SELECT a.call_sid, count(DISTINCT a.id) AS appointments, count(o.id) AS booking_sms
         FROM appointments a LEFT JOIN sms_outbox o ON o.appointment_id = a.id AND o.purpose = 'booking'
        WHERE a.call_sid LIKE 'CA%' GROUP BY a.call_sid`,
      persistTo,
    );
    const byCall = new Map(perCall.map((r) => [r.call_sid, r]));
    const rushSids = new Set(results.map((r) => r.callSid));
    const exactlyOne = booked.every(
      (r) => byCall.get(r.callSid)?.appointments === 1 && byCall.get(r.callSid)?.booking_sms === 1,
    );
    const orphanAppointments = perCall.filter(
      (r) => rushSids.has(r.call_sid) && !booked.some((b) => b.callSid === r.call_sid),
    ).length;
    const days = query(
      `SELECT count(DISTINCT local_date) AS days FROM appointments WHERE call_sid IN (${[...rushSids].map((s) => `'${s}'`).join(",")})`,
      persistTo,
    )[0].days;

    const steps = Object.fromEntries(
      STEPS.map((step) => {
        const conc = summary(samples[step] ?? []);
        const seq = summary(sequentialSamples[step] ?? []);
        return [
          step,
          {
            concurrent: { ...conc, p50VsBaseline: round(conc.p50 / floor.concurrent.p50) },
            sequential: { ...seq, p50VsBaseline: round(seq.p50 / floor.sequential.p50) },
          },
        ];
      }),
    );
    return {
      callers,
      baseline: floor,
      steps,
      wholeCallServerMs: summary(results.map((r) => r.serverMs)),
      wallSeconds: round(wallSeconds),
      bookingsPerSecond: round(booked.length / wallSeconds),
      verification: {
        callsCompleted: results.length,
        callsBooked: booked.length,
        httpErrors: results.filter((r) => r.failed).length,
        doubleBookings: doubleBookings.length,
        everyBookedCallHasExactlyOneAppointmentAndOneBookingSms: exactlyOne,
        appointmentsWithoutATokenHeard: orphanAppointments,
        daysUsed: days,
        smsStillPending: pendingSms,
        smsDrainSecondsAfterLastCall: smsDrainSeconds,
        smsRows,
      },
    };
  } finally {
    await Promise.allSettled([line.stop(), baseline.stop()]);
    rmSync(persistTo, { recursive: true, force: true });
  }
}

function bundleSize() {
  const outdir = mkdtempSync(path.join(tmpdir(), "clinic-bundle-"));
  try {
    const result = spawnSync(wranglerBin, ["deploy", "--dry-run", "--outdir", outdir], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    });
    if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stderr}`);
    let raw = 0;
    let gzip = 0;
    for (const name of readdirSync(outdir, { recursive: true })) {
      const file = path.join(outdir, String(name));
      if (!statSync(file).isFile() || file.endsWith(".map")) continue;
      const bytes = readFileSync(file);
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    return { rawKiB: round(raw / 1024), gzipKiB: round(gzip / 1024) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const version = (pkg) => JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version;
// --only round-trips | local-cost | grown: just that part; by default everything.
// --grown-scale 0.01: a grown database of 1% the size, for trying the grown part quickly.
const onlyRoundTrips = options.only === "round-trips";
const machineLine = `${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores, Node ${process.version}, workerd ${version("workerd")}`;
const stamp = () => new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC";
const readme = path.join(root, "README.md");
// Keep the README in the repository's one format (CI checks it).
const formatReadme = () =>
  spawnSync(path.join(root, "node_modules", ".bin", "prettier"), ["--write", "README.md"], { cwd: root });

if (!options.only || options.only === "grown") {
  console.log("\n== the grown database against the demo data");
  const grown = await measureGrown({
    prepare: prepareDemo,
    startLine: (persistTo, vars) => startLine(persistTo, vars, { prepared: true }),
    token: TOKEN,
    scale: Number(options["grown-scale"] ?? 1),
  });
  writeFileSync(outFile.replace(/\.json$/, ".grown.json"), `${JSON.stringify(grown, null, 2)}\n`);
  for (const [name, text] of Object.entries(renderGrown(grown, machineLine, stamp())))
    writeReadmeSection(readme, text, name);
  formatReadme();
  if (options.only === "grown") process.exit(0);
}

let localCost = null;
if (!onlyRoundTrips) {
  console.log("\n== local cost over the floor");
  localCost = await localCostScenario();
  console.log(JSON.stringify(localCost, null, 2));
  writeReadmeSection(readme, renderLocalCost(localCost, machineLine, stamp()), "local-cost");
  formatReadme();
}
if (options.only === "local-cost") {
  writeFileSync(outFile.replace(/\.json$/, ".local-cost.json"), `${JSON.stringify(localCost, null, 2)}\n`);
  process.exit(0);
}
console.log("\n== round trips per step, and the production latency model");
const roundTrips = await roundTripScenario();
for (const [step, v] of Object.entries(roundTrips.counted.steps))
  console.log(
    `${step.padEnd(26)} sequential max ${v.sequentialMax} (median ${v.sequentialMedian}), object calls max ${v.objectCallsMax}, queue ${v.queueMax}; modelled p50 ${roundTrips.modelled.steps[step]?.msP50} ms`,
  );
for (const row of roundTrips.modelled.scaling)
  console.log(
    `offer N=${row.doctors} K=${row.fullDays}: ${row.sequential} sequential, ${row.objectCalls} object calls, modelled ${row.msP50} ms`,
  );
writeReadmeSection(readme, renderRoundTrips(roundTrips, machineLine, stamp()));
formatReadme();
if (onlyRoundTrips) {
  writeFileSync(outFile.replace(/\.json$/, ".round-trips.json"), `${JSON.stringify(roundTrips, null, 2)}\n`);
  process.exit(0);
}

const scenarios = [];
for (const callers of callerCounts) {
  console.log(`\n== ${callers} concurrent callers`);
  const s = await scenario(callers);
  scenarios.push(s);
  console.log(
    `step                     | 1 caller p50/p95/p99 ms (x floor) | ${callers} callers p50/p95/p99 ms (x floor)`,
  );
  for (const [step, v] of Object.entries(s.steps)) {
    const q = v.sequential;
    const c = v.concurrent;
    console.log(
      `${step.padEnd(24)} | ${`${q.p50} / ${q.p95} / ${q.p99} (${q.p50VsBaseline}x)`.padEnd(33)} | ${c.p50} / ${c.p95} / ${c.p99} (${c.p50VsBaseline}x)`,
    );
  }
  const b = s.baseline;
  console.log(
    `${"baseline (fixed TwiML)".padEnd(24)} | ${`${b.sequential.p50} / ${b.sequential.p95} / ${b.sequential.p99}`.padEnd(33)} | ${b.concurrent.p50} / ${b.concurrent.p95} / ${b.concurrent.p99}`,
  );
  console.log(
    `whole call (server time) p50/p99: ${s.wholeCallServerMs.p50} / ${s.wholeCallServerMs.p99} ms; ${s.bookingsPerSecond} bookings/s over ${s.wallSeconds} s`,
  );
  console.log(`verification: ${JSON.stringify(s.verification)}`);
}
const bundle = bundleSize();
console.log(`\nbundle: ${bundle.rawKiB} KiB, ${bundle.gzipKiB} KiB gzipped`);

const first = scenarios[0];
const menuSteps = [STEPS[0], STEPS[1]];
const targets = {
  medianMenuStepWithin3xBaseline: menuSteps.every((s) => first.steps[s].concurrent.p50VsBaseline <= 3),
  p99OfEveryStepUnder50msConcurrent: Object.values(first.steps).every((v) => v.concurrent.p99 < 50),
  p99OfEveryStepUnder50msOneCallerAtATime: Object.values(first.steps).every((v) => v.sequential.p99 < 50),
  zeroDoubleBookings: scenarios.every(
    (s) =>
      s.verification.doubleBookings === 0 && s.verification.everyBookedCallHasExactlyOneAppointmentAndOneBookingSms,
  ),
  gzippedBundleWithin150KiB: bundle.gzipKiB <= 150,
};
console.log(`targets: ${JSON.stringify(targets)}`);

const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    workerd: version("workerd"),
    wrangler: version("wrangler"),
  },
  parameters: { callers: callerCounts, sequentialCalls, keys: KEYS, clinic: "Hampankatta Family Clinic (2 doctors)" },
  scenarios,
  roundTrips,
  localCost,
  bundle,
  targets,
};
writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
writeReadmeSection(
  readme,
  renderLatency({ scenarios, bundle, targets, machine: machineLine, date: stamp() }),
  "latency",
);
formatReadme();
console.log(`\nwrote ${path.relative(root, outFile)}`);
process.exit(0);
