/**
 * Twilio's voice webhooks. Paths are the seed system's, so an existing number's Voice URL
 * can point here unchanged; each is accepted with or without the trailing slash.
 * Whatever goes wrong inside, Twilio gets 200 and TwiML that apologises and hangs up.
 */
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { BookingContext } from "../booking/context.ts";
import { currentHold, holdEarliest } from "../booking/offer.ts";
import { BookingService } from "../booking/service.ts";
import type { AppEnv } from "../context.ts";
import { database, type Db } from "../db/client.ts";
import * as directory from "../db/directory.ts";
import { callLog } from "../db/schema.ts";
import { parseCallState } from "../ivr/call-state.ts";
import { apologyVerbs, IVR_PATHS, runIvr, type IvrPorts, type Step } from "../ivr/flow.ts";
import { prompts, type Language } from "../ivr/prompts.ts";
import { callerNumber } from "../patients/phone.ts";
import { publicUrl, twilioWebhook } from "../middleware/twilio-webhook.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import { twimlResponse } from "../twilio/twiml.ts";

function ports(ctx: BookingContext, call: { callSid: string; from: string | undefined; lang: Language }): IvrPorts {
  const { callSid } = call;
  const { db } = ctx;
  const phone = callerNumber(call.from);
  const service = new BookingService(ctx, prompts(call.lang));
  return {
    states: () => directory.listStates(db),
    districts: (stateId) => directory.listDistricts(db, stateId),
    clinics: (districtId) => directory.listClinics(db, districtId),
    clinic: (clinicId) => directory.getClinic(db, clinicId),
    specializations: (clinicId) => directory.listClinicSpecializations(db, clinicId),
    doctors: (clinicId, specializationId) => directory.listDoctors(db, clinicId, specializationId),
    holdEarliest: (clinic, doctors, options) =>
      holdEarliest(ctx, clinic, doctors, callSid, { ...options, holder: phone ?? callSid }),
    currentHold: (clinic, doctor, held) => currentHold(ctx, clinic, doctor, held, callSid),
    release: (held) => doctorDayStub(ctx.doctorDays, held.doctorId, held.date).release(callSid),
    confirm: (clinic, offer) =>
      phone ? service.bookHeldSlot(clinic, offer, { callSid, phone }) : Promise.resolve({ kind: "no-caller-id" }),
    caller: async () =>
      phone ? { kind: "known", upcoming: (await service.upcomingForPhone(phone)).length } : { kind: "withheld" },
    now: () => ctx.now,
  };
}

/** Appends this step to the call's log; never allowed to fail the call. */
async function logStep(db: Db, params: Record<string, string>, step: Step, outcome: string | undefined): Promise<void> {
  const entry = JSON.stringify({ step, digits: params.Digits ?? null, at: new Date().toISOString() });
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
      return twimlResponse(apologyVerbs(prompts(lang)));
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
        smsQueue: c.env.SMS_QUEUE,
      };
      const output = await runIvr(
        { step, state, digits: params.Digits },
        ports(ctx, { callSid, from: params.From, lang: state.lang }),
        { ...config, reason: { ...config.reason, origin: ctx.origin } },
      );
      after(logStep(db, params, step, output.outcome));
      return twimlResponse(output.verbs);
    } catch (error) {
      console.error(`IVR step ${step} failed for call ${callSid}:`, error);
      after(logStep(db, params, step, "fault"));
      return twimlResponse(apologyVerbs(prompts(lang)));
    }
  });
}
