/**
 * The reconcile on a line with more doctors than D1 binds parameters (150 doctors in one
 * clinic, inserted by SQL): it runs, each run's object calls stay within a fixed budget
 * whatever the number of doctors, its slice visits every doctor within a bounded number of
 * runs, and a cancel whose free() failed is repaired by the very next run wherever the slice is.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { reconcileCallBudget, reconcileSlots, SLICE_TIME_MS, sliceSize } from "../src/booking/reconcile.ts";
import { database } from "../src/db/client.ts";
import { readConfig } from "../src/config.ts";
import { doctorDayStub, type DoctorDay } from "../src/slots/doctor-day.ts";

const WED_8AM = new Date("2027-02-03T02:30:00Z"); // Wednesday 08:00 IST
const CLINIC = 5000;
const DOCTORS = Array.from({ length: 150 }, (_, i) => 5001 + i);
const HORIZON = 30;
const config = { ...readConfig(env), horizonDays: HORIZON };

/** The objects namespace, recording the name of every object a run calls. */
function counting(namespace: DurableObjectNamespace<DoctorDay>) {
  const names: string[] = [];
  const proxy = new Proxy(namespace, {
    get(target, property) {
      if (property === "getByName")
        return (name: string) => {
          names.push(name);
          return target.getByName(name);
        };
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { namespace: proxy, names };
}

const run = (at: Date, namespace: DurableObjectNamespace<DoctorDay> = env.DOCTOR_DAY, horizonDays = HORIZON) =>
  reconcileSlots(database(env.DB), namespace, { ...config, horizonDays }, at);

beforeAll(async () => {
  await env.DB.prepare("INSERT INTO clinics (id, district_id, name, address) VALUES (?, 1, 'Big Clinic', 'Mangaluru')")
    .bind(CLINIC)
    .run();
  await env.DB.batch(
    DOCTORS.map((id) =>
      env.DB.prepare(
        "INSERT INTO doctors (id, clinic_id, name, specialization_id, token_prefix) VALUES (?, ?, ?, 1, ?)",
      ).bind(id, CLINIC, `Dr. Number ${id}`, `N${id}`),
    ),
  );
});

describe("the reconcile with more doctors than D1 binds parameters", () => {
  it("runs (no statement binds a parameter per doctor) and calls at most a fixed number of objects", async () => {
    const count = await env.DB.prepare("SELECT count(*) AS n FROM doctors").first<{ n: number }>();
    expect(count!.n).toBeGreaterThan(150);
    const { namespace, names } = counting(env.DOCTOR_DAY);
    // A two-day horizon keeps the slice's object calls few here; the budget is per horizon.
    const summary = await run(WED_8AM, namespace, 2);
    expect(summary.doctorDays).toBe(names.length);
    expect(names.length).toBeGreaterThan(0);
    // Whatever the number of doctors: 54 doctors' horizons and 200 changes at most.
    expect(names.length).toBeLessThanOrEqual(reconcileCallBudget(2));
    expect(reconcileCallBudget(HORIZON)).toBe(1928);
    // One doctor's horizon is at most horizon + 2 dates: the slice's doctors here (ids up to 5150).
    const doctors = new Set(names.map((n) => n.split(":")[1]));
    expect(doctors.size).toBe(sliceSize(5150));
  });

  it("takes a slice that makes a full pass about three hours, within its bounds", () => {
    expect(sliceSize(6)).toBe(6); // the demo: every doctor every run
    expect(sliceSize(1080)).toBe(6); // 180 runs
    expect(sliceSize(5150)).toBe(29);
    expect(sliceSize(8000)).toBe(45); // the grown database: 178 runs
    expect(sliceSize(20_000)).toBe(48); // beyond 8,640 doctors the pass grows: 417 runs
  });

  // A two-day horizon here keeps the whole pass (every doctor's days) quick to run.
  it("its slice visits every doctor's horizon within doctors / slice runs", { timeout: 90_000 }, async () => {
    const count = (await env.DB.prepare("SELECT count(*) AS n FROM doctors").first<{ n: number }>())!.n;
    const seen = new Set<string>();
    for (let i = 0; i < Math.ceil(count / sliceSize(5150)); i++) {
      const { namespace, names } = counting(env.DOCTOR_DAY);
      await run(new Date(WED_8AM.getTime() + (i + 1) * 60_000), namespace, 2);
      for (const name of names) seen.add(name.split(":")[1]!);
    }
    for (const id of DOCTORS) expect(seen, `doctor ${id} visited`).toContain(String(id));
  });

  it("stops the slice between doctors once its time is spent, and the next run goes on from there", async () => {
    const at = new Date(WED_8AM.getTime() + 3 * 60 * 60_000);
    const doctorOf = (name: string) => Number(name.split(":")[1]);
    const cursor = async () =>
      (await env.DB.prepare("SELECT doctor_id FROM reconcile_cursor WHERE id = 1").first<{ doctor_id: number }>())!
        .doctor_id;
    // A clock that jumps a quarter of the slice's time whenever it is read: the time runs out.
    let clock = Date.now();
    const spy = vi.spyOn(Date, "now").mockImplementation(() => (clock += SLICE_TIME_MS / 4));
    const slow = counting(env.DOCTOR_DAY);
    try {
      await run(at, slow.namespace, 2);
    } finally {
      spy.mockRestore();
    }
    const visited = new Set(slow.names.map(doctorOf));
    expect(visited.size).toBeGreaterThan(0);
    expect(visited.size).toBeLessThan(sliceSize(5150));
    const last = doctorOf(slow.names.at(-1)!);
    expect(await cursor()).toBe(last);

    const ids = (await env.DB.prepare("SELECT id FROM doctors ORDER BY id").all<{ id: number }>()).results.map(
      (r) => r.id,
    );
    const following = ids.find((id) => id > last) ?? ids[0]!;
    const next = counting(env.DOCTOR_DAY);
    await run(new Date(at.getTime() + 60_000), next.namespace, 2);
    expect(next.names.map(doctorOf)).toContain(following);
  });

  it("repairs a cancel whose free() failed on the very next run, wherever the slice is", async () => {
    const at = new Date(WED_8AM.getTime() + 60 * 60_000);
    await run(at, env.DOCTOR_DAY, 2);
    // A doctor well past where the next slice ends (it covers sliceSize(5150) doctors after the cursor).
    const cursor = (await env.DB.prepare("SELECT doctor_id FROM reconcile_cursor WHERE id = 1").first<{
      doctor_id: number;
    }>())!.doctor_id;
    const doctor =
      DOCTORS[
        (Math.max(
          0,
          DOCTORS.findIndex((id) => id > cursor),
        ) +
          75) %
          DOCTORS.length
      ]!;
    // The object booked 10:00 for that doctor; D1's row was then cancelled and the free() lost.
    const day = doctorDayStub(env.DOCTOR_DAY, doctor, "2027-02-04");
    const grid = { startMinute: 540, endMinute: 1020, slotMinutes: 15 };
    await day.holdAt({ callSid: "CAbig", grid, notBefore: 0, nowMs: at.getTime(), holdMs: 300_000, startMinute: 600 });
    await day.confirm("CAbig", 600, at.getTime());
    const patient = await env.DB.prepare("INSERT INTO patients (phone, name) VALUES (?, 'Big') RETURNING id")
      .bind(`+9198000${doctor}`)
      .first<{ id: number }>();
    await env.DB.prepare(
      `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source, cancelled_at)
       VALUES (?, ?, ?, '2027-02-04', '2027-02-04T04:30:00.000Z', '2027-02-04T04:45:00.000Z', ?, 'cancelled', 'ivr', ?)`,
    )
      .bind(doctor, CLINIC, patient!.id, `N${doctor}-1`, at.toISOString())
      .run();
    expect((await day.claims(at.getTime())).map((c) => c.startMinute)).toContain(600);

    const { namespace, names } = counting(env.DOCTOR_DAY);
    const summary = await run(new Date(at.getTime() + 2 * 60_000), namespace, 2);
    // Only that doctor-day of that doctor was called: the change, not the slice, found it.
    expect(names.filter((n) => n.startsWith(`doctor:${doctor}:`))).toEqual([`doctor:${doctor}:2027-02-04`]);
    expect(summary.freed).toBeGreaterThanOrEqual(1);
    expect((await day.claims(at.getTime() + 2 * 60_000)).map((c) => c.startMinute)).not.toContain(600);
  });
});
