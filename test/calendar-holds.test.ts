/**
 * What the clinic does to the calendar reaches the doctor-day objects before the desk hears it
 * is done: a caller holding a time that leave, a holiday, new hours or a doctor switched off
 * removes cannot book it, hears that it is gone and the next free time; nothing ends up booked
 * where the calendar has no hours.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { holdEarliest } from "../src/booking/offer.ts";
import { reconcileSlots } from "../src/booking/reconcile.ts";
import { getClinic, listDoctors, loadCalendars } from "../src/db/directory.ts";
import { hookedEnv } from "../src/round-trips.ts";
import { doctorDayStub } from "../src/slots/doctor-day.ts";
import { contextAt, liveAppointments, newClinic, serviceAt } from "./support/clinic.ts";
import { addStaff, DeskClient } from "./support/desk.ts";
import { heard, newCall } from "./support/line.ts";

const WED_8AM = new Date("2027-03-03T02:30:00Z"); // Wednesday 08:00 IST
const TODAY = "2027-03-03";
let counter = 0;
const phone = () => `+91961100${String(++counter).padStart(4, "0")}`;
const callSid = () => `CAcal${++counter}`;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(WED_8AM);
});
afterEach(() => vi.useRealTimers());

/** A caller is offered the doctor's first time today and holds it, as the line does. */
async function callerHolds(ctx: ReturnType<typeof contextAt>, clinicId: number) {
  const clinic = (await getClinic(ctx.db, clinicId))!;
  const doctors = await listDoctors(ctx.db, clinicId);
  // The calendar as the call read it, before the clinic's change (a stale directory copy).
  const calendars = await loadCalendars(
    ctx.db,
    doctors.map((d) => d.id),
    TODAY,
  );
  const sid = callSid();
  const caller = phone();
  const offer = (await holdEarliest(ctx, clinic, doctors, sid, { holder: caller }))!;
  expect(offer).toMatchObject({ date: TODAY, startMinute: 9 * 60 });
  const confirm = () =>
    serviceAt(ctx).bookHeldSlot(
      Promise.resolve({ clinic, doctor: offer.doctor }),
      { doctorId: offer.doctor.id, date: offer.date, startMinute: offer.startMinute },
      { callSid: sid, phone: caller },
    );
  const holdAgain = () => holdEarliest(ctx, clinic, doctors, callSid(), { calendars });
  return { offer, confirm, holdAgain };
}

async function liveOn(clinicId: number, date: string) {
  return (await liveAppointments(clinicId)).filter((a) => a.local_date === date);
}

describe("a held time the clinic's change removes cannot be booked", () => {
  it("leave for today while a caller holds 09:00: pressing 1 loses the hold, nothing is booked on the leave day", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Leave Test"]);
    const { confirm, holdAgain } = await callerHolds(ctx, clinic.id);

    await serviceAt(ctx).addDaysOff(clinic.doctors[0]!, [TODAY], { cancelAffected: true });

    expect(await confirm()).toEqual({ kind: "hold-lost" });
    expect(await liveOn(clinic.id, TODAY)).toEqual([]);
    // A call that read the calendar before the leave is not given a time on the leave day either.
    expect((await holdAgain())?.date).toBe("2027-03-04");
    expect(await doctorDayStub(ctx.doctorDays, clinic.doctors[0]!, TODAY).claims(WED_8AM.getTime())).toEqual([]);
  });

  it("new hours (from 12:00) while a caller holds 09:00: the hold is released, the next offer is in the new hours", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Hours Test"]);
    const { confirm, holdAgain } = await callerHolds(ctx, clinic.id);

    const noon = [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 720, endMinute: 1020, slotMinutes: 15 }));
    await serviceAt(ctx).setWeeklyHours(clinic.doctors[0]!, noon);

    expect(await confirm()).toEqual({ kind: "hold-lost" });
    expect(await liveOn(clinic.id, TODAY)).toEqual([]);
    // The stale grid (09:00-17:00) asks for 09:00; the object answers from its own calendar.
    expect(await holdAgain()).toMatchObject({ date: TODAY, startMinute: 720 });
  });

  it("a clinic holiday from the desk while a caller holds 09:00: nothing is booked on the holiday", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Holiday One", "Dr. Holiday Two"]);
    const { confirm, holdAgain } = await callerHolds(ctx, clinic.id);
    const user = await addStaff("desk", { clinics: [clinic.id] });
    const desk = new DeskClient();
    await desk.signIn(user.username, user.password);
    await desk.get(`/desk/clinics/${clinic.id}/schedule`);

    const added = await desk.post(`/desk/clinics/${clinic.id}/holidays`, { from: TODAY, reason: "festival" });
    expect(added.status).toBe(303);

    expect(await confirm()).toEqual({ kind: "hold-lost" });
    expect(await liveOn(clinic.id, TODAY)).toEqual([]);
    expect((await holdAgain())?.date).toBe("2027-03-04");
  });

  it("the doctor switched off while a caller holds 09:00: nothing is booked with a doctor who takes no bookings", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Leaving Soon"]);
    const { confirm, holdAgain } = await callerHolds(ctx, clinic.id);

    await serviceAt(ctx).setDoctorActive(clinic.doctors[0]!, false);

    expect(await confirm()).toEqual({ kind: "hold-lost" });
    expect(await liveAppointments(clinic.id)).toEqual([]);
    // A call that still lists the doctor finds no time with them in the whole horizon.
    expect(await holdAgain()).toBeNull();
  });

  it("taking the day off back, or switching the doctor on again, opens the day to callers again", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Back Again"]);
    const doctorId = clinic.doctors[0]!;
    await serviceAt(ctx).addDaysOff(doctorId, [TODAY], { cancelAffected: true });
    await serviceAt(ctx).removeDayOff(doctorId, TODAY);
    await serviceAt(ctx).setDoctorActive(doctorId, false);
    await serviceAt(ctx).setDoctorActive(doctorId, true);
    const { offer } = await callerHolds(ctx, clinic.id);
    expect(offer.date).toBe(TODAY);
  });

  it("the reconcile delivers a calendar the change could not push, and never an older one over a newer", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Missed Push"]);
    const doctorId = clinic.doctors[0]!;
    const { confirm } = await callerHolds(ctx, clinic.id);
    // Leave written to D1 as the change writes it, but its push lost (as if the object was unreachable).
    await env.DB.batch([
      env.DB.prepare("UPDATE doctors SET calendar_version = calendar_version + 1 WHERE id = ?").bind(doctorId),
      env.DB.prepare("INSERT INTO doctor_days_off (doctor_id, local_date) VALUES (?, ?)").bind(doctorId, TODAY),
    ]);
    await reconcileSlots(ctx.db, ctx.doctorDays, ctx.config, ctx.now);
    expect(await confirm()).toEqual({ kind: "hold-lost" });

    // An older calendar (version 0: open) arriving late changes nothing.
    const day = doctorDayStub(ctx.doctorDays, doctorId, TODAY);
    const late = await day.setCalendar(
      { schedule: { startMinute: 540, endMinute: 1020, slotMinutes: 15 }, version: 0 },
      WED_8AM.getTime(),
    );
    expect(late.applied).toBe(false);
    expect(
      await day.hold({
        callSid: callSid(),
        grid: { startMinute: 540, endMinute: 1020, slotMinutes: 15 },
        notBefore: 0,
        nowMs: WED_8AM.getTime(),
        holdMs: 60_000,
      }),
    ).toBeNull();
  });
});

