/**
 * A clinic of its own for a test, driven through the booking service as the line and the
 * clinic would drive it, plus the invariants every slot must keep.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { BookingContext } from "../../src/booking/context.ts";
import { holdEarliest } from "../../src/booking/offer.ts";
import { SLICE_DOCTORS } from "../../src/booking/reconcile.ts";
import { BookingService } from "../../src/booking/service.ts";
import { readConfig } from "../../src/config.ts";
import { database } from "../../src/db/client.ts";
import { getClinic, listDoctors, loadCalendars } from "../../src/db/directory.ts";
import { wordsFor } from "../../src/words/index.ts";
import { horizonDates, localClock, scheduleFor, slotsOf } from "../../src/slots/calendar.ts";
import { doctorDayStub } from "../../src/slots/doctor-day.ts";

let nextClinicId = 1000;

export function contextAt(now: Date, bindings: Env = env, horizonDays = 3): BookingContext {
  return {
    db: database(bindings.DB),
    config: { ...readConfig(bindings), horizonDays },
    doctorDays: bindings.DOCTOR_DAY,
    now,
    origin: "https://line.test",
    jobs: bindings.JOBS,
  };
}

export const serviceAt = (ctx: BookingContext) => new BookingService(ctx, wordsFor("en"));

/** A new clinic in the demo district; its doctors are added through the booking service. */
export async function newClinic(
  ctx: BookingContext,
  doctorNames: string[],
): Promise<{ id: number; doctors: number[] }> {
  const id = nextClinicId++;
  await env.DB.prepare("INSERT INTO clinics (id, district_id, name, address) VALUES (?, 1, ?, 'Test Road')")
    .bind(id, `Test Clinic ${id}`)
    .run();
  const doctors: number[] = [];
  for (const name of doctorNames)
    doctors.push((await serviceAt(ctx).addDoctor({ clinicId: id, name, specializationId: 1 })).id);
  return { id, doctors };
}

/** A whole booking as a call makes it: hold the earliest time among the clinic's doctors, then confirm. */
export async function bookEarliest(ctx: BookingContext, clinicId: number, phone: string, callSid: string) {
  const clinic = (await getClinic(ctx.db, clinicId))!;
  const doctors = await listDoctors(ctx.db, clinicId);
  const offer = await holdEarliest(ctx, clinic, doctors, callSid, { holder: phone });
  if (!offer) return { offer: null, result: null };
  const held = { doctorId: offer.doctor.id, date: offer.date, startMinute: offer.startMinute };
  const result = await serviceAt(ctx).bookHeldSlot(Promise.resolve({ clinic, doctor: offer.doctor }), held, {
    callSid,
    phone,
  });
  return { offer, result };
}

interface LiveRow {
  id: number;
  doctor_id: number;
  clinic_id: number;
  local_date: string;
  starts_at: string;
  ends_at: string;
  token: string;
}

export async function liveAppointments(clinicId: number): Promise<LiveRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT id, doctor_id, clinic_id, local_date, starts_at, ends_at, token FROM appointments WHERE clinic_id = ? AND status <> 'cancelled' ORDER BY starts_at",
  )
    .bind(clinicId)
    .all<LiveRow>();
  return results;
}

/** No two live appointments share a doctor and a time (nor overlap), nor a clinic-date and a token. */
export async function expectOneTruth(clinicId: number): Promise<LiveRow[]> {
  const live = await liveAppointments(clinicId);
  for (const a of live) {
    for (const b of live) {
      if (a.id >= b.id) continue;
      if (a.doctor_id === b.doctor_id)
        expect(
          Date.parse(a.starts_at) < Date.parse(b.ends_at) && Date.parse(b.starts_at) < Date.parse(a.ends_at),
          `appointments ${a.id} and ${b.id} overlap for doctor ${a.doctor_id}`,
        ).toBe(false);
      if (a.local_date === b.local_date) expect(a.token, `tokens of ${a.id} and ${b.id}`).not.toBe(b.token);
    }
  }
  return live;
}

/**
 * Every slot of the clinic's active doctors in the horizon that D1 leaves free (no live
 * appointment overlaps it) is free in its doctor-day object too, once holds have lapsed.
 */
export async function expectFreeTimesOffered(ctx: BookingContext, clinicId: number): Promise<void> {
  const clinic = (await getClinic(ctx.db, clinicId))!;
  const doctors = await listDoctors(ctx.db, clinicId);
  const live = await liveAppointments(clinicId);
  const today = localClock(ctx.now, clinic.timezone).date;
  const calendars = await loadCalendars(
    ctx.db,
    doctors.map((d) => d.id),
    today,
  );
  const afterHolds = ctx.now.getTime() + ctx.config.holdMs + 1;
  for (const doctor of doctors) {
    for (const date of horizonDates(today, ctx.config.horizonDays)) {
      const calendar = calendars.get(doctor.id)!;
      const schedule = scheduleFor(calendar.hours, calendar.daysOff, date);
      if (!schedule) continue;
      const claims = await doctorDayStub(ctx.doctorDays, doctor.id, date).claims(afterHolds);
      for (const slot of slotsOf(schedule)) {
        const takenInD1 = live.some(
          (a) =>
            a.doctor_id === doctor.id &&
            a.local_date === date &&
            localClock(new Date(a.starts_at), clinic.timezone).minute < slot.endMinute &&
            localClock(new Date(a.ends_at), clinic.timezone).minute > slot.startMinute,
        );
        const takenInObject = claims.some((c) => c.startMinute < slot.endMinute && c.endMinute > slot.startMinute);
        if (!takenInD1)
          expect(takenInObject, `doctor ${doctor.id} ${date} ${slot.startMinute} is free in D1`).toBe(false);
      }
    }
  }
}

/**
 * One whole pass of the reconcile: as many runs as it takes its rotating slice to visit every
 * doctor once, with their summaries added up. Drift D1 shows no change for (a hand edit, a
 * Worker that died after the object's confirm) is repaired within one pass, not one run.
 */
export async function reconcilePass(ctx: BookingContext, graceMs?: number) {
  const count = await env.DB.prepare("SELECT count(*) AS n FROM doctors").first<{ n: number }>();
  const runs = Math.ceil((count?.n ?? 0) / SLICE_DOCTORS) + 1;
  const total = { doctorDays: 0, marked: 0, freed: 0 };
  for (let i = 0; i < runs; i++) {
    const summary = await serviceAt(ctx).reconcile(graceMs);
    total.doctorDays += summary.doctorDays;
    total.marked += summary.marked;
    total.freed += summary.freed;
  }
  return total;
}
