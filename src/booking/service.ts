/**
 * The booking service: the one writer of appointments. Every change to an appointment or to
 * what can be booked (booking from a call, cancelling by SMS or by the clinic, days off,
 * hours, doctors) goes through here, so each follows the same order (doctor-day object and
 * D1, with a compensating step) and queues its SMS only after its D1 batch has committed.
 * Routes call one method each and never write appointments themselves.
 */
import { visitStateOf } from "../stores/appointments.ts";
import type { Clinic, Doctor } from "../db/directory.ts";
import type { Catalogue } from "../words/index.ts";
import type { WorkingHours } from "../slots/calendar.ts";
import { enqueueJobs, type Job } from "../jobs/queue.ts";
import { bookHeldSlot, type ConfirmResult } from "./book.ts";
import { appointmentById, preferredLanguage, upcomingForPhone, type PatientAppointment } from "../stores/patients.ts";
import { confirmAttendance } from "../stores/appointments.ts";
import { cancelBooked } from "./cancel.ts";
import type { BookingContext } from "./context.ts";
import { moveAppointment, type MoveRequest, type MoveResult } from "./move.ts";
import type { HeldSlot } from "./offer.ts";
import { reconcileSlots } from "./reconcile.ts";
import * as schedule from "./schedule.ts";
import { parseToken } from "./token.ts";
import { log } from "../log.ts";
import { audit, type AuditEntry } from "../auth/audit.ts";
import { withValidTimeZone } from "../db/directory.ts";
import { localClock } from "../slots/calendar.ts";
import { wordsFor } from "../words/index.ts";
import { moveToNextFree, type NextFreeMoveResult } from "./move-next-free.ts";
import { movedTo, moveVisit, NEXT_STEPS, queueStatus, type QueueStatus, type VisitChange } from "./visit.ts";
import { issueWalkIn, type WalkInResult } from "./walk-in.ts";
import { FREED_DELAY_SECONDS } from "../waitlist/jobs.ts";
import { smsWaitlistNotifier, type WaitlistNotifier } from "../waitlist/notifier.ts";
import type { FreedTime, WaitlistScope } from "../stores/waitlist.ts";
import * as waitlist from "./waitlist.ts";

/** How long after a booking its first summary is made. */
export const SUMMARY_DELAY_SECONDS = 60;

export type CancelResult =
  | { kind: "cancelled"; appointment: PatientAppointment }
  | { kind: "nothing-upcoming" }
  | { kind: "token-not-found"; token: string };

export class BookingService {
  private readonly ctx: BookingContext;
  private readonly words: Catalogue;
  /** How a waiting patient hears of a time held for them (an SMS today; the outbound call plugs in here). */
  private readonly notifier: WaitlistNotifier;

  constructor(ctx: BookingContext, words: Catalogue, notifier?: WaitlistNotifier) {
    this.ctx = ctx;
    this.words = words;
    this.notifier = notifier ?? smsWaitlistNotifier(ctx);
  }

  /**
   * The words for an SMS to this patient when no call chose them: the language the patient
   * chose on the line (patients.preferred_language), else the service's own.
   */
  private async patientWords(phone: string): Promise<Catalogue> {
    const language = await preferredLanguage(this.ctx.db, phone);
    return language && language !== this.words.language ? wordsFor(language) : this.words;
  }

