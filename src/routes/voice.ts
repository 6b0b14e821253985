/**
 * Twilio's voice webhooks. Paths are the seed system's, so an existing number's Voice URL
 * can point here unchanged; each is accepted with or without the trailing slash.
 * Whatever goes wrong inside, Twilio gets 200 and TwiML that apologises and hangs up.
 */
import { Hono } from "hono";
import type { BookingContext } from "../booking/context.ts";
import { asPatientAppointments, upcomingForPhoneStatement, type PatientAppointment } from "../booking/cancel.ts";
import { bookedCountsForPhoneStatement, countsOf } from "../booking/move.ts";
import { holdAgain } from "../booking/hold-again.ts";
import { bookedCounts, holdEarliest, type BookedCounts, type HeldSlot } from "../booking/offer.ts";
import { BookingService } from "../booking/service.ts";
import type { AppEnv } from "../context.ts";
import { database, type Db } from "../db/client.ts";
import { directory } from "../db/directory-cache.ts";
import { recordHoldStatement } from "../slots/call-holds.ts";
import { callStatus } from "./call-status.ts";
import { parseCallState, type CallState } from "../ivr/call-state.ts";
import {
  ANOTHER_DAY_KEY,
  apologyVerbs,
  IVR_PATHS,
  OTHER_TIMES_KEY,
  runIvr,
  type IvrPorts,
  type Step,
} from "../ivr/flow.ts";
import type { HeardSpeech } from "../ivr/speech.ts";
import { log } from "../log.ts";
import { preferredLanguageStatement, rememberLanguage } from "../patients/language.ts";
import { callerNumber } from "../patients/phone.ts";
import { publicUrl, twilioWebhook } from "../middleware/twilio-webhook.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import { twimlResponse } from "../twilio/twiml.ts";
import { isLanguage, wordsFor, type Language } from "../words/index.ts";
import { loadPacks } from "../prompts/store.ts";

/**
 * The flow's ports for one request. The directory is read at once (from the isolate's copy, or
 * one D1 batch). When it has to come from D1 and the step may offer a time, the clinic's
 * booked counts are read beside it, so the offer still takes three round trips; with the
 * directory at hand they are read when the offer needs them, and menus cost none.
 */
function ports(
  ctx: BookingContext,
  call: { callSid: string; from: string | undefined; lang: Language },
  prefetch: { clinicId?: number; moveFromPhone?: boolean },
): IvrPorts {
  const { callSid } = call;
  const { db } = ctx;
  const phone = callerNumber(call.from);
  const service = new BookingService(ctx, wordsFor(call.lang, ctx.config.voices[call.lang]));
  const dir = directory(db, ctx.now, ctx.config.directoryCacheMs);
  const counts = prefetch.clinicId === undefined ? undefined : bookedCounts(db, prefetch.clinicId, ctx.now, ctx.config);
  // Read eagerly; a failure surfaces where the value is awaited, never as an unhandled rejection.
  dir.catch(() => undefined);
  counts?.catch(() => undefined);
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
        calendars: (await dir).calendars(doctors.map((d) => d.id)),
        ...(phoneCounts ? { counts: phoneCounts } : counts && prefetch.clinicId === clinic.id ? { counts } : {}),
      }),
    holdAt: async (clinic, doctor, slot, previous) =>
      holdAgain(ctx, clinic, doctor, slot, callSid, {
        holder: phone ?? callSid,
        calendars: (await dir).calendars([doctor.id]),
        ...(previous ? { previous } : {}),
      }),
    release: (held) => doctorDayStub(ctx.doctorDays, held.doctorId, held.date).release(callSid),
    confirm: async (held, chosen) => {
      if (!phone) return { kind: "no-caller-id" };
      return service.bookHeldSlot(scopeOf(held, chosen), held, { callSid, phone });
    },
    caller: async () => {
      if (!phone) return { kind: "withheld" };
      // One round trip: the upcoming appointments (the per-phone limit) and the chosen language.
      const d1 = db.$client;
      const [upcoming, chosen] = await d1.batch<Record<string, unknown>>([
        upcomingForPhoneStatement(d1, phone, ctx.now),
        preferredLanguageStatement(d1, phone),
      ]);
      const language = String(chosen?.results[0]?.language ?? "");
      const appointments = asPatientAppointments(upcoming!.results as Omit<PatientAppointment, "startMinute">[]);
      return { kind: "known", upcoming: appointments, ...(isLanguage(language) ? { language } : {}) };
    },
    upcoming: async () => {
      if (!phone) return [];
      if (!prefetch.moveFromPhone) return service.upcomingForPhone(phone);
      // A move may be offered next: the booked counts of the phone's clinics come in the same
      // batch, so the offer still takes three round trips (counts, peek, hold) in all.
      const d1 = db.$client;
      const [upcoming, counts] = await d1.batch<Record<string, unknown>>([
        upcomingForPhoneStatement(d1, phone, ctx.now),
        bookedCountsForPhoneStatement(d1, phone, ctx.now, ctx.config),
      ]);
      phoneCounts = Promise.resolve(countsOf(counts!.results));
      return asPatientAppointments(upcoming!.results as Omit<PatientAppointment, "startMinute">[]);
    },
    cancelAppointment: (appointmentId) => (phone ? service.cancelByCall(phone, appointmentId) : Promise.resolve(null)),
    move: async (held, appointmentId, chosen) => {
      if (!phone) return { kind: "no-caller-id" };
      return service.move({
        scope: scopeOf(held, chosen),
        held,
        call: { callSid, phone },
        appointmentId,
        line: ctx.config.phoneNumber,
      });
    },
    rememberLanguage: async (language) => {
      // A hidden number has nowhere to keep a choice; the call goes on in it all the same.
      if (phone) await rememberLanguage(db, phone, language);
    },
    now: () => ctx.now,
  };
}

