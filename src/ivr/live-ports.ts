/**
 * The flow's ports on the live line: the directory, the doctor-day objects, the booking service
 * and D1, for one request. Which reads to start early depends on the step (prefetchFor).
 */
import type { BookingContext } from "../booking/context.ts";
import { holdAgain } from "../booking/hold-again.ts";
import { countsFromRows, holdEarliest, type BookedCounts, type HeldSlot } from "../booking/offer.ts";
import { BookingService } from "../booking/service.ts";
import { directory, freshDirectory } from "../db/directory-cache.ts";
import { calendarsFromRows, clinicCalendarQueries, loadClinicCalendars, type DoctorCalendar } from "../db/directory.ts";
import { callEvent } from "../calls/outbox.ts";
import { callById, callByProviderId, noteOutcome } from "../stores/call-outbox.ts";
import { bookedCountsForPhonePart, bookedCountsQuery } from "../stores/appointments.ts";
import { rowsOf, runBatch } from "../stores/batch.ts";
import {
  preferredLanguagePart,
  rememberLanguage,
  stopReminderCalls,
  upcomingForPhonePart,
} from "../stores/patients.ts";
import { callerNumber } from "../patients/phone.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import { wordsFor, type Language } from "../words/index.ts";
import type { CallState } from "./call-state.ts";
import type { IvrPorts } from "./ports.ts";
import { ANOTHER_DAY_KEY, OTHER_TIMES_KEY, type Step } from "./steps.ts";
import { liveOfferForPhoneStatement, type LiveOffer } from "../stores/waitlist.ts";

/**
 * The clinic's booked counts and, unless this isolate's directory has them, its doctors'
 * calendars: one D1 batch, read when a step may offer a time there.
 */
async function offerReads(
  ctx: BookingContext,
  clinicId: number,
  withCalendars: boolean,
): Promise<{ counts: BookedCounts; calendars?: Map<number, DoctorCalendar> }> {
  const counts = bookedCountsQuery(ctx.db, clinicId, ctx.now, ctx.config);
  if (!withCalendars) return { counts: countsFromRows(await counts) };
  const [hours, daysOff] = clinicCalendarQueries(ctx.db, clinicId, ctx.now);
  const [countRows, hourRows, dayOffRows] = await ctx.db.batch([counts, hours, daysOff]);
  return { counts: countsFromRows(countRows), calendars: calendarsFromRows(hourRows, dayOffRows) };
}

/**
 * The flow's ports for one request. The directory is read at once (from the isolate's copy, or
 * one D1 batch). When the step may offer a time, the clinic's booked counts (and its doctors'
 * calendars, unless the isolate's copy has them) are read beside it, so the offer still takes
 * three round trips; menus cost none with the directory at hand.
 */
