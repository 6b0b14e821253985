/**
 * The DoctorDay object (holds, bookings, expiry) and holdEarliest across doctors.
 * Storage is shared within this file: each test uses its own object names or dates.
 */
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { BookingContext } from "../src/booking/context.ts";
import { holdEarliest } from "../src/booking/offer.ts";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { getClinic, listDoctors } from "../src/db/directory.ts";

const T0 = 1_800_000_000_000;
const HOLD = 300_000;
const day = (name: string) => env.DOCTOR_DAY.getByName(name);
/** 09:00-17:00 in 15-minute slots. */
const GRID = { startMinute: 540, endMinute: 1020, slotMinutes: 15 };
const ALL = { grid: GRID, notBefore: 0 };
const hold = (callSid: string, nowMs = T0, search = ALL) => ({ callSid, nowMs, holdMs: HOLD, ...search });
const at = (h: number, m = 0) => h * 60 + m;

describe("DoctorDay", () => {
  it("holds the earliest free slot; the next caller gets the next one", async () => {
    const d = day("t:hold");
    expect(await d.hold(hold("CA1"))).toEqual({
      startMinute: at(9),
      endMinute: at(9, 15),
      state: "held",
      callSid: "CA1",
      expiresAt: T0 + HOLD,
    });
    expect((await d.hold(hold("CA2")))?.startMinute).toBe(at(9, 15));
    expect((await d.hold(hold("CA3", T0, { grid: GRID, notBefore: at(10) })))?.startMinute).toBe(at(10));
    expect((await d.peek(ALL, T0))?.startMinute).toBe(at(9, 30));
  });

  it("keeps one hold per call: holding again lets the earlier one go", async () => {
    const d = day("t:one-hold");
    await d.hold(hold("CA1"));
    expect((await d.hold(hold("CA1", T0, { grid: GRID, notBefore: at(9, 1) })))?.startMinute).toBe(at(9, 15));
    expect((await d.claims(T0)).map((c) => [c.startMinute, c.callSid])).toEqual([[at(9, 15), "CA1"]]);
    expect((await d.peek(ALL, T0))?.startMinute).toBe(at(9));
  });

  it("confirms only the call's own unexpired hold, idempotently", async () => {
    const d = day("t:confirm");
    await d.hold(hold("CA1"));
    expect(await d.confirm("CA2", at(9), T0)).toEqual({ outcome: "not-held" });
    expect(await d.confirm("CA1", at(9, 15), T0)).toEqual({ outcome: "not-held" });
    expect(await d.confirm("CA1", at(9), T0)).toMatchObject({ outcome: "confirmed" });
    expect(await d.confirm("CA1", at(9), T0 + HOLD * 10)).toMatchObject({ outcome: "already-confirmed" });
    expect(await d.claimOf("CA1", T0 + HOLD * 10)).toMatchObject({
      startMinute: at(9),
      state: "booked",
      callSid: "CA1",
    });

    await d.hold(hold("CA3"));
    expect(await d.confirm("CA3", at(9, 15), T0 + HOLD)).toEqual({ outcome: "not-held" }); // expired at T0 + HOLD
  });

  it("expired holds count as free; release frees holds but never bookings", async () => {
    const d = day("t:expiry");
    await d.hold(hold("CA1"));
    expect((await d.peek(ALL, T0 + HOLD - 1))?.startMinute).toBe(at(9, 15));
    expect((await d.peek(ALL, T0 + HOLD))?.startMinute).toBe(at(9));
    expect((await d.hold(hold("CA2", T0 + HOLD)))?.startMinute).toBe(at(9));

    await d.confirm("CA2", at(9), T0 + HOLD);
    await d.release("CA2");
    expect((await d.peek(ALL, T0 + HOLD))?.startMinute).toBe(at(9, 15));
    await d.hold(hold("CA3", T0 + HOLD));
    await d.release("CA3");
    expect((await d.peek(ALL, T0 + HOLD))?.startMinute).toBe(at(9, 15));
  });

  it("free() after a cancellation makes the time bookable again; unconfirm turns a booking back into a hold", async () => {
    const d = day("t:free");
    await d.hold(hold("CA1"));
    await d.confirm("CA1", at(9), T0);
    await d.free(at(9));
    expect((await d.hold(hold("CA2")))?.startMinute).toBe(at(9));
    await d.confirm("CA2", at(9), T0);
    await d.unconfirm("CA2", at(9), T0, HOLD);
    expect(await d.claimOf("CA2", T0)).toMatchObject({ startMinute: at(9), state: "held" });
    expect(await d.confirm("CA2", at(9), T0)).toMatchObject({ outcome: "confirmed" });
  });

  it("returns null when nothing from the start time on is free", async () => {
    const d = day("t:full");
    const last = { grid: GRID, notBefore: at(16, 45) };
    expect((await d.hold(hold("CA1", T0, last)))?.startMinute).toBe(at(16, 45));
    expect(await d.hold(hold("CA2", T0, last))).toBeNull();
  });

  it("a slot is its time: new hours or a new slot length never give away a booked time", async () => {
    const d = day("t:times");
    await d.hold(hold("CA1", T0, { grid: GRID, notBefore: at(10, 15) }));
    await d.confirm("CA1", at(10, 15), T0);
    // The doctor now starts at 09:30: 10:15 is still taken, whatever its place in the new day.
    const later = { grid: { ...GRID, startMinute: at(9, 30) }, notBefore: at(10, 15) };
    expect((await d.hold(hold("CA2", T0, later)))?.startMinute).toBe(at(10, 30));
    // 20-minute slots from 09:00: 10:00 and 10:20 overlap the booking (10:15-10:30), 10:40
    // overlaps CA2's hold (10:30-10:45): the first free one is 11:00.
    const twenty = { grid: { ...GRID, slotMinutes: 20 }, notBefore: at(10) };
    expect((await d.hold(hold("CA3", T0, twenty)))?.startMinute).toBe(at(11));
  });

  it("holdAt claims exactly the time asked for, only if it is free and on the grid", async () => {
    const d = day("t:hold-at");
    expect(await d.holdAt({ ...hold("CA1"), startMinute: at(11) })).toMatchObject({ startMinute: at(11) });
    expect(await d.holdAt({ ...hold("CA2"), startMinute: at(11) })).toBeNull();
    expect(await d.holdAt({ ...hold("CA2"), startMinute: at(11, 5) })).toBeNull();
    expect(
      await d.holdAt({ ...hold("CA2", T0, { grid: GRID, notBefore: at(12) }), startMinute: at(11, 15) }),
    ).toBeNull();
  });

  it("holds and bookings live in storage and survive eviction", async () => {
    const d = day("t:evict");
    await d.hold(hold("CA1"));
    await d.hold(hold("CA2"));
    await d.confirm("CA2", at(9, 15), T0);
    await evictDurableObject(d);
    expect(await d.claims(T0)).toEqual([
      { startMinute: at(9), endMinute: at(9, 15), state: "held", callSid: "CA1", expiresAt: T0 + HOLD },
      { startMinute: at(9, 15), endMinute: at(9, 30), state: "booked", callSid: "CA2", bookedAt: T0 },
    ]);
    expect(await d.confirm("CA1", at(9), T0)).toMatchObject({ outcome: "confirmed" });
  });

  it("reconcile marks what D1 has, frees what D1 lacks after the grace period, and is idempotent", async () => {
    const d = day("t:reconcile");
    await d.hold(hold("CAold"));
    await d.confirm("CAold", at(9), T0); // booked at T0, no appointment in D1
    await d.hold(hold("CAnew", T0 + 50_000));
    await d.confirm("CAnew", at(9, 15), T0 + 50_000); // booked 10 s before the read: may be in flight
    await d.hold(hold("CAholder", T0));
    const live = [{ startMinute: at(9, 30), endMinute: at(9, 45) }]; // D1 has 09:30, which CAholder holds
    const readAt = T0 + 60_000;
    const report = await d.reconcile(live, readAt, 55_000, readAt);
    expect(report).toEqual({
      marked: [{ startMinute: at(9, 30), endMinute: at(9, 45) }],
      freed: [{ startMinute: at(9), endMinute: at(9, 15) }],
      released: [],
    });
    expect((await d.claims(readAt)).map((c) => [c.startMinute, c.state, c.callSid])).toEqual([
      [at(9, 15), "booked", "CAnew"],
      [at(9, 30), "booked", null],
    ]);
    expect(await d.confirm("CAholder", at(9, 30), readAt)).toEqual({ outcome: "not-held" });
    expect(await d.reconcile(live, readAt, 55_000, readAt)).toEqual({ marked: [], freed: [], released: [] });
  });
});

