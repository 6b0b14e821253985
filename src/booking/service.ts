/**
 * The booking service: the one writer of appointments. Every change to an appointment or to
 * what can be booked (booking from a call, cancelling by SMS or by the clinic, days off,
 * hours, doctors) goes through here, so each follows the same order (doctor-day object and
 * D1, with a compensating step) and queues its SMS only after its D1 batch has committed.
 * Routes call one method each and never write appointments themselves.
 */
import type { Clinic, Doctor } from "../db/directory.ts";
import type { Catalogue } from "../words/index.ts";
import { invalidateDirectory } from "../db/directory-cache.ts";
import type { WorkingHours } from "../slots/calendar.ts";
import { enqueueJobs, type SmsJob } from "../sms/outbox.ts";
import { bookHeldSlot, type ConfirmResult } from "./book.ts";
import { appointmentById, cancelBooked, upcomingForPhone, type PatientAppointment } from "./cancel.ts";
import type { BookingContext } from "./context.ts";
import { moveAppointment, type MoveRequest, type MoveResult } from "./move.ts";
import type { HeldSlot } from "./offer.ts";
import { reconcileSlots } from "./reconcile.ts";
import * as schedule from "./schedule.ts";
import { parseToken } from "./token.ts";
import { log } from "../log.ts";

/** How long after a booking its first summary is made. */
export const SUMMARY_DELAY_SECONDS = 60;

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

  /**
   * Hands committed outbox rows (and account jobs) to the queue; the sweep covers a failed send.
   * `later` rides in the same send, delayed: the doctor's summary of a new booking waits
   * SUMMARY_DELAY_SECONDS, because the caller is asked the reason next (which queues its own
   * summary at once) and a rush's SMS should go first. A lost summary job only means the
   * summary waits for the next change.
   */
  private async queue(jobs: SmsJob[], later: SmsJob[] = []): Promise<void> {
    if (later.length === 0) {
      try {
        await enqueueJobs(this.ctx.smsQueue, jobs);
      } catch (error) {
        log.error("queueing SMS failed; the sweep will send them", { error });
      }
      return;
    }
    try {
      await this.ctx.smsQueue.sendBatch([
        ...jobs.map((body) => ({ body })),
        ...later.map((body) => ({ body, delaySeconds: SUMMARY_DELAY_SECONDS })),
      ]);
    } catch (error) {
      log.error("queueing SMS failed; the sweep will send them", { error });
    }
  }

  /** A caller confirmed the slot their call holds; `scope` is the clinic and doctor, read meanwhile. */
  async bookHeldSlot(
    scope: Promise<{ clinic: Clinic; doctor: Doctor } | null>,
    held: HeldSlot,
    call: { callSid: string; phone: string },
  ): Promise<ConfirmResult> {
    const result = await bookHeldSlot(this.ctx, this.words, scope, held, call);
    if (result.kind === "booked") {
      const { booking } = result;
      await this.queue(
        [
          ...booking.smsIds.map((outboxId) => ({ outboxId })),
          ...(booking.needsAccount ? [{ accountFor: booking.phone, callbackBase: this.ctx.origin }] : []),
        ],
        booking.smsIds.length > 0 ? [{ summarise: booking.appointmentId }] : [],
      );
    }
    return result;
  }

  upcomingForPhone(phone: string): Promise<PatientAppointment[]> {
    return upcomingForPhone(this.ctx.db, phone, this.ctx.now);
  }

  /** The patient cancels their next appointment, or the one with `tokenText` ("KS-6", "k s 6"). */
  async cancelForPhone(phone: string, tokenText?: string): Promise<CancelResult> {
    return this.cancelOneOf(await this.upcomingForPhone(phone), tokenText);
  }

  /**
   * Cancels the next of these upcoming appointments of one patient, or the one with
   * `tokenText`; `also` is committed in the same batch when the cancel happens.
   */
  async cancelOneOf(
    upcoming: readonly PatientAppointment[],
    tokenText?: string,
    also: (result: CancelResult) => D1PreparedStatement[] = () => [],
  ): Promise<CancelResult> {
    const token = tokenText === undefined ? undefined : (parseToken(tokenText) ?? tokenText.toUpperCase());
    const target = token ? upcoming.find((a) => a.token === token) : upcoming[0];
    if (!target) return token ? { kind: "token-not-found", token } : { kind: "nothing-upcoming" };
    const success: CancelResult = { kind: "cancelled", appointment: target };
    const { cancelled } = await cancelBooked(this.ctx, target, undefined, also(success));
    if (!cancelled) return token ? { kind: "token-not-found", token } : { kind: "nothing-upcoming" };
    return success;
  }

  /**
   * A caller cancels one of their upcoming appointments by phone; they get an SMS, queued
   * beside freeing the time. Null when it is no longer theirs to cancel.
   */
  async cancelByCall(phone: string, appointmentId: number): Promise<PatientAppointment | null> {
    const target = (await this.upcomingForPhone(phone)).find((a) => a.id === appointmentId);
    if (!target) return null;
    const { cancelled } = await cancelBooked(
      this.ctx,
      target,
      { words: this.words, text: "cancelledForYou" },
      [],
      (ids) => this.queue(ids.map((outboxId) => ({ outboxId }))),
    );
    return cancelled ? target : null;
  }

  /** A caller moves one of their appointments to the time their call holds (see move.ts). */
  move(request: MoveRequest): Promise<MoveResult> {
    return moveAppointment(this.ctx, this.words, request, (ids) => this.queue(ids.map((outboxId) => ({ outboxId }))));
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

  /** Runs a change to what can be booked, then has this isolate read the directory afresh. */
  private async changing<T>(change: Promise<T>): Promise<T> {
    try {
      return await change;
    } finally {
      invalidateDirectory();
    }
  }

  setWeeklyHours(doctorId: number, hours: readonly WorkingHours[]): Promise<PatientAppointment[]> {
    return this.changing(schedule.setWeeklyHours(this.ctx, doctorId, hours));
  }

  async addDaysOff(
    doctorId: number,
    dates: readonly string[],
    options: { reason?: string; cancelAffected: boolean },
  ): Promise<PatientAppointment[]> {
    const { affected, smsIds } = await this.changing(
      schedule.addDaysOff(this.ctx, this.words, doctorId, dates, options),
    );
    await this.queue(smsIds.map((outboxId) => ({ outboxId })));
    return affected;
  }

  removeDayOff(doctorId: number, date: string): Promise<void> {
    return this.changing(schedule.removeDayOff(this.ctx, doctorId, date));
  }

  addDoctor(doctor: { clinicId: number; name: string; specializationId: number }) {
    return this.changing(schedule.addDoctor(this.ctx, doctor));
  }

  setDoctorActive(doctorId: number, active: boolean): Promise<void> {
    return this.changing(schedule.setDoctorActive(this.ctx, doctorId, active));
  }

  strandedAppointments(clinicId: number): Promise<PatientAppointment[]> {
    return schedule.strandedAppointments(this.ctx, clinicId);
  }

  reconcile(graceMs?: number) {
    return reconcileSlots(this.ctx.db, this.ctx.doctorDays, this.ctx.config, this.ctx.now, graceMs);
  }
}
