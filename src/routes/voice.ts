/**
 * Twilio's voice webhooks. Paths are the seed system's, so an existing number's Voice URL
 * can point here unchanged; each is accepted with or without the trailing slash.
 * Whatever goes wrong inside, Twilio gets 200 and TwiML that apologises and hangs up.
 */
import { Hono } from "hono";
import { confirmBooking } from "../booking/confirm.ts";
import { currentHold, holdEarliest, type BookingContext } from "../booking/offer.ts";
import type { AppEnv } from "../context.ts";
import { database, type Db } from "../db/client.ts";
import * as directory from "../db/directory.ts";
import { callLog } from "../db/schema.ts";
import { parseCallState } from "../ivr/call-state.ts";
import { apologyVerbs, IVR_PATHS, runIvr, type IvrPorts, type Step } from "../ivr/flow.ts";
import type { HeardSpeech } from "../ivr/speech.ts";
import { preferredLanguage, rememberLanguage } from "../patients/language.ts";
import { normalizePhone } from "../patients/phone.ts";
import { publicUrl, twilioWebhook } from "../middleware/twilio-webhook.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import { enqueueJobs, type SmsJob } from "../sms/outbox.ts";
import { twimlResponse } from "../twilio/twiml.ts";
import { wordsFor, type Language } from "../words/index.ts";
import { sql } from "drizzle-orm";

function ports(
  ctx: BookingContext,
  queue: Queue<SmsJob>,
  call: { callSid: string; from: string | undefined; lang: Language },
): IvrPorts {
  const { callSid, from } = call;
  const { db } = ctx;
  const phone = normalizePhone(from);
  return {
    states: () => directory.listStates(db),
    districts: (stateId) => directory.listDistricts(db, stateId),
    clinics: (districtId) => directory.listClinics(db, districtId),
    clinic: (clinicId) => directory.getClinic(db, clinicId),
    specializations: (clinicId) => directory.listClinicSpecializations(db, clinicId),
    doctors: (clinicId, specializationId) => directory.listDoctors(db, clinicId, specializationId),
    holdEarliest: (clinic, doctors, options) =>
      holdEarliest(ctx, clinic, doctors, callSid, { ...options, holder: normalizePhone(from) ?? callSid }),
    currentHold: (clinic, doctor, held) => currentHold(ctx, clinic, doctor, held, callSid),
    release: (held) => doctorDayStub(ctx.doctorDays, held.doctorId, held.date).release(callSid),
    confirm: async (clinic, offer) => {
      const words = wordsFor(call.lang, ctx.config.voices[call.lang]);
      const result = await confirmBooking(ctx, words, clinic, offer, { callSid, from });
      if (result.kind === "booked") {
        // Queue the SMS (and a first-time patient's account) before answering: one cheap
        // send. If it fails the booking still stands and the cron sweep queues them later.
        const { booking } = result;
        try {
          await enqueueJobs(queue, [
            ...booking.smsIds.map((outboxId) => ({ outboxId })),
            ...(booking.needsAccount ? [{ accountFor: booking.phone, callbackBase: ctx.origin }] : []),
          ]);
        } catch (error) {
          console.error(`queueing SMS for call ${callSid} failed; the sweep will send them:`, error);
        }
      }
      return result;
    },
    callerProfile: async () => {
      if (!phone) return null;
      const language = await preferredLanguage(db, phone);
      return language ? { language } : {};
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

/** Appends this step to the call's log; never allowed to fail the call. */
async function logStep(db: Db, params: Record<string, string>, step: Step, outcome: string | undefined): Promise<void> {
  const entry = JSON.stringify({
    step,
    digits: params.Digits ?? null,
    ...(params.SpeechResult ? { speech: params.SpeechResult, confidence: params.Confidence ?? null } : {}),
    at: new Date().toISOString(),
  });
  await db
    .insert(callLog)
    .values({
      callSid: params.CallSid!,
      fromNumber: params.From ?? null,
      toNumber: params.To ?? null,
      steps: `[${entry}]`,
      outcome: outcome ?? null,
    })
    .onConflictDoUpdate({
      target: callLog.callSid,
      set: {
        steps: sql`json_insert(${callLog.steps}, '$[#]', json(${entry}))`,
        outcome: sql`coalesce(${outcome ?? null}, ${callLog.outcome})`,
        updatedAt: new Date().toISOString(),
      },
    });
}

export const voice = new Hono<AppEnv>({ strict: false });

voice.use("*", twilioWebhook);

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
    const after = (p: Promise<unknown>) =>
      c.executionCtx.waitUntil(
        p.catch((error) => console.error(`after-response work failed for call ${callSid}:`, error)),
      );
    try {
      const state = parseCallState(new URL(c.req.url).searchParams, lang);
      const ctx: BookingContext = {
        db,
        config,
        doctorDays: c.env.DOCTOR_DAY,
        now: new Date(),
        origin: new URL(publicUrl(c.req.url, config.publicBaseUrl)).origin,
      };
      const output = await runIvr(
        { step, state, digits: params.Digits, speech: heardSpeech(params) },
        ports(ctx, c.env.SMS_QUEUE, { callSid, from: params.From, lang: state.lang }),
        config,
      );
      after(logStep(db, params, step, output.outcome));
      return twimlResponse(output.verbs);
    } catch (error) {
      console.error(`IVR step ${step} failed for call ${callSid}:`, error);
      after(logStep(db, params, step, "fault"));
      const callLanguage = parseCallState(new URL(c.req.url).searchParams, lang).lang;
      return twimlResponse(apologyVerbs(wordsFor(callLanguage, config.voices[callLanguage])));
    }
  });
}