export function livePorts(
  ctx: BookingContext,
  /** `line`: the number the caller dialled, where it is not the line's Twilio number (an ExoPhone, a Plivo number). */
  call: { callSid: string; from: string | undefined; lang: Language; line?: string },
  prefetch: { clinicId?: number; moveFromPhone?: boolean },
): IvrPorts {
  const { callSid } = call;
  const { db } = ctx;
  const phone = callerNumber(call.from);
  const service = new BookingService(ctx, wordsFor(call.lang, ctx.config.voices[call.lang]));
  const dir = directory(db, ctx.now, ctx.config.directoryCacheMs);
  const known = freshDirectory(ctx.now, ctx.config.directoryCacheMs);
  const early =
    prefetch.clinicId === undefined
      ? undefined
      : offerReads(ctx, prefetch.clinicId, !known?.hasCalendars(prefetch.clinicId));
  const counts = early?.then((read) => read.counts);
  // Read eagerly; a failure surfaces where the value is awaited, never as an unhandled rejection.
  dir.catch(() => undefined);
  counts?.catch(() => undefined);
  /** The clinic's doctors' calendars: the isolate's copy, the early read, or (rarely) one read now. */
  const calendarsFor = async (clinicId: number, doctorIds: number[]) => {
    const d = await dir;
    if (!d.hasCalendars(clinicId)) {
      const read = early && prefetch.clinicId === clinicId ? (await early).calendars : undefined;
      d.rememberCalendars(clinicId, read ?? (await loadClinicCalendars(db, clinicId, ctx.now)));
    }
    return d.calendars(clinicId, doctorIds);
  };
  /** The booked counts read with the caller's appointments, when a move may be offered. */
  let phoneCounts: Promise<BookedCounts> | undefined;
  /** The clinic and the held doctor, if the doctor is one the call chose (read while the object confirms). */
  const scopeOf = (held: HeldSlot, chosen: { clinicId: number; specializationId?: number; doctorId?: number }) =>
    dir.then((d) => {
      const clinic = d.clinic(chosen.clinicId);
      const doctor = d
        .doctors(chosen.clinicId, chosen.specializationId)
        .find((doc) => doc.id === held.doctorId && (chosen.doctorId === undefined || doc.id === chosen.doctorId));
      return clinic && doctor ? { clinic, doctor } : null;
    });
  return {
    states: async () => (await dir).states(),
    districts: async (stateId) => (await dir).districts(stateId),
    clinics: async (districtId) => (await dir).clinics(districtId),
    clinic: async (clinicId) => (await dir).clinic(clinicId),
    specializations: async (clinicId) => (await dir).specializations(clinicId),
    doctors: async (clinicId, specializationId) => (await dir).doctors(clinicId, specializationId),
    holdEarliest: async (clinic, doctors, options) =>
      holdEarliest(ctx, clinic, doctors, callSid, {
        ...options,
        holder: phone ?? callSid,
        calendars: await calendarsFor(
          clinic.id,
          doctors.map((d) => d.id),
        ),
        ...(phoneCounts ? { counts: phoneCounts } : counts && prefetch.clinicId === clinic.id ? { counts } : {}),
      }),
    holdAt: async (clinic, doctor, slot, previous) =>
      holdAgain(ctx, clinic, doctor, slot, callSid, {
        holder: phone ?? callSid,
        calendars: await calendarsFor(clinic.id, [doctor.id]),
        ...(previous ? { previous } : {}),
      }),
    release: (held) => doctorDayStub(ctx.doctorDays, held.doctorId, held.date).release(callSid),
    confirm: async (held, chosen) => {
      if (!phone) return { kind: "no-caller-id" };
      return service.bookHeldSlot(scopeOf(held, chosen), held, { callSid, phone });
    },
    caller: async () => {
      if (!phone) return { kind: "withheld" };
      // One round trip: the upcoming appointments (the per-phone limit), the chosen language
      // and a time held for this caller from the waitlist.
      const d1 = db.$client;
      const { upcoming, language, held } = await runBatch(d1, {
        upcoming: upcomingForPhonePart(d1, phone, ctx.now),
        language: preferredLanguagePart(d1, phone),
        held: rowsOf<LiveOffer>(liveOfferForPhoneStatement(d1, phone, ctx.now.getTime())),
      });
      const waitlistOffer = held[0];
      return {
        kind: "known",
        upcoming,
        ...(language ? { language } : {}),
        ...(waitlistOffer ? { waitlistOffer } : {}),
      };
    },
    upcoming: async () => {
      if (!phone) return [];
      if (!prefetch.moveFromPhone) return service.upcomingForPhone(phone);
      // A move may be offered next: the booked counts of the phone's clinics come in the same
      // batch, so the offer still takes three round trips (counts, peek, hold) in all.
      const d1 = db.$client;
      const { upcoming, counts } = await runBatch(d1, {
        upcoming: upcomingForPhonePart(d1, phone, ctx.now),
        counts: bookedCountsForPhonePart(d1, phone, ctx.now, ctx.config),
      });
      phoneCounts = Promise.resolve(counts);
      return upcoming;
    },
    cancelAppointment: (appointmentId) => (phone ? service.cancelByCall(phone, appointmentId) : Promise.resolve(null)),
    move: async (held, appointmentId, chosen) => {
      if (!phone) return { kind: "no-caller-id" };
      return service.move({
        scope: scopeOf(held, chosen),
        held,
        call: { callSid, phone },
        appointmentId,
        // The SMS names the number to call back: the one this caller dialled.
        line: call.line ?? ctx.config.sms.lineNumber,
      });
    },
    outboundCall: async (ref, answered) => {
      const row = ref.id !== undefined ? await callById(db, ref.id) : await callByProviderId(db, callSid.slice(0, 64));
      // Only the patient the row called: a request naming another number's call changes nothing.
      if (!row || !phone || row.toNumber !== phone) return null;
      if (answered) {
        const attempt = ref.attempt ?? (row.status === "placing" ? row.calls + 1 : row.calls);
        const live = await callEvent(ctx, row, attempt, { ended: false, answered: true, ...answered }, ctx.now);
        if (!live) return null;
      } else if (!row.answeredAt || !["ringing", "answered"].includes(row.status)) return null;
      if (row.waitlistOfferId !== null)
        return { id: row.id, purpose: row.purpose, appointment: null, waitlistOfferId: row.waitlistOfferId };
      const appointment = (await service.upcomingForPhone(phone)).find((a) => a.id === row.appointmentId) ?? null;
      return { id: row.id, purpose: row.purpose, appointment };
    },
    noteOutbound: (id, outcome) => noteOutcome(db, id, outcome, ctx.now),
    confirmAppointment: async (appointmentId) =>
      phone ? service.confirmAttendance(phone, appointmentId) : Promise.resolve(false),
    stopReminderCalls: async () => {
      if (phone) await stopReminderCalls(db, phone, ctx.now);
    },
    joinWaitlist: async (scope) => {
      if (!phone) return { kind: "no-caller-id" };
      return service.joinWaitlist(phone, {
        clinicId: scope.clinicId,
        doctorId: scope.doctorId ?? 0,
        specializationId: scope.specializationId ?? 0,
        fromDate: scope.fromDate,
        toDate: scope.toDate,
      });
    },
    waitlistOffer: async () =>
      phone
        ? ((await liveOfferForPhoneStatement(db.$client, phone, ctx.now.getTime()).first<LiveOffer>()) ?? null)
        : null,
    takeWaitlistOffer: async (offerId) => {
      if (!phone) return { kind: "no-caller-id" };
      return service.takeWaitlistOffer(offerId, phone);
    },
    passWaitlistOffer: async (offerId) => (phone ? service.passWaitlistOffer(offerId, phone) : false),
    rememberLanguage: async (language) => {
      // A hidden number has nowhere to keep a choice; the call goes on in it all the same.
      if (phone) await rememberLanguage(db, phone, language);
    },
    now: () => ctx.now,
  };
}

/** Steps after which the caller may hear an offered time. */
function mayOffer(step: Step, state: CallState, digits: string | undefined): boolean {
  if (step === "bookingType") return digits === "1";
  // At the offer 1 books and 3 opens "other times and days"; there, 2 asks for a day.
  const offers = state.others ? digits !== ANOTHER_DAY_KEY : digits !== "1" && digits !== OTHER_TIMES_KEY;
  return step === "specialization" || step === "doctor" || step === "day" || (step === "confirm" && offers);
}

/** Steps after which the caller may hear a time to move an appointment to, found from their appointments. */
function mayOfferMove(step: Step, state: CallState, digits: string | undefined): boolean {
  return (step === "mine" && digits === "3") || (step === "pick" && state.act === "move");
}

/** What to read early for this step: the clinic's booked counts, or the caller's, when an offer may follow. */
export function prefetchFor(
  step: Step,
  state: CallState,
  digits: string | undefined,
): { clinicId?: number; moveFromPhone?: boolean } {
  return {
    ...(mayOffer(step, state, digits) && state.clinic !== undefined ? { clinicId: state.clinic } : {}),
    ...(mayOfferMove(step, state, digits) ? { moveFromPhone: true } : {}),
  };
}
