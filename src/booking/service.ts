/**
 * The booking service: the one writer of appointments. Every change to an appointment or to
 * what can be booked (booking from a call, cancelling by SMS or by the clinic, days off,
 * hours, doctors) goes through here, so each follows the same order (doctor-day object and
 * D1, with a compensating step) and queues its SMS only after its D1 batch has committed.
 * Routes call one method each and never write appointments themselves.
 */
import { eq } from "drizzle-orm";
import { audit, type AuditEntry } from "../auth/audit.ts";
import type { Clinic } from "../db/directory.ts";
import { appointments, clinics } from "../db/schema.ts";
import type { Catalogue } from "../ivr/prompts.ts";
import type { WorkingHours } from "../slots/calendar.ts";
import { enqueueJobs, type SmsJob } from "../sms/outbox.ts";
import { bookHeldSlot, type ConfirmResult } from "./book.ts";
import { appointmentById, cancelBooked, upcomingForPhone, type PatientAppointment } from "./cancel.ts";
import type { BookingContext } from "./context.ts";
import type { Offer } from "./offer.ts";
import { reconcileSlots } from "./reconcile.ts";
import * as schedule from "./schedule.ts";
import { parseToken } from "./token.ts";
import { moveVisit, NEXT_STEPS, queueStatus, type QueueStatus, type VisitChange } from "./visit.ts";
import { issueWalkIn, type WalkInResult } from "./walk-in.ts";
import { moveToNextFree, type MoveResult } from "./move.ts";
import { localClock } from "../slots/calendar.ts";
import { withValidTimeZone } from "../db/directory.ts";

export type CancelResult =
  | { kind: "cancelled"; appointment: PatientAppointment }
  | { kind: "nothing-upcoming" }
  | { kind: "token-not-found"; token: string };

export class BookingService {
  private readonly ctx: BookingContext;
  private readonly words: Catalogue;

  constructor(ctx: BookingContext, words: Catalogue) {
    this.ctx = ctx;
    this.words = words;
  }

  /** Hands committed outbox rows (and account jobs) to the queue; the sweep covers a failed send. */
  private async queue(jobs: SmsJob[]): Promise<void> {
    try {
      await enqueueJobs(this.ctx.smsQueue, jobs);
    } catch (error) {
      console.error("queueing SMS failed; the sweep will send them:", error);
    }
  }

  /** A caller confirmed the slot their call holds. */
  async bookHeldSlot(clinic: Clinic, offer: Offer, call: { callSid: string; phone: string }): Promise<ConfirmResult> {
    const result = await bookHeldSlot(this.ctx, this.words, clinic, offer, call);
    if (result.kind === "booked") {
      const { booking } = result;
      await this.queue([
        ...booking.smsIds.map((outboxId) => ({ outboxId })),
        ...(booking.needsAccount ? [{ accountFor: booking.phone, callbackBase: this.ctx.origin }] : []),
      ]);
    }
    return result;
  }

  upcomingForPhone(phone: string): Promise<PatientAppointment[]> {
    return upcomingForPhone(this.ctx.db, phone, this.ctx.now);
  }

  /** The patient cancels their next appointment, or the one with `tokenText` ("KS-6", "k s 6"). */
  async cancelForPhone(phone: string, tokenText?: string): Promise<CancelResult> {
    const upcoming = await this.upcomingForPhone(phone);
    const token = tokenText === undefined ? undefined : (parseToken(tokenText) ?? tokenText.toUpperCase());
    const target = token ? upcoming.find((a) => a.token === token) : upcoming[0];
    if (!target) return token ? { kind: "token-not-found", token } : { kind: "nothing-upcoming" };
    const { cancelled } = await cancelBooked(this.ctx, target);
    if (!cancelled) return token ? { kind: "token-not-found", token } : { kind: "nothing-upcoming" };
    return { kind: "cancelled", appointment: target };
  }

  /**
   * The patient cancels one of their own upcoming appointments on their page, and gets the
   * confirmation by SMS. Null when it is not theirs, not upcoming, or was cancelled meanwhile.
   */
  async cancelForPatient(phone: string, appointmentId: number): Promise<PatientAppointment | null> {
    const target = (await this.upcomingForPhone(phone)).find((a) => a.id === appointmentId);
    if (!target) return null;
    const { cancelled, smsIds } = await cancelBooked(this.ctx, target, { words: this.words, text: "cancelledForYou" });
    await this.queue(smsIds.map((outboxId) => ({ outboxId })));
    return cancelled ? target : null;
  }

  /** The patient moves one of their own upcoming appointments to the doctor's next free time after it. */
  async moveForPatient(phone: string, appointmentId: number, entry: AuditEntry): Promise<MoveResult> {
    const mine = (await this.upcomingForPhone(phone)).some((a) => a.id === appointmentId);
    if (!mine) return { kind: "not-found" };
    return this.moveToNextFree(appointmentId, entry, "patient");
  }

  /** The clinic cancels an appointment; the patient gets an SMS. False if it was not booked. */
  async cancelByClinic(appointmentId: number): Promise<boolean> {
    const target = await appointmentById(this.ctx.db, appointmentId);
    if (!target || target.status !== "booked") return false;
    const { cancelled, smsIds } = await cancelBooked(this.ctx, target, {
      words: this.words,
      text: "cancelledByClinic",
    });
    await this.queue(smsIds.map((outboxId) => ({ outboxId })));
    return cancelled;
  }

