/**
 * Turning a call's held slot into an appointment. The order is fixed:
 * 1. the doctor-day object confirms the hold (the time is now the caller's), while the
 *    directory is read for the clinic and doctor,
 * 2. one D1 batch writes patient, appointment and its SMS, all or nothing; the per-phone limit
 *    is checked inside it, so concurrent calls from one phone cannot all slip under it,
 * 3. the SMS are queued.
 * If step 2 fails, the compensating step turns the booking back into a hold, so a retry can
 * still book it; if even that fails, the reconcile frees the time once its grace has passed.
 * A repeated confirm for the same call (Twilio retries on timeouts) answers with the same booking.
 */
import { dayClosed } from "../stores/directory.ts";
import type { Clinic, Doctor } from "../db/directory.ts";
import type { Catalogue } from "../words/index.ts";
import { lastFour } from "../patients/phone.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import { forPhoneBooking, insertAppointment, patientOf, slotTimes, bookedByCall } from "../stores/appointments.ts";
import { idsOf, runBatch, write } from "../stores/batch.ts";
import { ifAppointment, insertOutbox } from "../stores/outbox.ts";
import { ensurePatientStatement } from "../stores/patients.ts";
import { smsDestination } from "../sms/policy.ts";
import { appointmentSms, smsWording } from "../sms/texts.ts";
import { violatedUniqueIndex } from "./conflicts.ts";
import type { BookingContext } from "./context.ts";
import { offerFor, offerSms, type HeldSlot, type Offer } from "./offer.ts";
import { ensureTokenPrefix } from "./prefix.ts";
import { formatToken } from "./token.ts";
import { log } from "../log.ts";

export interface Booking {
  appointmentId: number;
  token: string;
  offer: Offer;
  /** Outbox rows this booking created (empty when it was a repeat). */
  smsIds: number[];
  phone: string;
  /** Whether the line may text this number at all (SMS destination policy); if not, no SMS is written. */
  texted: boolean;
}

export type ConfirmResult =
  | { kind: "booked"; booking: Booking }
  /** The time is no longer this call's; `skipPast` when it must not be offered to this call again. */
  | { kind: "hold-lost"; skipPast?: { date: string; minute: number } }
  | { kind: "limit-reached"; limit: number }
  | { kind: "same-time"; offer: Offer }
  /** The hold names a doctor outside what the call chose (a stale or tampered URL). */
  | { kind: "out-of-scope" };

async function findByCall(
  ctx: BookingContext,
  callSid: string,
  offer: Offer,
  texted: boolean,
): Promise<Booking | null> {
  const row = await bookedByCall(ctx.db, callSid);
  return row ? { appointmentId: row.id, token: row.token, offer, smsIds: [], phone: "", texted } : null;
}

/**
 * Books the slot this call holds. `scope` resolves to the clinic and the held doctor (or null
 * when the doctor is not one the call may book): it is read while the object confirms, so the
 * directory never costs a round trip of its own here.
 */