  /**
   * Hands committed outbox rows to the queue; the sweep covers a failed send.
   * `later` rides in the same send, delayed: the doctor's summary of a new booking waits
   * SUMMARY_DELAY_SECONDS, because the caller is asked the reason next (which queues its own
   * summary at once) and a rush's SMS should go first. A lost summary job only means the
   * summary waits for the next change.
   */
  private async queue(jobs: Job[], later: Job[] = [], freed: FreedTime[] = []): Promise<void> {
    if (freed.length > 0) {
      // A freed time rides in the same send, for the waitlist (waitlist/jobs.ts).
      try {
        await this.ctx.jobs.sendBatch([
          ...jobs.map((body) => ({ body })),
          ...later.map((body) => ({ body, delaySeconds: SUMMARY_DELAY_SECONDS })),
          ...freed.map((time) => ({ body: { waitlistFreed: time }, delaySeconds: FREED_DELAY_SECONDS })),
        ]);
      } catch (error) {
        log.error("queueing SMS or a freed time failed; the sweep sends the SMS", { error });
      }
      return;
    }
    if (later.length === 0) {
      try {
        await enqueueJobs(this.ctx.jobs, jobs);
      } catch (error) {
        log.error("queueing SMS failed; the sweep will send them", { error });
      }
      return;
    }
    try {
      await this.ctx.jobs.sendBatch([
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
        booking.smsIds.map((outboxId) => ({ outboxId })),
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
    const { cancelled } = await cancelBooked(this.ctx, target, undefined, also(success), () =>
      this.queue([], [], [freedTime(target)]),
    );
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
      (ids) =>
        this.queue(
          ids.map((outboxId) => ({ outboxId })),
          [],
          [freedTime(target)],
        ),
    );
    return cancelled ? target : null;
  }

  /** The patient will come (1 on the reminder call): the appointment is marked confirmed, once. */
  confirmAttendance(phone: string, appointmentId: number): Promise<boolean> {
    return confirmAttendance(this.ctx.db, phone, appointmentId, this.ctx.now);
  }

  /** A caller moves one of their appointments to the time their call holds (see move.ts). */
  move(request: MoveRequest): Promise<MoveResult> {
    return moveAppointment(this.ctx, this.words, request, (ids, from) =>
      this.queue(
        ids.map((outboxId) => ({ outboxId })),
        [],
        [freedTime(from)],
      ),
    );
  }

  /**
   * The patient cancels one of their own upcoming appointments on their page, and gets the
   * confirmation by SMS. Null when it is not theirs, not upcoming, or was cancelled meanwhile.
   */
  async cancelForPatient(phone: string, appointmentId: number): Promise<PatientAppointment | null> {
    const target = (await this.upcomingForPhone(phone)).find((a) => a.id === appointmentId);
    if (!target) return null;
    const { cancelled, smsIds } = await cancelBooked(this.ctx, target, {
      words: await this.patientWords(phone),
      text: "cancelledForYou",
    });
    await this.queue(
      smsIds.map((outboxId) => ({ outboxId })),
      [],
      cancelled ? [freedTime(target)] : [],
    );
    return cancelled ? target : null;
  }

  /** The patient moves one of their own upcoming appointments to the doctor's next free time after it. */
  async moveForPatient(phone: string, appointmentId: number, entry: AuditEntry): Promise<NextFreeMoveResult> {
    const mine = (await this.upcomingForPhone(phone)).some((a) => a.id === appointmentId);
    if (!mine) return { kind: "not-found" };
    return this.moveToNextFree(appointmentId, entry, "patient");
  }

  /** The clinic cancels an appointment; the patient gets an SMS. False if it was not booked. */
  async cancelByClinic(appointmentId: number): Promise<boolean> {
    const target = await appointmentById(this.ctx.db, appointmentId);
    if (!target || target.status !== "booked") return false;
    const { cancelled, smsIds } = await cancelBooked(this.ctx, target, {
      words: await this.patientWords(target.patientPhone),
      text: "cancelledByClinic",
    });
    await this.queue(
      smsIds.map((outboxId) => ({ outboxId })),
      [],
      cancelled ? [freedTime(target)] : [],
    );
    return cancelled;
  }

  /**
   * The desk moves an appointment to its next step of the day (arrived, in consultation,
   * done, no-show) or cancels it (the patient is texted, the time freed). Only the moves in
   * NEXT_STEPS, and apart from cancelling only on the appointment's own (clinic-local) day.
   */
  async changeVisit(appointmentId: number, to: QueueStatus, entry: AuditEntry): Promise<VisitChange> {
    const row = await visitStateOf(this.ctx.db, appointmentId);
    if (!row) return { kind: "not-found" };
    const from = queueStatus(row.status, row.visit);
    // Moved meanwhile (the desk saw the old time): say where it went, not "cannot go from cancelled".
    const movedMeanwhile = async () => {
      const next =
        from === "cancelled" || to === "cancelled" ? await movedTo(this.ctx.db.$client, appointmentId) : null;
      return next ? ({ kind: "moved", token: row.token, movedTo: next } as const) : null;
    };
    if (!NEXT_STEPS[from].includes(to))
      return (await movedMeanwhile()) ?? { kind: "not-allowed", from, to, reason: `cannot go from ${from} to ${to}` };
    const today = localClock(
      this.ctx.now,
      withValidTimeZone({ id: row.clinicId, timezone: row.timezone }).timezone,
    ).date;
    const detail = { appointmentId, from, to };
    if (to === "cancelled") {
      if (!(await this.cancelByClinic(appointmentId))) return (await movedMeanwhile()) ?? { kind: "conflict" };
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

  /** The desk gives a patient at the counter the doctor's next free time today (never a phone booking's). */
  async issueWalkIn(
    request: { clinicId: number; doctorId: number; phone: string },
    entry: AuditEntry,
  ): Promise<WalkInResult> {
    const result = await issueWalkIn(this.ctx, await this.patientWords(request.phone), request, entry);
    if (result.kind === "issued") await this.queue(result.smsIds.map((outboxId) => ({ outboxId })));
    return result;
  }

  /** The desk moves a booked appointment to the doctor's next free time after it; the patient is texted. */
  async moveToNextFree(
    appointmentId: number,
    entry: AuditEntry,
    by: "clinic" | "patient" = "clinic",
  ): Promise<NextFreeMoveResult> {
    const target = await appointmentById(this.ctx.db, appointmentId);
    const words = target ? await this.patientWords(target.patientPhone) : this.words;
    const result = await moveToNextFree(this.ctx, words, appointmentId, entry, by);
    if (result.kind === "moved")
      await this.queue(
        result.smsIds.map((outboxId) => ({ outboxId })),
        [],
        target ? [freedTime(target)] : [],
      );
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
    const { affected, smsIds } = await schedule.addDaysOff(
      this.ctx,
      (phone) => this.patientWords(phone),
      doctorId,
      dates,
      options,
    );
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

  /** A caller who heard no time that suits them waits for one (once per scope: joining again keeps their place). */
  joinWaitlist(phone: string, scope: WaitlistScope): Promise<waitlist.JoinResult> {
    return waitlist.joinWaitlist(this.ctx, phone, scope, this.words.language);
  }

  /** Freed times (a cancel, a move, a desk release, a reconcile): each to the first waiting patient it fits. */
  offerFreedTimes(times: readonly FreedTime[]): Promise<waitlist.FreedOutcome[]> {
    return waitlist.offerFreedTimes(this.ctx, this.notifier, times);
  }

  /** The waiting patient takes the time held for them: booked as any confirm (token, SMS). */
  async takeWaitlistOffer(offerId: number, phone: string): Promise<ConfirmResult> {
    const result = await waitlist.takeOffer(this.ctx, this.words, offerId, phone);
    if (result.kind === "booked") await this.queue(result.booking.smsIds.map((outboxId) => ({ outboxId })));
    return result;
  }

  /** The waiting patient passes the held time to the next in line; they stay on the list. */
  passWaitlistOffer(offerId: number, phone: string): Promise<boolean> {
    return waitlist.passOffer(this.ctx, this.notifier, offerId, phone);
  }

  /** The cron: offers nobody answered within their window go to the next in line. */
  passOnLapsedWaitlistOffers(): Promise<number> {
    return waitlist.passOnLapsedOffers(this.ctx, this.notifier);
  }

  /** The desk removes a waiting entry of its clinic (a time held for it goes to the next in line). */
  removeFromWaitlist(entryId: number, clinicId: number): Promise<boolean> {
    return waitlist.removeFromWaitlist(this.ctx, this.notifier, entryId, clinicId);
  }
}

/** The time an appointment held, as its doctor-day object names it. */
function freedTime(a: { doctorId: number; date: string; startMinute: number }): FreedTime {
  return { doctorId: a.doctorId, date: a.date, startMinute: a.startMinute };
}
