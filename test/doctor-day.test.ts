/**
 * The DoctorDay object (holds, bookings, expiry) and holdEarliest across doctors.
 * Storage is shared within this file: each test uses its own object names or dates.
 */
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { BookingContext } from "../src/booking/offer.ts";
import { holdEarliest } from "../src/booking/offer.ts";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { getClinic, listDoctors } from "../src/db/directory.ts";

const T0 = 1_800_000_000_000;
const HOLD = 300_000;
const day = (name: string) => env.DOCTOR_DAY.getByName(name);
const ALL = { first: 1, last: 32 };

describe("DoctorDay", () => {
  it("holds the earliest free slot; the next caller gets the next one", async () => {
    const d = day("t:hold");
    expect(await d.hold("CA1", ALL, T0, HOLD)).toEqual({
      slot: 1,
      state: "held",
      callSid: "CA1",
      expiresAt: T0 + HOLD,
    });
    expect((await d.hold("CA2", ALL, T0, HOLD))?.slot).toBe(2);
    expect((await d.hold("CA3", { first: 5, last: 6 }, T0, HOLD))?.slot).toBe(5);
    expect(await d.peek(ALL, T0)).toBe(3);
  });

  it("keeps one hold per call: holding again lets the earlier one go", async () => {
    const d = day("t:one-hold");
    await d.hold("CA1", ALL, T0, HOLD);
    expect((await d.hold("CA1", { first: 2, last: 32 }, T0, HOLD))?.slot).toBe(2);
    expect((await d.snapshot(T0)).map((c) => [c.slot, c.callSid])).toEqual([[2, "CA1"]]);
    expect(await d.peek(ALL, T0)).toBe(1);
  });

  it("confirms only the call's own unexpired hold, idempotently", async () => {
    const d = day("t:confirm");
    await d.hold("CA1", ALL, T0, HOLD);
    expect(await d.confirm("CA2", 1, T0)).toEqual({ outcome: "not-held" });
    expect(await d.confirm("CA1", 2, T0)).toEqual({ outcome: "not-held" });
    expect(await d.confirm("CA1", 1, T0)).toEqual({ outcome: "confirmed" });
    expect(await d.confirm("CA1", 1, T0 + HOLD * 10)).toEqual({ outcome: "already-confirmed" });
    expect(await d.claimOf("CA1", T0 + HOLD * 10)).toEqual({ slot: 1, state: "booked", callSid: "CA1" });

    await d.hold("CA3", ALL, T0, HOLD);
    expect(await d.confirm("CA3", 2, T0 + HOLD)).toEqual({ outcome: "not-held" }); // expired at T0 + HOLD
  });

  it("expired holds count as free; release frees holds but never bookings", async () => {
    const d = day("t:expiry");
    await d.hold("CA1", ALL, T0, HOLD);
    expect(await d.peek(ALL, T0 + HOLD - 1)).toBe(2);
    expect(await d.peek(ALL, T0 + HOLD)).toBe(1);
    expect((await d.hold("CA2", ALL, T0 + HOLD, HOLD))?.slot).toBe(1);

    await d.confirm("CA2", 1, T0 + HOLD);
    await d.release("CA2");
    expect(await d.peek(ALL, T0 + HOLD)).toBe(2);
    await d.hold("CA3", ALL, T0 + HOLD, HOLD);
    await d.release("CA3");
    expect(await d.peek(ALL, T0 + HOLD)).toBe(2);
  });

  it("free() after a cancellation makes the slot bookable again; unconfirm turns a booking back into a hold", async () => {
    const d = day("t:free");
    await d.hold("CA1", ALL, T0, HOLD);
    await d.confirm("CA1", 1, T0);
    await d.free(1);
    expect((await d.hold("CA2", ALL, T0, HOLD))?.slot).toBe(1);
    await d.confirm("CA2", 1, T0);
    await d.unconfirm("CA2", 1, T0, HOLD);
    expect(await d.claimOf("CA2", T0)).toMatchObject({ slot: 1, state: "held" });
    expect(await d.confirm("CA2", 1, T0)).toEqual({ outcome: "confirmed" });
  });

  it("returns null when the range is full", async () => {
    const d = day("t:full");
    expect((await d.hold("CA1", { first: 32, last: 32 }, T0, HOLD))?.slot).toBe(32);
    expect(await d.hold("CA2", { first: 32, last: 32 }, T0, HOLD)).toBeNull();
  });

  it("holds and bookings live in storage and survive eviction", async () => {
    const d = day("t:evict");
    await d.hold("CA1", ALL, T0, HOLD);
    await d.hold("CA2", ALL, T0, HOLD);
    await d.confirm("CA2", 2, T0);
    await evictDurableObject(d);
    expect(await d.snapshot(T0)).toEqual([
      { slot: 1, state: "held", callSid: "CA1", expiresAt: T0 + HOLD },
      { slot: 2, state: "booked", callSid: "CA2" },
    ]);
    expect(await d.confirm("CA1", 1, T0)).toEqual({ outcome: "confirmed" });
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
  });

  it("takes the earliest time, ties to the lower doctor id, then the other doctor", async () => {
    const clinic = (await getClinic(db, 1))!;
    const doctors = await listDoctors(db, 1);
    const c = ctx("2026-12-01T03:30:00Z"); // Tuesday 09:00 IST
    const offers = [];
    for (const call of ["CAa", "CAb", "CAc"]) offers.push(await holdEarliest(c, clinic, doctors, call));
    expect(offers.map((o) => [o?.doctor.id, o?.date, o?.slot, o?.startsAt.toISOString()])).toEqual([
      [1, "2026-12-01", 2, "2026-12-01T03:45:00.000Z"],
      [2, "2026-12-01", 2, "2026-12-01T03:45:00.000Z"],
      [1, "2026-12-01", 3, "2026-12-01T04:00:00.000Z"],
    ]);
  });

  it("offers strictly later times with `after`, and lets go of the previous hold in another object", async () => {
    const clinic = (await getClinic(db, 1))!;
    const doctors = await listDoctors(db, 1);
    const c = ctx("2026-12-02T11:00:00Z"); // Wednesday 16:30 IST: only 16:45 is left today
    const first = (await holdEarliest(c, clinic, doctors, "CAafter"))!;
    expect([first.doctor.id, first.date, first.slot]).toEqual([1, "2026-12-02", 32]);
    const second = (await holdEarliest(c, clinic, doctors, "CAafter", {
      after: { date: first.date, minute: first.startMinute },
      previous: { doctorId: 1, date: first.date, slot: first.slot },
    }))!;
    expect([second.doctor.id, second.date, second.slot]).toEqual([1, "2026-12-03", 1]);
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
    expect([offer.date, offer.slot, offer.startsAt.toISOString()]).toEqual([
      "2026-12-08",
      1,
      "2026-12-08T03:30:00.000Z",
    ]);
  });

  it("honours a doctor's own hours (Dr. Meera Nayak: weekdays 10:00-13:00)", async () => {
    const clinic = (await getClinic(db, 3))!;
    const offer = (await holdEarliest(ctx("2026-12-04T02:30:00Z"), clinic, await listDoctors(db, 3), "CAhours"))!;
    expect([offer.date, offer.slot, offer.startMinute]).toEqual(["2026-12-04", 1, 600]);
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
