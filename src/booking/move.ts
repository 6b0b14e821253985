/**
 * Moving an appointment to another time: the new appointment and the cancellation of the old
 * one are one change. The order:
 * 1. the new time's doctor-day object confirms this call's hold (the time is now the
 *    patient's), while D1 is read for the patient's upcoming appointments (the one to move);
 * 2. one D1 batch cancels the old appointment (only if it is still booked and this phone's),
 *    inserts the new one only if that cancel happened in this very batch, links the two and
 *    writes the SMS (old -> new): all or nothing, so there is never a moment with both or
 *    with neither;
 * 3. the old time is freed in its object and the SMS queued, side by side.
 * If step 2 fails, the new time is unconfirmed and released (compensation) and the patient
 * keeps the old appointment; if freeing the old time fails, the reconcile frees it (D1 says
 * it is free). The caller is told which: moved, or not moved and still at the old time.
 */
import { log } from "../log.ts";
import { ifAppointment, insertOutbox } from "../sms/outbox-store.ts";
import { smsDestination } from "../sms/policy.ts";
import { dialable, movedSms, smsWording } from "../sms/texts.ts";
import { and, eq } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Clinic, Doctor } from "../db/directory.ts";
import { appointments } from "../db/schema.ts";
import { doctorDayStub, type ConfirmOutcome } from "../slots/doctor-day.ts";
import type { Catalogue } from "../words/index.ts";
import type { Booking } from "./book.ts";
import { appointmentById, smsAppointment, upcomingForPhone, type PatientAppointment } from "./cancel.ts";
import { violatedUniqueIndex } from "./conflicts.ts";
import type { BookingContext } from "./context.ts";
import { offerFor, offerSms, type BookedCounts, type HeldSlot, type Offer } from "./offer.ts";
import { ensureTokenPrefix } from "./prefix.ts";
import { formatToken } from "./token.ts";

export type MoveResult =
  | { kind: "moved"; from: PatientAppointment; booking: Booking }
  /** Nothing changed: the patient still has `from`. */
  | { kind: "not-moved"; from: PatientAppointment }
  /** The appointment to move is no longer this phone's upcoming booking (cancelled meanwhile). */
  | { kind: "gone" }
  | { kind: "hold-lost" }
  | { kind: "same-time"; offer: Offer }
  | { kind: "out-of-scope" };

export interface MoveRequest {
  scope: Promise<{ clinic: Clinic; doctor: Doctor } | null>;
  held: HeldSlot;
  call: { callSid: string; phone: string };
  appointmentId: number;
  /** The line's own number, for "call it to cancel or move" in the SMS. */
  line: string;
}

