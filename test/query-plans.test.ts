/**
 * Every statement a booking call, the SMS commands, the desk's pages and API routes and one cron run prepare
 * is captured (the D1 binding's `prepare` is wrapped while they run) and checked with SQLite's
 * `EXPLAIN QUERY PLAN` against the migrated test D1: none may read a whole table that grows with
 * use (appointments, patients, the SMS outbox and inbound log, the call log, visit reasons and
 * notes). A full scan is invisible on the demo data and grows with every day the line runs, so a
 * missing index fails here rather than in production.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../src/index.ts";
import { heard, newCall, post } from "./support/line.ts";
import { addStaff, DeskClient } from "./support/desk.ts";

const MONDAY_9AM = new Date("2027-03-01T03:30:00Z"); // Monday 09:00 IST

/** Tables that grow with every call, text and visit. */
const GROWING = [
  "appointments",
  "patients",
  "sms_outbox",
  "sms_inbound",
  "call_log",
  "visit_reasons",
  "visit_notes",
  "visit_summaries",
  "reminders",
  "call_holds",
  "call_outbox",
];

/**
 * The directory: small on the demo data, thousands of rows on a district's line (2,000 clinics,
 * 8,000 doctors). The desk's pages and the cron read the rows they show or work on, never these
 * whole (the voice line's directory cache, read once an isolate, is measured by the benchmark).
 */
const DIRECTORY = ["clinics", "doctors", "staff_users", "staff_clinics"];
const BOUNDED_BY_DIRECTORY = ["desk queue", "desk pages", "cron"];

const captured = new Map<string, Set<string>>(); // sql -> the flows that prepared it
let flow = "setup";
const boundWith = new Map<string, unknown[]>(); // sql -> the values it was last bound to
const sqlOf = new WeakMap<D1PreparedStatement, string>();
const db = Object.getPrototypeOf(env.DB) as { prepare: (this: D1Database, sql: string) => D1PreparedStatement };
const realPrepare = db.prepare;
let statementProto: { bind: (this: D1PreparedStatement, ...values: unknown[]) => D1PreparedStatement };
let realBind: typeof statementProto.bind;

beforeAll(() => {
  statementProto = Object.getPrototypeOf(realPrepare.call(env.DB, "SELECT 1"));
  realBind = statementProto.bind;
  db.prepare = function (sql: string) {
    (captured.get(sql) ?? captured.set(sql, new Set()).get(sql)!).add(flow);
    const statement = realPrepare.call(this, sql);
    sqlOf.set(statement, sql);
    return statement;
  };
  statementProto.bind = function (...values: unknown[]) {
    const sql = sqlOf.get(this);
    if (sql !== undefined) boundWith.set(sql, values);
    return realBind.apply(this, values);
  };
});
afterAll(() => {
  db.prepare = realPrepare;
  statementProto.bind = realBind;
});

/** `EXPLAIN QUERY PLAN` of one statement, bound to the values it ran with. */
async function plan(sql: string): Promise<string[]> {
  const explain = realPrepare.call(env.DB, `EXPLAIN QUERY PLAN ${sql}`);
  const values = boundWith.get(sql);
  const { results } = await (values ? realBind.apply(explain, values) : explain).all<{ detail: string }>();
  return results.map((r) => r.detail);
}

/** The growing tables a statement names, by their own name or an alias (`FROM appointments a`). */
function growingNames(sql: string, tables: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?(?:\s+(?:AS\s+)?"?(\w+)"?)?/gi)) {
    const table = m[1]!;
    if (!tables.includes(table)) continue;
    names.set(table, table);
    if (m[2]) names.set(m[2], table);
  }
  return names;
}

/** The growing tables a statement reads whole (a covering-index scan reads every entry too). */
/**
 * Partial indexes that hold only the rows a statement works on, so walking the whole index is the
 * work itself: the clinics that call their patients (the reminder calls' read starts there).
 */
const WORK_INDEXES = /USING (?:COVERING )?INDEX (?:clinics_calling)\b/;

async function fullScans(sql: string, tables: readonly string[] = GROWING): Promise<string[]> {
  const names = growingNames(sql, tables);
  const scans: string[] = [];
  const details = await plan(sql);
  // Of the directory, a scan in key order (or of a small partial index) that stops at the
  // statement's LIMIT reads only that many rows. Growing tables get no such allowance.
  const stopsAtLimit = /\blimit \?$/i.test(sql.trim()) && !details.some((d) => d.includes("TEMP B-TREE"));
  if (tables === DIRECTORY && stopsAtLimit) return [];
  for (const detail of details) {
    const match = /^SCAN "?(\w+)"?/.exec(detail);
    const table = match && names.get(match[1]!);
    if (table && !WORK_INDEXES.test(detail)) scans.push(`${table}: ${detail}`);
  }
  return scans;
}

