/**
 * One truth for every slot, whatever the clinic changes: the four ways the line used to break
 * (a changed start time, a successor's initials, a hand cancel in D1, new doctors' prefixes),
 * faults between the object's write and D1's, and a seeded property test over random bookings,
 * cancels, schedule changes, doctors coming and going, and reconciles.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reconcileSlots } from "../src/booking/reconcile.ts";
import { ScheduleError } from "../src/booking/schedule.ts";
import { doctorDayStub } from "../src/slots/doctor-day.ts";
import {
  bookEarliest,
  contextAt,
  expectFreeTimesOffered,
  expectOneTruth,
  liveAppointments,
  newClinic,
  reconcilePass,
  serviceAt,
} from "./support/clinic.ts";
import { faultyEnv, plan } from "./support/faults.ts";

const WED_8AM = new Date("2027-01-06T02:30:00Z"); // Wednesday 08:00 IST
const DAY_HOURS = (startMinute: number, slotMinutes = 15) =>
  [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute, endMinute: 17 * 60, slotMinutes }));
let callCounter = 0;
const callSid = () => `CAtruth${++callCounter}`;
const phone = (n: number) => `+91980000${String(n).padStart(4, "0")}`;

describe("the four reproductions", () => {
  it("a new start time (09:00 -> 09:30) after bookings exist never books a second patient at a booked time", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Farah Ali"]);
    for (let i = 0; i < 6; i++) await bookEarliest(ctx, clinic.id, phone(100 + i), callSid());
    expect((await liveAppointments(clinic.id)).map((a) => a.token)).toEqual(["F-1", "F-2", "F-3", "F-4", "F-5", "F-6"]);

    await serviceAt(ctx).setWeeklyHours(clinic.doctors[0]!, DAY_HOURS(9 * 60 + 30));
    const { offer, result } = await bookEarliest(ctx, clinic.id, phone(110), callSid());
    // 09:30-10:15 are taken (F-3..F-6); the first free time in the new hours is 10:30.
    expect(offer?.startMinute).toBe(10 * 60 + 30);
    expect(result).toMatchObject({ kind: "booked", booking: { token: "F-7" } });
    const live = await expectOneTruth(clinic.id);
    // Existing appointments keep their times and tokens; 09:00 and 09:15 are outside the new hours and reported.
    expect(live.map((a) => a.token)).toEqual(["F-1", "F-2", "F-3", "F-4", "F-5", "F-6", "F-7"]);
    const stranded = await serviceAt(ctx).strandedAppointments(clinic.id);
    expect(stranded.map((a) => a.token)).toEqual(["F-1", "F-2"]);
  });

  it("a successor who shares the initials of a doctor who left gets a prefix of their own, and books at once", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Kavya Shetty", "Dr. Kiran Rao"]);
    await bookEarliest(ctx, clinic.id, phone(200), callSid()); // Kavya, 09:00: K-1
    await serviceAt(ctx).setDoctorActive(clinic.doctors[0]!, false);
    const successor = await serviceAt(ctx).addDoctor({
      clinicId: clinic.id,
      name: "Dr. Kavya Shenoy",
      specializationId: 1,
    });
    expect(successor.tokenPrefix).toBe("KS");
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await bookEarliest(ctx, clinic.id, phone(201 + i), callSid())).result);
    expect(results.map((r) => r?.kind)).toEqual(["booked", "booked", "booked"]);
    const live = await expectOneTruth(clinic.id);
    expect(live.map((a) => a.token).sort()).toEqual(["K-1", "KR-1", "KR-2", "KS-1"]);
    // The doctor who left still has a booked patient: reported, not dropped.
    expect((await serviceAt(ctx).strandedAppointments(clinic.id)).map((a) => a.token)).toEqual(["K-1"]);
  });

  it("an appointment cancelled in D1 by hand is offered again after one reconcile pass; a booking D1 lacks is freed", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Usha Rai"]);
    await bookEarliest(ctx, clinic.id, phone(300), callSid());
    await env.DB.prepare("UPDATE appointments SET status = 'cancelled' WHERE clinic_id = ?").bind(clinic.id).run();
    // The reverse drift: the object booked 10:00 and the Worker died before D1 heard of it.
    const day = doctorDayStub(env.DOCTOR_DAY, clinic.doctors[0]!, "2027-01-06");
    const grid = { startMinute: 540, endMinute: 1020, slotMinutes: 15 };
    await day.holdAt({
      callSid: "CAdied",
      grid,
      notBefore: 0,
      nowMs: WED_8AM.getTime(),
      holdMs: 300_000,
      startMinute: 600,
    });
    await day.confirm("CAdied", 600, WED_8AM.getTime());

    // Before the reconcile the object still says 09:00 is booked.
    expect((await bookEarliest(contextAt(WED_8AM), clinic.id, phone(301), callSid())).offer?.startMinute).toBe(555);
    const later = new Date(WED_8AM.getTime() + 2 * 60_000);
    const summary = await reconcilePass(contextAt(later));
    expect(summary.freed).toBeGreaterThanOrEqual(2);
    await expectFreeTimesOffered(contextAt(later), clinic.id);
    const again = await bookEarliest(contextAt(later), clinic.id, phone(302), callSid());
    expect(again.offer?.startMinute).toBe(540);
    // Idempotent: nothing left to repair for this clinic.
    const claimsBefore = await day.claims(later.getTime());
    await reconcilePass(contextAt(later));
    expect(await day.claims(later.getTime())).toEqual(claimsBefore);
  });

  it("adding doctors never changes the prefix of those already there, and every prefix is 1-3 letters", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Farah Ali"]);
    await bookEarliest(ctx, clinic.id, phone(400), callSid());
    for (const name of ["Dr. Fathima Begum", "Dr. Faisal Bhat", "Dr. F.", "Dr. 20"])
      await serviceAt(ctx).addDoctor({ clinicId: clinic.id, name, specializationId: 1 });
    const { results } = await env.DB.prepare("SELECT name, token_prefix FROM doctors WHERE clinic_id = ? ORDER BY id")
      .bind(clinic.id)
      .all<{ name: string; token_prefix: string }>();
    expect(results.map((r) => r.token_prefix)).toEqual(["F", "FB", "FAB", "FA", "A"]);
    for (const r of results) expect(r.token_prefix).toMatch(/^[A-Z]{1,3}$/);
    expect((await liveAppointments(clinic.id)).map((a) => a.token)).toEqual(["F-1"]);
  });
});

describe("a fault between the object's write and D1's", () => {
  it("a booking whose D1 batch and compensation both fail is freed by the reconcile, and nobody is double-booked", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Gita Pai"]);
    // D1's booking batch (the second batch of a booking, after the calendars) throws, then the
    // object's unconfirm throws too.
    const d1Fault = plan("d1", 2, "throw", /batch/);
    const broken = faultyEnv(env, d1Fault);
    const objectFault = plan("durable-object", 1, "throw", /unconfirm/);
    const both = { ...broken, DOCTOR_DAY: faultyEnv(env, objectFault).DOCTOR_DAY } as Env;
    await expect(bookEarliest(contextAt(WED_8AM, both), clinic.id, phone(500), callSid())).rejects.toThrow(
      /injected fault/,
    );
    expect([d1Fault.fired, objectFault.fired]).toEqual([true, true]);
    expect(await liveAppointments(clinic.id)).toEqual([]);
    // The object still says 09:00 is booked: the next caller gets 09:15, never 09:00 twice.
    expect((await bookEarliest(ctx, clinic.id, phone(501), callSid())).offer?.startMinute).toBe(555);
    // Within the grace the reconcile leaves it alone (the write might be in flight); after it, frees it.
    await reconcilePass(contextAt(new Date(WED_8AM.getTime() + 30_000)));
    expect(
      (await doctorDayStub(env.DOCTOR_DAY, clinic.doctors[0]!, "2027-01-06").claims(WED_8AM.getTime() + 30_000)).map(
        (c) => c.startMinute,
      ),
    ).toContain(540);
    const later = contextAt(new Date(WED_8AM.getTime() + 2 * 60_000));
    await reconcilePass(later);
    expect((await bookEarliest(later, clinic.id, phone(502), callSid())).offer?.startMinute).toBe(540);
    await expectOneTruth(clinic.id);
  });

  it("a booking whose D1 batch fails but compensation works is a hold again, and the retry books it", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Hema Rao"]);
    const fault = plan("d1", 2, "throw", /batch/); // the booking batch, after the calendars
    const sid = callSid();
    await expect(bookEarliest(contextAt(WED_8AM, faultyEnv(env, fault)), clinic.id, phone(510), sid)).rejects.toThrow();
    const claim = await doctorDayStub(env.DOCTOR_DAY, clinic.doctors[0]!, "2027-01-06").claimOf(sid, WED_8AM.getTime());
    expect(claim).toMatchObject({ startMinute: 540, state: "held" });
  });

  it("a cancel whose free() fails leaves the time taken only until the next reconcile", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Ila Kamath"]);
    await bookEarliest(ctx, clinic.id, phone(520), callSid());
    const fault = plan("durable-object", 1, "throw", /free/);
    expect(await serviceAt(contextAt(WED_8AM, faultyEnv(env, fault))).cancelForPhone(phone(520))).toMatchObject({
      kind: "cancelled",
    });
    expect(fault.fired).toBe(true);
    expect((await bookEarliest(ctx, clinic.id, phone(521), callSid())).offer?.startMinute).toBe(555);
    const later = contextAt(new Date(WED_8AM.getTime() + 2 * 60_000));
    await reconcileSlots(later.db, later.doctorDays, later.config, later.now);
    expect((await bookEarliest(later, clinic.id, phone(522), callSid())).offer?.startMinute).toBe(540);
    await expectOneTruth(clinic.id);
  });
});

type Step =
  | { kind: "book"; phone: number; concurrent: number }
  | { kind: "cancel-sms"; phone: number }
  | { kind: "cancel-clinic"; pick: number }
  | { kind: "cancel-by-hand"; pick: number }
  | { kind: "hours"; doctor: number; start: number; slot: number }
  | { kind: "day-off"; doctor: number; day: number; cancel: boolean }
  | { kind: "add-doctor"; name: number }
  | { kind: "remove-doctor"; doctor: number }
  | { kind: "reconcile" };

const NAMES = ["Dr. Kavya Shetty", "Dr. Kiran Rao", "Dr. Kavya Shenoy", "Dr. Anil Bhat", "Dr. Asha Bhat"];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("book" as const),
      phone: fc.nat(5),
      concurrent: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel-sms" as const), phone: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel-clinic" as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel-by-hand" as const), pick: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("hours" as const),
      doctor: fc.nat(4),
      start: fc.constantFrom(480, 540, 570),
      slot: fc.constantFrom(10, 15, 20, 30),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("day-off" as const),
      doctor: fc.nat(4),
      day: fc.nat(2),
      cancel: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("add-doctor" as const), name: fc.nat(NAMES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove-doctor" as const), doctor: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.constant({ kind: "reconcile" as const }) },
);

describe("one truth for every slot (seeded property test)", () => {
  it("after every step: no shared doctor-time, no shared token, no token ever changed; after a reconcile every free time is offered", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 4, maxLength: 14 }), async (steps) => {
        run++;
        // Each run is a fresh clinic on its own day, a minute apart, so objects never mix.
        let now = new Date(WED_8AM.getTime() + run * 7 * 86_400_000);
        const ctx = () => contextAt(now);
        const clinic = await newClinic(ctx(), ["Dr. Kavya Shetty", "Dr. Kiran Rao"]);
        const doctors = [...clinic.doctors];
        const issued = new Map<number, string>();
        const basePhone = 6000 + run * 10;
        for (const step of steps) {
          const live = await liveAppointments(clinic.id);
          switch (step.kind) {
            case "book":
              await Promise.all(
                Array.from({ length: step.concurrent }, (_, i) =>
                  bookEarliest(ctx(), clinic.id, phone(basePhone + ((step.phone + i) % 6)), callSid()),
                ),
              );
              break;
            case "cancel-sms":
              await serviceAt(ctx()).cancelForPhone(phone(basePhone + step.phone));
              break;
            case "cancel-clinic":
              if (live.length) await serviceAt(ctx()).cancelByClinic(live[step.pick % live.length]!.id);
              break;
            case "cancel-by-hand":
              if (live.length)
                await env.DB.prepare("UPDATE appointments SET status = 'cancelled' WHERE id = ?")
                  .bind(live[step.pick % live.length]!.id)
                  .run();
              break;
            case "hours":
              // Some combinations do not divide the day (09:30-17:00 in 20 minutes): refused, nothing changes.
              await serviceAt(ctx())
                .setWeeklyHours(doctors[step.doctor % doctors.length]!, DAY_HOURS(step.start, step.slot))
                .catch((error: unknown) => expect(error).toBeInstanceOf(ScheduleError));
              break;
            case "day-off": {
              const date = new Date(now.getTime() + step.day * 86_400_000 + 5.5 * 3_600_000).toISOString().slice(0, 10);
              await serviceAt(ctx()).addDaysOff(doctors[step.doctor % doctors.length]!, [date], {
                cancelAffected: step.cancel,
              });
              break;
            }
            case "add-doctor":
              doctors.push(
                (
                  await serviceAt(ctx()).addDoctor({
                    clinicId: clinic.id,
                    name: NAMES[step.name]!,
                    specializationId: 1,
                  })
                ).id,
              );
              break;
            case "remove-doctor":
              await serviceAt(ctx()).setDoctorActive(doctors[step.doctor % doctors.length]!, false);
              break;
            case "reconcile":
              // Past every hold and the grace: what D1 leaves free must be on offer again.
              now = new Date(now.getTime() + 6 * 60_000);
              await reconcilePass(ctx());
              await expectFreeTimesOffered(ctx(), clinic.id);
              break;
          }
          for (const a of await expectOneTruth(clinic.id)) {
            if (!issued.has(a.id)) issued.set(a.id, a.token);
            expect(a.token, `token of appointment ${a.id}`).toBe(issued.get(a.id));
          }
        }
      }),
      { seed: 20261125, numRuns: 12, endOnFailure: true },
    );
  }, 120_000);
});