/** The outcome of an RPC that may throw, without losing which. */
async function settle<T>(promise: PromiseLike<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

export async function moveAppointment(
  ctx: BookingContext,
  words: Catalogue,
  request: MoveRequest,
  /** Queues the SMS and hands `from`'s freed time to the waitlist. */
  queue: (smsIds: number[], from: PatientAppointment) => Promise<void>,
): Promise<MoveResult> {
  const { held, call, appointmentId } = request;
  const { callSid, phone } = call;
  const nowMs = ctx.now.getTime();
  const day = doctorDayStub(ctx.doctorDays, held.doctorId, held.date);
  const [where, upcoming, confirmed] = await Promise.all([
    request.scope,
    settle(upcomingForPhone(ctx.db, phone, ctx.now)),
    settle<ConfirmOutcome>(day.confirm(callSid, held.startMinute, nowMs, phone)),
  ]);
  // Lets go of the new time: the move did not happen, so nobody should be kept from it.
  const undo = async () => {
    try {
      await day.unconfirm(callSid, held.startMinute, nowMs, ctx.config.holdMs);
      await day.release(callSid);
    } catch (error) {
      log.error("could not free the time of a failed move (the reconcile will)", { callSid, error });
    }
  };
  if (!upcoming.ok) {
    await undo();
    throw upcoming.error;
  }
  const from = upcoming.value.find((a) => a.id === appointmentId);
  if (!confirmed.ok) {
    // The object may or may not have confirmed before the failure: take it back either way.
    log.error("confirming the new time of a move failed", { callSid, error: confirmed.error });
    await undo();
    return from ? { kind: "not-moved", from } : { kind: "gone" };
  }
  if (confirmed.value.outcome === "not-held") return { kind: "hold-lost" };
  if (confirmed.value.outcome === "already-confirmed") {
    const repeat = await movedByCall(ctx, callSid, appointmentId);
    if (repeat && where) {
      const offer = offerFor(where.doctor, held.date, confirmed.value.slot, where.clinic.timezone);
      return { kind: "moved", from: repeat.from, booking: { ...repeat.booking, offer } };
    }
  }
  if (!from) {
    await undo();
    return { kind: "gone" };
  }
  if (!where) {
    await undo();
    return { kind: "out-of-scope" };
  }
  const { clinic, doctor } = where;
  const offer = offerFor(doctor, held.date, confirmed.value.slot, clinic.timezone);
  const prefix = await ensureTokenPrefix(ctx.db, doctor);
  const token = formatToken(prefix, offer.startMinute);
  const sms = movedSms(
    "patient",
    words.language,
    offerSms({ ...offer, doctor: doctor }, clinic, token, words.language),
    from.token,
    // The number the caller dialled (an ExoPhone, a Plivo or Twilio number) is the one they know.
    { ...smsWording(ctx.config), line: dialable(request.line) },
  );
  const d1 = ctx.db.$client;
  const nowIso = ctx.now.toISOString();
  let written: D1Result<{ id: number }>[];
  try {
    written = await d1.batch<{ id: number }>([
      d1
        .prepare(
          `UPDATE appointments SET status = 'cancelled', cancelled_at = ?2
            WHERE id = ?1 AND status = 'booked' AND patient_id = (SELECT id FROM patients WHERE phone = ?3)
           RETURNING id`,
        )
        .bind(from.id, nowIso, phone),
      // Only when the cancel above happened in this batch (its row carries this very instant). Booked
      // now: its reminders count from the move (the 2-hour one is skipped if it is under 3 hours away).
      d1
        .prepare(
          `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source, call_sid, created_at)
           SELECT ?1, ?2, o.patient_id, ?3, ?4, ?5, ?6, 'booked', 'ivr', ?7, ?9 FROM appointments o
            WHERE o.id = ?8 AND o.status = 'cancelled' AND o.cancelled_at = ?9 AND o.moved_to IS NULL
           RETURNING id`,
        )
        .bind(
          doctor.id,
          clinic.id,
          offer.date,
          offer.startsAt.toISOString(),
          offer.endsAt.toISOString(),
          token,
          callSid,
          from.id,
          nowIso,
        ),
      d1
        .prepare(
          `UPDATE appointments SET moved_to = (SELECT id FROM appointments WHERE call_sid = ?1 AND status = 'booked')
            WHERE id = ?2 AND status = 'cancelled' AND cancelled_at = ?3 AND moved_to IS NULL`,
        )
        .bind(callSid, from.id, nowIso),
      insertOutbox(
        d1,
        { to: phone, sms, purpose: "booking", callbackBase: ctx.origin, createdAt: nowIso },
        ifAppointment("call_sid = ? AND status = 'booked'", callSid),
      ),
    ]);
  } catch (error) {
    // The batch is all or nothing: the old appointment stands. Say why in the log and free the new time.
    switch (violatedUniqueIndex(error)) {
      case "appointments_live_start":
        log.warn("D1 had a booking the object lacked", {
          doctorId: doctor.id,
          date: offer.date,
          minute: offer.startMinute,
        });
        await day.markBooked({ startMinute: offer.startMinute, endMinute: offer.endMinute }, nowMs);
        return { kind: "hold-lost" };
      case "appointments_patient_time":
        await day.unconfirm(callSid, held.startMinute, nowMs, ctx.config.holdMs).catch(() => undefined);
        return { kind: "same-time", offer };
    }
    log.error("moving an appointment failed; it stands", { callSid, appointmentId: from.id, error });
    await undo();
    return { kind: "not-moved", from };
  }
  const [cancelled, inserted, , outbox] = written;
  const newId = inserted?.results[0]?.id;
  if (!cancelled?.results.length || newId === undefined) {
    // Cancelled (or moved) by someone else between the read and the batch.
    await undo();
    return { kind: "gone" };
  }
  const smsIds = outbox?.results.map((r) => r.id) ?? [];
  const [freed] = await Promise.allSettled([
    doctorDayStub(ctx.doctorDays, from.doctorId, from.date).free(from.startMinute),
    queue(smsIds, from),
  ]);
  if (freed.status === "rejected")
    log.error("appointment moved; its old time is freed by the next reconcile", {
      appointmentId: from.id,
      error: freed.reason,
    });
  return {
    kind: "moved",
    from,
    booking: {
      appointmentId: newId,
      token,
      offer,
      smsIds,
      phone,
      // A number the line may not text gets no SMS: delivery blocks it (sms/policy.ts).
      texted: smsDestination(phone, ctx.config).allowed,
    },
  };
}

/**
 * The booked counts (as offer.ts's bookedCounts) of every clinic where this phone has an
 * upcoming appointment: sent in one batch with the appointments, so a move's offer needs no
 * round trip of its own for them.
 */
export function bookedCountsForPhoneStatement(
  d1: D1Database,
  phone: string,
  now: Date,
  config: Pick<Config, "leadMinutes" | "horizonDays">,
): D1PreparedStatement {
  // Local dates within a day of UTC's: a superset of every clinic's horizon (as bookedCounts).
  const first = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const last = new Date(now.getTime() + (config.horizonDays + 1) * 86_400_000).toISOString().slice(0, 10);
  const threshold = new Date(now.getTime() + config.leadMinutes * 60_000).toISOString();
  return d1
    .prepare(
      `SELECT a.doctor_id AS doctorId, a.local_date AS date, count(*) AS n FROM appointments a
        WHERE a.status <> 'cancelled' AND a.local_date >= ?1 AND a.local_date <= ?2 AND a.starts_at >= ?3
          AND a.clinic_id IN (SELECT m.clinic_id FROM appointments m JOIN patients p ON p.id = m.patient_id
                               WHERE p.phone = ?4 AND m.status = 'booked' AND m.starts_at > ?5)
        GROUP BY a.doctor_id, a.local_date`,
    )
    .bind(first, last, threshold, phone, now.toISOString());
}

export function countsOf(rows: readonly Record<string, unknown>[]): BookedCounts {
  return new Map(rows.map((r) => [`${Number(r.doctorId)}:${String(r.date)}`, Number(r.n)]));
}

/** A move this call already made (Twilio retried the confirm): the old appointment and the new. */
async function movedByCall(
  ctx: BookingContext,
  callSid: string,
  appointmentId: number,
): Promise<{ from: PatientAppointment; booking: Omit<Booking, "offer"> } | null> {
  const row = await ctx.db
    .select({ id: appointments.id, token: appointments.token })
    .from(appointments)
    .where(and(eq(appointments.callSid, callSid), eq(appointments.status, "booked")))
    .get();
  if (!row) return null;
  const from = await appointmentById(ctx.db, appointmentId);
  if (!from) return null;
  return {
    from,
    booking: { appointmentId: row.id, token: row.token, smsIds: [], phone: "", texted: true },
  };
}
