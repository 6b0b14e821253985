/**
 * A walk-in: the desk issues the next free time today with a doctor to a patient standing
 * at the counter. It takes the same path as a phone booking, so it can never collide with
 * one: the doctor-day object holds and confirms the earliest free slot (atomically, as for
 * a caller), then one D1 batch writes patient, appointment (already arrived), the SMS and the
 * audit row. If D1 refuses, the object lets the time go again.
 */
import { and, eq } from "drizzle-orm";
import type { AuditEntry } from "../auth/audit.ts";
import { auditStatement } from "../auth/audit.ts";
import { getClinic, getDoctor, loadCalendars } from "../db/directory.ts";
import { doctors } from "../db/schema.ts";
import type { Catalogue } from "../words/index.ts";
import { log } from "../log.ts";
import { byPatientPhone, insertAppointment, patientOf, slotTimes } from "../stores/appointments.ts";
import { idsOf, runBatch, write } from "../stores/batch.ts";
import { ifAppointment, insertOutbox } from "../stores/outbox.ts";
import { ensurePatientStatement } from "../stores/patients.ts";
import { smsDestination } from "../sms/policy.ts";
import { appointmentSms, smsWording } from "../sms/texts.ts";
import { lastFour } from "../patients/phone.ts";
import { localClock, scheduleFor } from "../slots/calendar.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import { violatedUniqueIndex } from "./conflicts.ts";
import type { BookingContext } from "./context.ts";
import { offerFor, offerSms, type Offer } from "./offer.ts";
import { ensureTokenPrefix } from "./prefix.ts";
import { formatToken } from "./token.ts";

export type WalkInResult =
  | { kind: "issued"; appointmentId: number; token: string; offer: Offer; smsIds: number[] }
  | { kind: "unknown-doctor" }
  | { kind: "not-working-today" }
  | { kind: "day-full" }
  /**
   * No time could be given to this phone (it is busy at each free time tried). Said without
   * where or what: the other appointment may be at another clinic, which this desk must not learn.
   */
  | { kind: "same-time" };

/** How many times a slot D1 already had (unknown to the object) is skipped before giving up. */
const ATTEMPTS = 3;

export async function issueWalkIn(
  ctx: BookingContext,
  words: Catalogue,
  request: { clinicId: number; doctorId: number; phone: string },
  entry: AuditEntry,
): Promise<WalkInResult> {
  const doctor = await getDoctor(ctx.db, request.doctorId);
  const clinic = await getClinic(ctx.db, request.clinicId);
  const active = await ctx.db
    .select({ active: doctors.active })
    .from(doctors)
    .where(and(eq(doctors.id, request.doctorId), eq(doctors.clinicId, request.clinicId)))
    .get();
  if (!doctor || !clinic || !active?.active) return { kind: "unknown-doctor" };

  const local = localClock(ctx.now, clinic.timezone);
  const calendar = (await loadCalendars(ctx.db, [doctor.id], local.date)).get(doctor.id)!;
  const grid = scheduleFor(calendar.hours, calendar.daysOff, local.date);
  if (!grid) return { kind: "not-working-today" };
  const prefix = await ensureTokenPrefix(ctx.db, doctor);
  const day = doctorDayStub(ctx.doctorDays, doctor.id, local.date);
  const nowMs = ctx.now.getTime();
  const d1 = ctx.db.$client;
  const texted = smsDestination(request.phone, ctx.config).allowed;

  // A slot that starts now or later: the patient is here, the current minute still counts.
  let notBefore = local.minute;
  let busy = false;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const holdId = `walkin:${crypto.randomUUID()}`;
    const claim = await day.hold({ callSid: holdId, grid, notBefore, nowMs, holdMs: ctx.config.holdMs });
    if (!claim) return { kind: busy ? "same-time" : "day-full" };
    const confirmed = await day.confirm(holdId, claim.startMinute, nowMs);
    if (confirmed.outcome === "not-held") continue;
    const offer = offerFor(doctor, local.date, claim, clinic.timezone);
    const token = formatToken(prefix, offer.startMinute);
    const text = appointmentSms(
      "booked",
      words.language,
      offerSms({ ...offer, doctor: doctor }, clinic, token, words.language),
      smsWording(ctx.config),
    );
    const letGo = async () => {
      await day.unconfirm(holdId, offer.startMinute, nowMs, ctx.config.holdMs);
      await day.release(holdId);
    };
    try {
      const written = await runBatch(d1, {
        patient: write(
          ensurePatientStatement(d1, request.phone, `Walk-in patient ${lastFour(request.phone)}`, ctx.now),
        ),
        appointment: idsOf(
          insertAppointment(
            d1,
            {
              doctorId: doctor.id,
              clinicId: clinic.id,
              patientId: patientOf,
              ...slotTimes(offer),
              token,
              source: "walk_in",
              callSid: holdId,
              createdAt: ctx.now.toISOString(),
              arrivedAt: ctx.now.toISOString(),
            },
            byPatientPhone(request.phone),
          ),
        ),
        // Texted only if the SMS destination policy allows this number (as for a phone booking).
        sms: idsOf(
          insertOutbox(
            d1,
            {
              to: request.phone,
              sms: text,
              purpose: "booking",
              callbackBase: ctx.origin,
              createdAt: ctx.now.toISOString(),
            },
            ifAppointment("call_sid = ? AND ? = 1", holdId, texted ? 1 : 0),
          ),
        ),
        audit: write(
          auditStatement(d1, { ...entry, detail: { ...entry.detail, token, doctorId: doctor.id } }, ctx.now),
        ),
      });
      return {
        kind: "issued",
        appointmentId: written.appointment[0]!,
        token,
        offer,
        smsIds: written.sms,
      };
    } catch (error) {
      const index = violatedUniqueIndex(error);
      if (index === "appointments_live_start") {
        // D1 knew a booking the object did not: teach the object, then take the next time.
        await day.markBooked({ startMinute: offer.startMinute, endMinute: offer.endMinute }, nowMs);
        continue;
      }
      await letGo().catch((e: unknown) => log.error("walk-in: could not let the time go again", { error: e }));
      if (index === "appointments_patient_time") {
        // The phone has an appointment at that time (perhaps at another clinic): the next time.
        busy = true;
        notBefore = offer.startMinute + 1;
        continue;
      }
      throw error;
    }
  }
  return { kind: busy ? "same-time" : "day-full" };
}