describe("holdEarliest across a clinic's doctors", () => {
  const db = database(env.DB);
  const ctx = (iso: string): BookingContext => ({
    db,
    config: readConfig(env),
    doctorDays: env.DOCTOR_DAY,
    now: new Date(iso),
    origin: "https://line.test",
    jobs: env.JOBS,
  });

  it("takes the earliest time, ties to the lower doctor id, then the other doctor", async () => {
    const clinic = (await getClinic(db, 1))!;
    const doctors = await listDoctors(db, 1);
    const c = ctx("2026-12-01T03:30:00Z"); // Tuesday 09:00 IST
    const offers = [];
    for (const call of ["CAa", "CAb", "CAc"]) offers.push(await holdEarliest(c, clinic, doctors, call));
    expect(offers.map((o) => [o?.doctor.id, o?.date, o?.startMinute, o?.startsAt.toISOString()])).toEqual([
      [1, "2026-12-01", at(9, 15), "2026-12-01T03:45:00.000Z"],
      [2, "2026-12-01", at(9, 15), "2026-12-01T03:45:00.000Z"],
      [1, "2026-12-01", at(9, 30), "2026-12-01T04:00:00.000Z"],
    ]);
  });

  it("offers strictly later times with `after`, and lets go of the previous hold in another object", async () => {
    const clinic = (await getClinic(db, 1))!;
    const doctors = await listDoctors(db, 1);
    const c = ctx("2026-12-02T11:00:00Z"); // Wednesday 16:30 IST: only 16:45 is left today
    const first = (await holdEarliest(c, clinic, doctors, "CAafter"))!;
    expect([first.doctor.id, first.date, first.startMinute]).toEqual([1, "2026-12-02", at(16, 45)]);
    const second = (await holdEarliest(c, clinic, doctors, "CAafter", {
      after: { date: first.date, minute: first.startMinute },
      previous: { doctorId: 1, date: first.date, startMinute: first.startMinute },
    }))!;
    expect([second.doctor.id, second.date, second.startMinute]).toEqual([1, "2026-12-03", at(9)]);
    expect(await env.DOCTOR_DAY.getByName("doctor:1:2026-12-02").claimOf("CAafter", c.now.getTime())).toBeNull();
  });

  it("skips days off and Sundays, and never offers a past slot", async () => {
    const clinic = (await getClinic(db, 2))!;
    const doctors = await listDoctors(db, 2); // Dr. Anil Bhat only
    await env.DB.prepare(
      "INSERT INTO doctor_days_off (doctor_id, local_date, reason) VALUES (3, '2026-12-07', 'leave')",
    ).run();
    // Saturday 5 December, 18:00 IST: nothing today, Sunday closed, Monday on leave -> Tuesday 09:00.
    const offer = (await holdEarliest(ctx("2026-12-05T12:30:00Z"), clinic, doctors, "CAleave"))!;
    expect([offer.date, offer.startMinute, offer.startsAt.toISOString()]).toEqual([
      "2026-12-08",
      at(9),
      "2026-12-08T03:30:00.000Z",
    ]);
  });

  it("honours a doctor's own hours (Dr. Meera Nayak: weekdays 10:00-13:00)", async () => {
    const clinic = (await getClinic(db, 3))!;
    const offer = (await holdEarliest(ctx("2026-12-04T02:30:00Z"), clinic, await listDoctors(db, 3), "CAhours"))!;
    expect([offer.date, offer.startMinute, offer.endMinute]).toEqual(["2026-12-04", 600, 615]);
    // Friday 12:50 IST: the last slot (12:45) has started; next is Monday (no Saturday hours).
    const later = (await holdEarliest(ctx("2026-12-04T07:20:00Z"), clinic, await listDoctors(db, 3), "CAhours2"))!;
    expect([later.date, later.startMinute]).toEqual(["2026-12-07", 600]);
  });

  it("returns null when nothing is free within the horizon", async () => {
    const clinic = (await getClinic(db, 4))!;
    const doctors = await listDoctors(db, 4);
    const c = { ...ctx("2027-03-01T03:30:00Z"), config: { ...readConfig(env), horizonDays: 1 } };
    for (let i = 0; i < 31; i++) expect(await holdEarliest(c, clinic, doctors, `CAfill${i}`)).not.toBeNull();
    expect(await holdEarliest(c, clinic, doctors, "CAnone")).toBeNull();
  });
});
