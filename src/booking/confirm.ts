/**
 * Turning a held slot into an appointment. Order matters:
 * 1. checks that need no claim (caller ID, per-phone limits),
 * 2. the doctor-day object confirms the hold (the slot is now the caller's),
 * 3. one D1 batch writes patient, appointment and its SMS, all or nothing.
 * The patient's account (a slow PBKDF2 hash) is made after the caller has heard the token:
 * see patients/account.ts.
 * If step 3 fails the slot goes back to being held, so a retry can still book it.
 * A repeated confirm for the same call (Twilio retries on timeouts) returns the same booking.
 */
import { and, eq, gt } from "drizzle-orm";
import type { Clinic } from "../db/directory.ts";
import { listDoctors } from "../db/directory.ts";
import { appointments, patientAccounts, patients } from "../db/schema.ts";
import { nameIn } from "../db/display-names.ts";
import { lastFour, normalizePhone } from "../patients/phone.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import type { BookingContext, Offer } from "./offer.ts";
import type { Catalogue } from "../words/index.ts";
import { smsSlot } from "../words/slot.ts";
import { formatToken, tokenPrefixes } from "./token.ts";

export interface Booking {
  appointmentId: number;
  token: string;
  offer: Offer;
  /** Outbox rows this booking created (empty when it was a repeat). */
  smsIds: number[];
  phone: string;
  /** A first booking from this phone: its account is created after the caller has the answer. */
  needsAccount: boolean;
}

export type ConfirmResult =
  | { kind: "booked"; booking: Booking }
  | { kind: "hold-lost" }
  | { kind: "no-caller-id" }
  | { kind: "limit-reached"; limit: number }
  | { kind: "same-time" };

function isUniqueViolation(error: unknown, index: string): boolean {
  const text = String(error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : error);
  return text.includes("UNIQUE constraint failed") && text.includes(index);
}

async function findByCall(ctx: BookingContext, callSid: string, offer: Offer): Promise<Booking | null> {
  const row = await ctx.db
    .select({ id: appointments.id, token: appointments.token })
    .from(appointments)
    .where(and(eq(appointments.callSid, callSid), eq(appointments.status, "booked")))
    .get();
  return row ? { appointmentId: row.id, token: row.token, offer, smsIds: [], phone: "", needsAccount: false } : null;
}

export async function confirmBooking(
  ctx: BookingContext,
  words: Catalogue,
  clinic: Clinic,
  offer: Offer,
  call: { callSid: string; from: string | undefined },
): Promise<ConfirmResult> {
  const phone = normalizePhone(call.from);
  if (!phone) return { kind: "no-caller-id" };

  const repeat = await findByCall(ctx, call.callSid, offer);
  if (repeat) return { kind: "booked", booking: repeat };

  const nowIso = ctx.now.toISOString();
  const startsAt = offer.startsAt.toISOString();
  const [existing, upcoming, clinicDoctors] = await Promise.all([
    ctx.db
      .select({ patientId: patients.id, accountId: patientAccounts.id })
      .from(patients)
      .leftJoin(patientAccounts, eq(patientAccounts.patientId, patients.id))
      .where(eq(patients.phone, phone))
      .get(),
    ctx.db
      .select({ startsAt: appointments.startsAt })
      .from(appointments)
      .innerJoin(patients, eq(patients.id, appointments.patientId))
      .where(and(eq(patients.phone, phone), eq(appointments.status, "booked"), gt(appointments.startsAt, nowIso))),
    listDoctors(ctx.db, clinic.id),
  ]);
  if (upcoming.length >= ctx.config.maxActivePerPhone)
    return { kind: "limit-reached", limit: ctx.config.maxActivePerPhone };
  if (upcoming.some((a) => a.startsAt === startsAt)) return { kind: "same-time" };

  const day = doctorDayStub(ctx.doctorDays, offer.doctor.id, offer.date);
  const confirmed = await day.confirm(call.callSid, offer.slot, ctx.now.getTime());
  if (confirmed.outcome === "not-held") return { kind: "hold-lost" };

  // Prefixes are worked out over the clinic's doctors today, so two who share an initial differ.
  const prefix =
    tokenPrefixes(clinicDoctors).get(offer.doctor.id) ?? tokenPrefixes([offer.doctor]).get(offer.doctor.id)!;
  const token = formatToken(prefix, offer.slot);
  const bookingSms = words.smsBooked(
    smsSlot({
      doctorName: offer.doctor.name,
      date: offer.date,
      startMinute: offer.startMinute,
      token,
      clinic: nameIn(clinic, words.language),
    }),
  );
  const d1 = ctx.db.$client;

  try {
    // One batch, one transaction: the appointment never exists without its SMS, nor the reverse.
    // The per-phone limit is checked inside it too, so concurrent calls from one phone cannot
    // all slip under it (the check above only spares the common case a wasted claim).
    const [, appointment, sms] = await d1.batch<{ id: number }>([
      d1
        .prepare("INSERT INTO patients (phone, name) VALUES (?, ?) ON CONFLICT (phone) DO NOTHING")
        .bind(phone, `Phone patient ${lastFour(phone)}`),
      d1
        .prepare(
          `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, slot_number, starts_at, token, status, source, call_sid)
           SELECT ?1, ?2, p.id, ?3, ?4, ?5, ?6, 'booked', 'ivr', ?7 FROM patients p
            WHERE p.phone = ?8
              AND (SELECT count(*) FROM appointments a
                    WHERE a.patient_id = p.id AND a.status = 'booked' AND a.starts_at > ?9) < ?10
           RETURNING id`,
        )
        .bind(
          offer.doctor.id,
          clinic.id,
          offer.date,
          offer.slot,
          startsAt,
          token,
          call.callSid,
          phone,
          nowIso,
          ctx.config.maxActivePerPhone,
        ),
      d1
        .prepare(
          `INSERT INTO sms_outbox (to_number, body, purpose, appointment_id, callback_base)
           SELECT ?1, ?2, 'booking', id, ?3 FROM appointments WHERE call_sid = ?4
           RETURNING id`,
        )
        .bind(phone, bookingSms, ctx.origin, call.callSid),
    ]);
    const appointmentId = appointment!.results[0]?.id;
    if (appointmentId === undefined) {
      // Another call from this phone booked first and reached the limit: let the slot go.
      await day.unconfirm(call.callSid, offer.slot, ctx.now.getTime(), ctx.config.holdMs);
      await day.release(call.callSid);
      return { kind: "limit-reached", limit: ctx.config.maxActivePerPhone };
    }
    return {
      kind: "booked",
      booking: {
        appointmentId,
        token,
        offer,
        smsIds: sms!.results.map((row) => row.id),
        phone,
        needsAccount: !existing?.accountId,
      },
    };
  } catch (error) {
    // A concurrent retry of this same confirm won the race: answer with its booking.
    if (isUniqueViolation(error, "appointments.call_sid")) {
      const won = await findByCall(ctx, call.callSid, offer);
      if (won) return { kind: "booked", booking: won };
    }
    if (isUniqueViolation(error, "appointments.doctor_id")) {
      // D1 already has a live appointment in this slot that the object did not know about:
      // teach the object, so the slot is never offered again, and offer another time.
      await day.markBooked(offer.slot, null);
      return { kind: "hold-lost" };
    }
    await day.unconfirm(call.callSid, offer.slot, ctx.now.getTime(), ctx.config.holdMs);
    if (isUniqueViolation(error, "appointments.patient_id")) return { kind: "same-time" };
    throw error;
  }
}