  /**
   * The desk moves an appointment to its next step of the day (arrived, in consultation,
   * done, no-show) or cancels it (the patient is texted, the time freed). Only the moves in
   * NEXT_STEPS, and apart from cancelling only on the appointment's own (clinic-local) day.
   */
  async changeVisit(appointmentId: number, to: QueueStatus, entry: AuditEntry): Promise<VisitChange> {
    const row = await this.ctx.db
      .select({
        status: appointments.status,
        visit: appointments.visit,
        date: appointments.localDate,
        clinicId: appointments.clinicId,
        timezone: clinics.timezone,
      })
      .from(appointments)
      .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
      .where(eq(appointments.id, appointmentId))
      .get();
    if (!row) return { kind: "not-found" };
    const from = queueStatus(row.status, row.visit);
    if (!NEXT_STEPS[from].includes(to))
      return { kind: "not-allowed", from, to, reason: `cannot go from ${from} to ${to}` };
    const today = localClock(
      this.ctx.now,
      withValidTimeZone({ id: row.clinicId, timezone: row.timezone }).timezone,
    ).date;
    const detail = { appointmentId, from, to };
    if (to === "cancelled") {
      if (!(await this.cancelByClinic(appointmentId))) return { kind: "conflict" };
      await audit(this.ctx.db, { ...entry, detail: { ...entry.detail, ...detail } }, this.ctx.now);
      return { kind: "changed", from, to };
    }
    if (row.date !== today) return { kind: "not-allowed", from, to, reason: "only today's appointments can be marked" };
    const moved = await moveVisit(this.ctx.db.$client, appointmentId, from, to, this.ctx.now, {
      ...entry,
      detail: { ...entry.detail, ...detail },
    });
    return moved ? { kind: "changed", from, to } : { kind: "conflict" };
  }

  /**
   * The doctor writes (or clears) their note on one of their own appointments. The audit row
   * records that a note changed, never what it says (health data).
   */
  async setDoctorNote(appointmentId: number, doctorId: number, note: string, entry: AuditEntry): Promise<boolean> {
    const d1 = this.ctx.db.$client;
    const [updated] = await d1.batch<{ id: number }>([
      d1
        .prepare("UPDATE appointments SET doctor_note = ?3 WHERE id = ?1 AND doctor_id = ?2 RETURNING id")
        .bind(appointmentId, doctorId, note.trim().slice(0, 2000) || null),
      d1
        .prepare(
          "INSERT INTO audit_log (at, actor, clinic_id, action, detail) SELECT ?1, ?2, ?3, ?4, ?5 WHERE changes() = 1",
        )
        .bind(this.ctx.now.toISOString(), entry.actor, entry.clinicId, entry.action, JSON.stringify({ appointmentId })),
    ]);
    return updated!.results.length > 0;
  }

  /** The desk gives a patient at the counter the doctor's next free time today (never a phone booking's). */
  async issueWalkIn(
    request: { clinicId: number; doctorId: number; phone: string },
    entry: AuditEntry,
  ): Promise<WalkInResult> {
    const result = await issueWalkIn(this.ctx, this.words, request, entry);
    if (result.kind === "issued") await this.queue(result.smsIds.map((outboxId) => ({ outboxId })));
    return result;
  }

  /** The desk moves a booked appointment to the doctor's next free time after it; the patient is texted. */
  async moveToNextFree(
    appointmentId: number,
    entry: AuditEntry,
    by: "clinic" | "patient" = "clinic",
  ): Promise<MoveResult> {
    const result = await moveToNextFree(this.ctx, this.words, appointmentId, entry, by);
    if (result.kind === "moved") await this.queue(result.smsIds.map((outboxId) => ({ outboxId })));
    return result;
  }

  setWeeklyHours(doctorId: number, hours: readonly WorkingHours[]): Promise<PatientAppointment[]> {
    return schedule.setWeeklyHours(this.ctx, doctorId, hours);
  }

  async addDaysOff(
    doctorId: number,
    dates: readonly string[],
    options: { reason?: string; cancelAffected: boolean },
  ): Promise<PatientAppointment[]> {
    const { affected, smsIds } = await schedule.addDaysOff(this.ctx, this.words, doctorId, dates, options);
    await this.queue(smsIds.map((outboxId) => ({ outboxId })));
    return affected;
  }

  removeDayOff(doctorId: number, date: string): Promise<void> {
    return schedule.removeDayOff(this.ctx, doctorId, date);
  }

  addDoctor(doctor: { clinicId: number; name: string; specializationId: number }) {
    return schedule.addDoctor(this.ctx, doctor);
  }

  setDoctorActive(doctorId: number, active: boolean): Promise<void> {
    return schedule.setDoctorActive(this.ctx, doctorId, active);
  }

  strandedAppointments(clinicId: number): Promise<PatientAppointment[]> {
    return schedule.strandedAppointments(this.ctx, clinicId);
  }

  reconcile(graceMs?: number) {
    return reconcileSlots(this.ctx.db, this.ctx.doctorDays, this.ctx.config, this.ctx.now, graceMs);
  }
}