export async function bookHeldSlot(
  ctx: BookingContext,
  words: Catalogue,
  scope: Promise<{ clinic: Clinic; doctor: Doctor } | null>,
  held: HeldSlot,
  call: { callSid: string; phone: string },
): Promise<ConfirmResult> {
  const { callSid, phone } = call;
  const nowMs = ctx.now.getTime();
  const day = doctorDayStub(ctx.doctorDays, held.doctorId, held.date);
  const [where, confirmed] = await Promise.all([scope, day.confirm(callSid, held.startMinute, nowMs, phone)]);
  if (confirmed.outcome === "not-held") return { kind: "hold-lost" };
  const undo = () =>
    day
      .unconfirm(callSid, held.startMinute, nowMs, ctx.config.holdMs)
      .catch((error) => log.error("could not turn a failed booking back into a hold", { callSid, error }));
  if (!where) {
    await undo();
    await day.release(callSid);
    return { kind: "out-of-scope" };
  }
  const { clinic } = where;
  // The line books any caller it can identify, but texts only the numbers its policy allows
  // (no SMS pumping): the caller is told at once when no SMS will come.
  const texted = smsDestination(phone, ctx.config).allowed;
  const offer = offerFor(where.doctor, held.date, confirmed.slot, clinic.timezone);
  if (confirmed.outcome === "already-confirmed") {
    const repeat = await findByCall(ctx, callSid, offer, texted);
    if (repeat) return { kind: "booked", booking: repeat };
    // Confirmed earlier but never written (that attempt failed): write it now.
  }
  const prefix = await ensureTokenPrefix(ctx.db, offer.doctor);

  const token = formatToken(prefix, offer.startMinute);
  const bookingSms = appointmentSms(
    "booked",
    words.language,
    offerSms(offer, clinic, token, words.language),
    smsWording(ctx.config),
  );
  const d1 = ctx.db.$client;

  try {
    const written = await runBatch(d1, {
      patient: write(ensurePatientStatement(d1, phone, `Phone patient ${lastFour(phone)}`, ctx.now)),
      appointment: idsOf(
        insertAppointment(
          d1,
          {
            doctorId: offer.doctor.id,
            clinicId: clinic.id,
            patientId: patientOf,
            ...slotTimes(offer),
            token,
            source: "ivr",
            callSid,
            createdAt: ctx.now.toISOString(),
          },
          forPhoneBooking(phone, {
            doctorId: offer.doctor.id,
            date: offer.date,
            now: ctx.now.toISOString(),
            limit: ctx.config.maxActivePerPhone,
          }),
        ),
      ),
      sms: idsOf(
        insertOutbox(
          d1,
          {
            to: phone,
            sms: bookingSms,
            purpose: "booking",
            callbackBase: ctx.origin,
            createdAt: ctx.now.toISOString(),
          },
          ifAppointment("call_sid = ? AND status = 'booked' AND ? = 1", callSid, texted ? 1 : 0),
        ),
      ),
    });
    const appointmentId = written.appointment[0];
    if (appointmentId === undefined) {
      // The day closed meanwhile, or another call from this phone booked first and reached the
      // limit: either way let the time go.
      await undo();
      await day.release(callSid);
      if (await dayClosed(ctx.db, offer.doctor.id, offer.date)) return { kind: "hold-lost" };
      return { kind: "limit-reached", limit: ctx.config.maxActivePerPhone };
    }
    return {
      kind: "booked",
      booking: {
        appointmentId,
        token,
        offer,
        smsIds: written.sms,
        phone,
        texted,
      },
    };
  } catch (error) {
    const index = violatedUniqueIndex(error);
    switch (index) {
      case "appointments_call": {
        // A concurrent retry of this same confirm won the race: answer with its booking.
        const won = await findByCall(ctx, callSid, offer, texted);
        if (won) return { kind: "booked", booking: won };
        break;
      }
      case "appointments_live_start":
        // D1 already has a live appointment at this doctor and time that the object did not
        // know: teach the object (the time is taken, by nobody in this call) and move on.
        log.warn("D1 had a booking the doctor-day object lacked", {
          doctorId: offer.doctor.id,
          date: offer.date,
          startMinute: offer.startMinute,
        });
        await day.markBooked({ startMinute: offer.startMinute, endMinute: offer.endMinute }, nowMs);
        return { kind: "hold-lost" };
      case "appointments_patient_time":
        await undo();
        return { kind: "same-time", offer };
      case "appointments_live_token":
        // Only hand-edited data can get here (prefixes are unique per clinic): never offer
        // this time to this call again, and say so in the log.
        log.error("token already live on another appointment", { clinicId: clinic.id, date: offer.date, token });
        await undo();
        await day.release(callSid);
        return { kind: "hold-lost", skipPast: { date: offer.date, minute: offer.startMinute } };
    }
    await undo();
    throw error;
  }
}