describe("query plans", () => {
  it("the check sees a full scan, also through an alias, and passes an indexed search", async () => {
    expect(await fullScans("SELECT a.id FROM appointments a WHERE a.token = 'A-1'")).toEqual(["appointments: SCAN a"]);
    expect(await fullScans('select "id" from "sms_outbox" where "sms_outbox"."body" = \'x\'')).toHaveLength(1);
    expect(await fullScans("SELECT id FROM appointments WHERE clinic_id = 1 AND local_date = '2027-03-01'")).toEqual(
      [],
    );
  });

  it("no statement of the call, the SMS commands, the desk or the cron scans a growing table; the desk and the cron scan no directory table", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(MONDAY_9AM);
    try {
      flow = "booking call";
      const phone = "+919845000001";
      const call = newCall(phone);
      await call.dial();
      await call.press("1");
      await call.press("1");
      expect(heard(await call.press("1"))).toContain("Your token is");

      for (const command of ["STATUS", "CANCEL"]) {
        flow = `SMS ${command}`;
        const res = await post("/api/sms/incoming/", {
          MessageSid: `SMplan${command}`,
          From: phone,
          To: "+15005550006",
          Body: command,
        });
        expect(res.status).toBe(200);
      }

      flow = "setup";
      const staff = await addStaff("admin");
      const desk = new DeskClient();
      expect((await desk.signIn(staff.username, staff.password)).status).toBe(303);
      flow = "desk queue";
      expect((await desk.get("/desk/clinics/1/queue")).status).toBe(200);
      expect((await desk.get("/desk/clinics/1/queue/rows")).status).toBe(200);
      flow = "desk pages";
      for (const path of [
        "/desk/clinics/1/schedule",
        "/desk/display/1",
        "/desk/display/1/now",
        "/desk/clinics/1/stats",
        "/desk/admin",
        "/api/desk/session",
        "/api/desk/clinics/1/appointments",
        "/api/desk/clinics/1/attention",
        "/api/desk/messages",
        "/api/desk/sms-usage",
      ])
        expect((await desk.get(path)).status, path).toBe(200);

      flow = "setup";
      // Reminder calls on, so the cron's read of appointments not yet called is a real one.
      await env.DB.prepare("UPDATE clinics SET reminder_calls = 1").run();
      flow = "cron";
      const ctx = createExecutionContext();
      await worker.scheduled(
        { cron: "* * * * *", scheduledTime: Date.now(), noRetry: () => undefined } as ScheduledController,
        env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
    } finally {
      vi.useRealTimers();
    }

    const flows = new Set([...captured.values()].flatMap((s) => [...s]));
    for (const name of ["booking call", "SMS STATUS", "SMS CANCEL", "desk queue", "desk pages", "cron"])
      expect(flows, `${name} prepared no statement: the capture is broken`).toContain(name);

    const scans: string[] = [];
    for (const [sql, seen] of captured) {
      const where = [...seen].filter((f) => f !== "setup").join(", ");
      if (!where) continue;
      for (const scan of await fullScans(sql)) scans.push(`${where}: ${scan}\n    ${sql}`);
      if ([...seen].some((f) => BOUNDED_BY_DIRECTORY.includes(f)))
        for (const scan of await fullScans(sql, DIRECTORY)) scans.push(`${where}: ${scan}\n    ${sql}`);
    }
    expect(scans).toEqual([]);

    // The cron reads what it works on, not what it has done: the reminders' reads walk
    // `appointments_remind` to the due and the new appointments (never every one of the next two
    // days), and the blanking walks `sms_outbox_unblanked_since` to the delivered texts and those aged out (never
    // every text that still carries words).
    const cron = [...captured].filter(([, seen]) => seen.has("cron")).map(([sql]) => sql);
    const reminderReads = cron.filter((sql) => /FROM appointments WHERE status = 'booked' AND remind_at/.test(sql));
    expect(reminderReads).toHaveLength(2);
    for (const sql of reminderReads)
      expect((await plan(sql)).join("\n")).toMatch(
        /SEARCH appointments USING INDEX appointments_remind \(remind_at[=>]/,
      );
    const blanking = cron.find((sql) => sql.startsWith("UPDATE sms_outbox SET body = ''"));
    const blankingPlan = (await plan(blanking!)).join("\n");
    expect(blankingPlan).toMatch(/SEARCH sms_outbox USING INDEX sms_outbox_unblanked_since \(status=\?\)/);
    expect(blankingPlan).toMatch(
      /SEARCH sms_outbox USING INDEX sms_outbox_unblanked_since \(status=\? AND <expr><\?\)/,
    );
    expect(blankingPlan).not.toMatch(/TEMP B-TREE/);

    // The reminder calls' read: the calling clinics (a partial index), their booked appointments
    // by clinic and day, each checked for a call row by the (appointment, purpose) key; due calls
    // by the partial index of live rows.
    const [toCall] = [...captured.keys()].filter((sql) => sql.includes("NOT EXISTS (SELECT 1 FROM call_outbox"));
    const toCallPlan = (await plan(toCall!)).join("\n");
    expect(toCallPlan).toMatch(/SCAN c USING (?:COVERING )?INDEX clinics_calling\n/);
    expect(toCallPlan).toMatch(
      /SEARCH a USING INDEX appointments_clinic_day \(clinic_id=\? AND local_date>\? AND local_date<\?\)[\s\S]*call_outbox_appointment_purpose/,
    );
    expect(toCallPlan).not.toMatch(/SCAN a\b/);
    const [due] = [...captured.keys()].filter(
      (sql) => /from "call_outbox" where/i.test(sql) && sql.includes("IN ('pending'"),
    );
    expect((await plan(due!)).join("\n")).toContain("call_outbox_due");
  });
});
