/**
 * Cancelling appointments. D1 is changed first, conditionally (so two cancels cannot both
 * win) and in the same batch as the patient's SMS, if any; then the doctor-day object frees
 * the time for the next caller. If freeing fails, the reconcile frees it within a minute:
 * D1 says the time is free, and D1 is what the reconcile trusts.
 */
import { log } from "../log.ts";
import { nameIn } from "../db/display-names.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import type { BookingContext } from "./context.ts";
import type { PatientAppointment } from "../stores/patients.ts";
import { cancelBookedStatement } from "../stores/appointments.ts";
import { idsOf, runBatch, write } from "../stores/batch.ts";
import { ifAppointment, insertOutbox } from "../stores/outbox.ts";
import type { RenderedSms } from "../sms/templates/index.ts";
import { appointmentSms, smsWording, type SmsAppointment } from "../sms/texts.ts";
import type { Catalogue, Language } from "../words/index.ts";

/** An appointment as an SMS in `language` names it: absolute date, the clinic in that language. */
export function smsAppointment(a: PatientAppointment, language: Language): SmsAppointment {
  const clinic = nameIn({ name: a.clinicName, displayNames: a.clinicDisplayNames }, language);
  return { token: a.token, doctor: a.doctorName, clinic, date: a.date, startMinute: a.startMinute };
}

/**
 * Cancels one booked appointment; with `sms`, the patient's text is written in the same batch.
 * False when it was no longer booked (someone else cancelled it first). Returns the outbox ids.
 */
export async function cancelBooked(
  ctx: BookingContext,
  target: PatientAppointment,
  sms?: { words: Catalogue; text: "cancelledForYou" | "cancelledByClinic" | "cancelledForLeave" },
  /** Statements to commit with the cancel (the inbound SMS's recorded reply), saving a round trip. */
  also: D1PreparedStatement[] = [],
  /** Run beside freeing the time once the cancel has committed (queueing its SMS), saving a round trip. */
  afterCommit: (smsIds: number[]) => Promise<void> = async () => undefined,
): Promise<{ cancelled: boolean; smsIds: number[] }> {
  const d1 = ctx.db.$client;
  const nowIso = ctx.now.toISOString();
  let text: RenderedSms | undefined;
  if (sms) {
    const language = sms.words.language;
    const kind = sms.text === "cancelledForYou" ? "cancelled" : sms.text;
    text = appointmentSms(kind, language, smsAppointment(target, language), smsWording(ctx.config));
  }
  const written = await runBatch(d1, {
    cancelled: idsOf(cancelBookedStatement(d1, target.id, nowIso)),
    // Only the cancel that won writes the text: the row it cancelled carries this very instant.
    sms: text
      ? idsOf(
          insertOutbox(
            d1,
            {
              to: target.patientPhone,
              sms: text,
              purpose: "cancellation",
              callbackBase: ctx.origin,
              createdAt: nowIso,
            },
            ifAppointment("id = ? AND status = 'cancelled' AND cancelled_at = ?", target.id, nowIso),
          ),
        )
      : undefined,
    also: write(...also),
  });
  if (written.cancelled.length === 0) return { cancelled: false, smsIds: [] };
  const smsIds = written.sms ?? [];
  const [freed] = await Promise.allSettled([
    doctorDayStub(ctx.doctorDays, target.doctorId, target.date).free(target.startMinute),
    afterCommit(smsIds),
  ]);
  // The appointment is cancelled either way; the reconcile frees the time within a minute.
  if (freed.status === "rejected")
    log.error("appointment cancelled; its time is freed by the next reconcile", {
      appointmentId: target.id,
      error: freed.reason,
    });
  return { cancelled: true, smsIds };
}
