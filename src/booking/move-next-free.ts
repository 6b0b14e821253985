/**
 * Moving a booked appointment to the doctor's next free time after it (the desk's "move"):
 * the same order as a booking. The doctor-day object holds and confirms the new time first;
 * then one D1 batch cancels the old appointment (only if it is still booked and the patient
 * has not arrived), writes the new one, the patient's SMS and the audit row, all or nothing;
 * then the old time is freed in its object (or by the next reconcile). If D1 refuses, the new
 * time is let go again and the old appointment stands.
 */
import { auditStatement, type AuditEntry } from "../auth/audit.ts";
import { getClinic, getDoctor } from "../db/directory.ts";
import type { Catalogue } from "../words/index.ts";
import { log } from "../log.ts";
import {
  cancelBookedStatement,
  insertAppointment,
  linkMovedStatement,
  replacingIfChanged,
  visitOf,
  slotTimes,
} from "../stores/appointments.ts";
import { idsOf, runBatch, write } from "../stores/batch.ts";
import { ifAppointment, insertOutbox } from "../stores/outbox.ts";
import { smsDestination } from "../sms/policy.ts";
import { movedSms, smsWording } from "../sms/texts.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import { appointmentById } from "../stores/patients.ts";
import { violatedUniqueIndex } from "./conflicts.ts";
import type { BookingContext } from "./context.ts";
import { holdEarliest, offerSms, type Offer } from "./offer.ts";
import { ensureTokenPrefix } from "./prefix.ts";
import { formatToken } from "./token.ts";

export type NextFreeMoveResult =
  | { kind: "moved"; fromToken: string; appointmentId: number; token: string; offer: Offer; smsIds: number[] }
  | { kind: "not-found" }
  /** Not booked any more, or the patient has arrived. */
  | { kind: "not-movable" }
  | { kind: "no-later-time" }
  /** The patient already has an appointment at the next free time, or the old one changed meanwhile. */
  | { kind: "conflict" };

export async function moveToNextFree(
  ctx: BookingContext,
  words: Catalogue,
  appointmentId: number,
  entry: AuditEntry,
  /** Who asked: the clinic (the patient is told the clinic moved it) or the patient themselves. */
  by: "clinic" | "patient" = "clinic",
): Promise<NextFreeMoveResult> {
  const target = await appointmentById(ctx.db, appointmentId);
  if (!target) return { kind: "not-found" };
  const visit = await visitOf(ctx.db, appointmentId);
  if (target.status !== "booked" || visit) return { kind: "not-movable" };
  const [clinic, doctor] = await Promise.all([getClinic(ctx.db, target.clinicId), getDoctor(ctx.db, target.doctorId)]);
  if (!clinic || !doctor) return { kind: "not-found" };

  const holdId = `move:${crypto.randomUUID()}`;
  const offer = await holdEarliest(ctx, clinic, [doctor], holdId, {
    after: { date: target.date, minute: target.startMinute },
  });
  if (!offer) return { kind: "no-later-time" };
  const day = doctorDayStub(ctx.doctorDays, doctor.id, offer.date);
  const nowMs = ctx.now.getTime();
  if ((await day.confirm(holdId, offer.startMinute, nowMs)).outcome === "not-held") return { kind: "conflict" };
  const letGo = () =>
    day
      .unconfirm(holdId, offer.startMinute, nowMs, ctx.config.holdMs)
      .then(() => day.release(holdId))
      .catch((error: unknown) => log.error("move: could not let the new time go", { appointmentId, error }));

  const token = formatToken(await ensureTokenPrefix(ctx.db, doctor), offer.startMinute);
  const text = movedSms(
    by === "clinic" ? "clinic" : "patient",
    words.language,
    offerSms({ ...offer, doctor: doctor }, clinic, token, words.language),
    target.token,
    smsWording(ctx.config),
  );
  const texted = smsDestination(target.patientPhone, ctx.config).allowed;
  const d1 = ctx.db.$client;
  const at = ctx.now.toISOString();
  try {
    const written = await runBatch(d1, {
      cancelled: idsOf(cancelBookedStatement(d1, appointmentId, at, { notArrived: true })),
      // Only if the old one was still movable: changes() counts what the update above changed.
      inserted: idsOf(
        insertAppointment(
          d1,
          {
            doctorId: { column: "doctor_id" },
            clinicId: { column: "clinic_id" },
            patientId: { column: "patient_id" },
            ...slotTimes(offer),
            token,
            source: { column: "source" },
            callSid: holdId,
            createdAt: at,
          },
          replacingIfChanged(appointmentId),
        ),
      ),
      sms: idsOf(
        insertOutbox(
          d1,
          { to: target.patientPhone, sms: text, purpose: "booking", callbackBase: ctx.origin, createdAt: at },
          ifAppointment("call_sid = ? AND ? = 1", holdId, texted ? 1 : 0),
        ),
      ),
      // The old appointment points at its replacement, so a desk acting on the old one is told where it went.
      link: write(linkMovedStatement(d1, appointmentId, holdId)),
      audit: write(
        auditStatement(
          d1,
          { ...entry, detail: { ...entry.detail, appointmentId, from: target.token, to: token, date: offer.date } },
          ctx.now,
          { bookedBy: holdId },
        ),
      ),
    });
    const newId = written.inserted[0];
    if (newId === undefined) {
      await letGo();
      return { kind: "conflict" };
    }
    try {
      await doctorDayStub(ctx.doctorDays, target.doctorId, target.date).free(target.startMinute);
    } catch (error) {
      log.error("appointment moved; its old time is freed by the next reconcile", { appointmentId, error });
    }
    return {
      kind: "moved",
      fromToken: target.token,
      appointmentId: newId,
      token,
      offer,
      smsIds: written.sms,
    };
  } catch (error) {
    await letGo();
    if (violatedUniqueIndex(error) === "appointments_patient_time") return { kind: "conflict" };
    throw error;
  }
}
