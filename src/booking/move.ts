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
import {
  cancelBookedStatement,
  insertAppointment,
  linkMovedStatement,
  replacing,
  slotTimes,
  bookedByCall,
} from "../stores/appointments.ts";
import { idsOf, runBatch, write } from "../stores/batch.ts";
import { ifAppointment, insertOutbox } from "../stores/outbox.ts";
import { smsDestination } from "../sms/policy.ts";
import { dialable, movedSms, smsWording } from "../sms/texts.ts";
import type { Clinic, Doctor } from "../db/directory.ts";
import { doctorDayStub, type ConfirmOutcome } from "../slots/doctor-day.ts";
import type { Catalogue } from "../words/index.ts";
import type { Booking } from "./book.ts";
import { appointmentById, upcomingForPhone, type PatientAppointment } from "../stores/patients.ts";
import { violatedUniqueIndex } from "./conflicts.ts";
import type { BookingContext } from "./context.ts";
import { offerFor, offerSms, type HeldSlot, type Offer } from "./offer.ts";
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
  let written: { cancelled: number[]; inserted: number[]; sms: number[] };
  try {
    written = await runBatch(d1, {
      cancelled: idsOf(cancelBookedStatement(d1, from.id, nowIso, { patientPhone: phone })),
      // Only when the cancel above happened in this batch (its row carries this very instant). Booked
      // now: its reminders count from the move (the 2-hour one is skipped if it is under 3 hours away).
      inserted: idsOf(
        insertAppointment(
          d1,
          {
            doctorId: doctor.id,
            clinicId: clinic.id,
            patientId: { column: "o.patient_id" },
            ...slotTimes(offer),
            token,
            source: "ivr",
            callSid,
            createdAt: nowIso,
          },
          replacing(from.id, nowIso),
        ),
      ),
      link: write(linkMovedStatement(d1, from.id, callSid, nowIso)),
      sms: idsOf(
        insertOutbox(
          d1,
          { to: phone, sms, purpose: "booking", callbackBase: ctx.origin, createdAt: nowIso },
          ifAppointment("call_sid = ? AND status = 'booked'", callSid),
        ),
      ),
    });
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
  const newId = written.inserted[0];
  if (!written.cancelled.length || newId === undefined) {
    // Cancelled (or moved) by someone else between the read and the batch.
    await undo();
    return { kind: "gone" };
  }
  const smsIds = written.sms;
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

/** A move this call already made (Twilio retried the confirm): the old appointment and the new. */
async function movedByCall(
  ctx: BookingContext,
  callSid: string,
  appointmentId: number,
): Promise<{ from: PatientAppointment; booking: Omit<Booking, "offer"> } | null> {
  const row = await bookedByCall(ctx.db, callSid);
  if (!row) return null;
  const from = await appointmentById(ctx.db, appointmentId);
  if (!from) return null;
  return {
    from,
    booking: { appointmentId: row.id, token: row.token, smsIds: [], phone: "", texted: true },
  };
}