describe("leave committed between the object's confirm and the booking's D1 write", () => {
  it("the write is refused and the caller hears the time is gone: D1 orders it against the leave", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Narrow Race"]);
    const doctorId = clinic.doctors[0]!;
    const where = (await getClinic(ctx.db, clinic.id))!;
    const doctors = await listDoctors(ctx.db, clinic.id);
    const offer = (await holdEarliest(ctx, where, doctors, "CArace1", { holder: "+919611009100" }))!;
    let leaveWritten = false;
    // The leave's D1 batch lands just before the booking's (its push not yet arrived).
    const racing = hookedEnv(env, async (_hop, label, call) => {
      if (label === "D1 batch" && !leaveWritten) {
        leaveWritten = true;
        await env.DB.prepare("INSERT INTO doctor_days_off (doctor_id, local_date) VALUES (?, ?)")
          .bind(doctorId, TODAY)
          .run();
      }
      return call();
    });
    const result = await serviceAt(contextAt(WED_8AM, racing)).bookHeldSlot(
      Promise.resolve({ clinic: where, doctor: offer.doctor }),
      { doctorId, date: offer.date, startMinute: offer.startMinute },
      { callSid: "CArace1", phone: "+919611009100" },
    );
    expect(leaveWritten).toBe(true);
    expect(result).toEqual({ kind: "hold-lost" });
    expect(await liveAppointments(clinic.id)).toEqual([]);
    expect(await doctorDayStub(ctx.doctorDays, doctorId, TODAY).claims(WED_8AM.getTime())).toEqual([]);
  });
});

describe("a push that cannot reach the line", () => {
  it("tells the desk the change is saved but not on the line yet; the reconcile then delivers it", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Unreachable"]);
    const doctorId = clinic.doctors[0]!;
    const { confirm } = await callerHolds(ctx, clinic.id);
    const unreachable = hookedEnv(env, async (_hop, label, call) => {
      if (label === "DoctorDay.setCalendar") throw new Error("injected: object unreachable");
      return call();
    });
    const broken = contextAt(WED_8AM, unreachable);
    await expect(serviceAt(broken).setDoctorActive(doctorId, false)).rejects.toThrow(
      "Saved, but the phone line has not taken the change yet",
    );
    const versions = () =>
      env.DB.prepare("SELECT calendar_version AS version, calendar_pushed_version AS pushed FROM doctors WHERE id = ?")
        .bind(doctorId)
        .first<{ version: number; pushed: number }>();
    expect(await versions()).toEqual({ version: 1, pushed: 0 });
    await reconcileSlots(ctx.db, ctx.doctorDays, ctx.config, ctx.now);
    expect(await confirm()).toEqual({ kind: "hold-lost" });
    expect(await liveAppointments(clinic.id)).toEqual([]);
    // Delivered: later reconciles need not visit this doctor's closed days again.
    expect(await versions()).toEqual({ version: 1, pushed: 1 });
  });
});

describe("the caller hears it", () => {
  it("leave added while a caller listens to an offer: pressing 1 says the time is gone and offers the next one", async () => {
    const call = newCall("+919611009001");
    await call.dial();
    await call.press("1"); // Hampankatta Family Clinic
    const offer = await call.press("1"); // next available
    expect(heard(offer)).toContain("Dr. Kavya Shetty can see you today at 9:00 AM.");

    const ctx = contextAt(WED_8AM, env, 30);
    await serviceAt(ctx).addDaysOff(1, [TODAY], { cancelAffected: true });

    const next = await call.press("1");
    expect(heard(next)).toContain("Sorry, that time is no longer held for you.");
    expect(heard(next)).not.toContain("Dr. Kavya Shetty can see you today");
    expect(heard(next)).toContain("can see you");
    const kavyaToday = await env.DB.prepare(
      "SELECT count(*) AS n FROM appointments WHERE doctor_id = 1 AND local_date = ? AND status = 'booked'",
    )
      .bind(TODAY)
      .first<{ n: number }>();
    expect(kavyaToday?.n).toBe(0);
  });
});