/** Twilio's SpeechResult and Confidence, when the caller spoke at a Gather that listens. */
function heardSpeech(params: Record<string, string>): HeardSpeech | undefined {
  const text = params.SpeechResult?.trim();
  if (!text) return undefined;
  const confidence = Number(params.Confidence);
  return params.Confidence && Number.isFinite(confidence) ? { text, confidence } : { text };
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

/**
 * Appends this step to the call's log, with the hold the step made noted in the same batch (one
 * write after the answer); never allowed to fail the call.
 */
async function logStep(
  db: Db,
  params: Record<string, string>,
  step: Step,
  outcome: string | undefined,
  held?: HeldSlot,
): Promise<void> {
  const entry = JSON.stringify({
    step,
    // Capped at write time: Twilio's fields are short, and nothing else should make a row large.
    digits: params.Digits?.slice(0, 32) ?? null,
    // What the caller said is free text: capped here, and gone with the call log after its retention period.
    ...(params.SpeechResult
      ? { speech: params.SpeechResult.slice(0, 300), confidence: params.Confidence?.slice(0, 16) ?? null }
      : {}),
    at: new Date().toISOString(),
  });
  const d1 = db.$client;
  const callSid = params.CallSid!.slice(0, 64);
  const log = d1
    .prepare(
      `INSERT INTO call_log (call_sid, from_number, to_number, steps, outcome, created_at) VALUES (?1, ?2, ?3, json_array(json(?4)), ?5, ?6)
       ON CONFLICT (call_sid) DO UPDATE SET steps = json_insert(steps, '$[#]', json(?4)),
         outcome = coalesce(?5, outcome), updated_at = ?6`,
    )
    .bind(
      callSid,
      params.From?.slice(0, 32) ?? null,
      params.To?.slice(0, 32) ?? null,
      entry,
      outcome ?? null,
      new Date().toISOString(),
    );
  await d1.batch(held ? [log, recordHoldStatement(d1, callSid, held)] : [log]);
}

export const voice = new Hono<AppEnv>({ strict: false });

voice.use("*", twilioWebhook);

// The call status callback: a call that ended lets go of its holds (see slots/call-holds.ts).
voice.post("/status", callStatus);

for (const [step, path] of Object.entries(IVR_PATHS) as [Step, string][]) {
  // Registered without the trailing slash; strict: false then accepts both forms.
  voice.post(path.replace(/^\/api\/ivr/, "").replace(/\/$/, ""), async (c) => {
    const { config, params } = c.var;
    const callSid = params.CallSid;
    const lang = config.defaultLanguage;
    if (!callSid) {
      // Not a call at all; nothing to hold or book against.
      return twimlResponse(apologyVerbs(wordsFor(lang, config.voices[lang])));
    }
    const db = database(c.env.DB);
    // The call log is written after the answer has gone (a macrotask later), so the caller never waits for it.
    const after = (work: () => Promise<unknown>) =>
      c.executionCtx.waitUntil(
        new Promise((resolve) => setTimeout(resolve, 0))
          .then(work)
          .catch((error) => log.error("after-response work failed", { callSid, error })),
      );
    try {
      const state = parseCallState(new URL(c.req.url).searchParams, lang);
      const ctx: BookingContext = {
        db,
        config,
        doctorDays: c.env.DOCTOR_DAY,
        now: new Date(),
        origin: new URL(publicUrl(c.req.url, config.publicBaseUrl)).origin,
        smsQueue: c.env.SMS_QUEUE,
      };
      const output = await runIvr(
        {
          step,
          state,
          digits: params.Digits,
          speech: heardSpeech(params),
          ...(params.DialCallStatus ? { dialStatus: params.DialCallStatus } : {}),
        },
        ports(
          ctx,
          { callSid, from: params.From, lang: state.lang },
          {
            ...(mayOffer(step, state, params.Digits) && state.clinic !== undefined ? { clinicId: state.clinic } : {}),
            ...(mayOfferMove(step, state, params.Digits) ? { moveFromPhone: true } : {}),
          },
        ),
        {
          ...config,
          reason: { ...config.reason, origin: ctx.origin },
          packs: await loadPacks(c.env.PROMPTS, config.promptPacks, ctx.origin),
        },
      );
      const { held } = output;
      // The hold is noted with the log, after the answer: it costs the caller no round trip.
      after(() => logStep(db, params, step, output.outcome, held));
      return twimlResponse(output.verbs);
    } catch (error) {
      log.error("IVR step failed", { step, callSid, error });
      after(() => logStep(db, params, step, "fault"));
      const callLanguage = parseCallState(new URL(c.req.url).searchParams, lang).lang;
      return twimlResponse(apologyVerbs(wordsFor(callLanguage, config.voices[callLanguage])));
    }
  });
}
