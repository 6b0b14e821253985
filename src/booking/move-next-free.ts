/**
 * Moving a booked appointment to the doctor's next free time after it (the desk's "move"):
 * the same order as a booking. The doctor-day object holds and confirms the new time first;
 * then one D1 batch cancels the old appointment (only if it is still booked and the patient
 * has not arrived), writes the new one, the patient's SMS and the audit row, all or nothing;
 * then the old time is freed in its object (or by the next reconcile). If D1 refuses, the new
 * time is let go again and the old appointment stands.
 */
import type { AuditEntry } from "../auth/audit.ts";
import { getClinic, getDoctor } from "../db/directory.ts";
import type { Catalogue } from "../words/index.ts";
import { log } from "../log.ts";
import { smsDestination } from "../sms/policy.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import { appointmentById } from "./cancel.ts";
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
  const visit = await ctx.db.$client
    .prepare("SELECT visit FROM appointments WHERE id = ?")
    .bind(appointmentId)
    .first<{ visit: string | null }>();
  if (target.status !== "booked" || visit?.visit) return { kind: "not-movable" };
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
  const body = (by === "clinic" ? words.smsMovedByClinic : words.smsMovedForYou)(
    offerSms({ ...offer, doctor: doctor }, clinic, token, words.language),
    target.token,
  );
  const texted = smsDestination(target.patientPhone, ctx.config).allowed;
  const d1 = ctx.db.$client;
  const at = ctx.now.toISOString();
  try {
    const [, inserted, sms] = await d1.batch<{ id: number }>([
      d1
        .prepare(
          "UPDATE appointments SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1 AND status = 'booked' AND visit IS NULL",
        )
        .bind(appointmentId, at),
      // Only if the old one was still movable: changes() counts what the update above changed.
      d1
        .prepare(
          `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source, call_sid, created_at)
           SELECT doctor_id, clinic_id, patient_id, ?2, ?3, ?4, ?5, 'booked', source, ?6, ?7 FROM appointments WHERE id = ?1 AND changes() = 1
           RETURNING id`,
        )
        .bind(appointmentId, offer.date, offer.startsAt.toISOString(), offer.endsAt.toISOString(), token, holdId, at),
      d1
        .prepare(
          `INSERT INTO sms_outbox (to_number, body, purpose, appointment_id, callback_base, created_at)
           SELECT ?1, ?2, 'booking', id, ?3, ?6 FROM appointments WHERE call_sid = ?4 AND ?5 = 1 RETURNING id`,
        )
        .bind(target.patientPhone, body, ctx.origin, holdId, texted ? 1 : 0, at),
      // The old appointment points at its replacement, so a desk acting on the old one is told where it went.
      d1
        .prepare(
          "UPDATE appointments SET moved_to = (SELECT id FROM appointments WHERE call_sid = ?2) WHERE id = ?1 AND EXISTS (SELECT 1 FROM appointments WHERE call_sid = ?2)",
        )
        .bind(appointmentId, holdId),
      d1
        .prepare(
          `INSERT INTO audit_log (at, actor, clinic_id, action, detail)
           SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM appointments WHERE call_sid = ?6)`,
        )
        .bind(
          at,
          entry.actor,
          entry.clinicId,
          entry.action,
          JSON.stringify({ ...entry.detail, appointmentId, from: target.token, to: token, date: offer.date }),
          holdId,
        ),
    ]);
    const newId = inserted!.results[0]?.id;
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
      smsIds: sms!.results.map((r) => r.id),
    };
  } catch (error) {
    await letGo();
    if (violatedUniqueIndex(error) === "appointments_patient_time") return { kind: "conflict" };
    throw error;
  }
}
