/**
 * The reason for the visit on the call: asked after the token, answered by speech (or
 * skipped), checked for red flags at once (108 advice in the caller's language), stored
 * against the call's own appointment in the background, then summarised by the queue.
 * Faults in any of that leave the booking and its SMS as they were.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index.ts";
import { SUMMARY_DELAY_SECONDS } from "../src/booking/service.ts";
import { database } from "../src/db/client.ts";
import { DoctorSummary } from "../src/reasons/DoctorSummary.tsx";
import { readSummary } from "./support/health-reads.ts";
import type { Job } from "../src/jobs/queue.ts";
import { CATALOGUES } from "../src/words/index.ts";
import { SimulatedCall, signedPost } from "../tools/twilio-caller.ts";
import { parseTwiml, textOf, twimlProblems, type TwimlElement } from "../tools/twiml-reader.ts";
import { bookEarliest, contextAt } from "./support/clinic.ts";
import { faultyEnv, plan } from "./support/faults.ts";
import { AUTH_TOKEN, BASE_URL, choose, heard, newCall, overHttp, post } from "./support/line.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const WEDNESDAY_9AM_IST = new Date("2026-12-02T03:30:00Z");
let phones = 0;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(WEDNESDAY_9AM_IST);
});
afterEach(() => vi.useRealTimers());

/** Books clinic 2's next slot and returns the call, its appointment and the reason question's TwiML. */
async function bookedCall(): Promise<{ call: SimulatedCall; appointmentId: number; question: TwimlElement }> {
  const call = newCall(`+9188100${String(++phones).padStart(5, "0")}`);
  await call.dial();
  await call.press("2"); // Puttur Town Clinic
  await call.press("1"); // next available
  const booked = await call.press("1");
  expect(heard(booked)).toContain("Your token is");
  expect(heard(booked)).toContain("To hear your token again, press star.");
  // Silence at "hear your token again" goes on to the reason question, in the same document.
  const asked = await call.press(undefined);
  expect(heard(asked)).toBe(CATALOGUES.en.reasonAskBySpeech);
  expect(asked.responses).toEqual([]);
  const last = booked.responses.at(-1)!;
  expect(twimlProblems(parseTwiml(last.body), "voice")).toEqual([]);
  const appointment = await env.DB.prepare("SELECT id FROM appointments WHERE call_sid = ?")
    .bind(call.callSid)
    .first<{ id: number }>();
  return { call, appointmentId: appointment!.id, question: parseTwiml(last.body) };
}

/** The reason question's Gather (after the booking, the first Gather offers the token again). */
function gatherOf(root: TwimlElement): TwimlElement {
  const gather = root.children.find(
    (c): c is TwimlElement =>
      typeof c !== "string" && c.name === "Gather" && (c.attributes.action ?? "").startsWith("/api/ivr/reason/"),
  );
  expect(gather).toBeDefined();
  return gather!;
}

function answer(call: SimulatedCall, action: string, params: Record<string, string>): Promise<Response> {
  return post(action, { CallSid: call.callSid, From: "+918810000000", ...params });
}

async function reasonRow(appointmentId: number) {
  return env.DB.prepare("SELECT * FROM visit_reasons WHERE appointment_id = ?")
    .bind(appointmentId)
    .first<Record<string, unknown>>();
}

async function bookingIntact(appointmentId: number) {
  const row = await env.DB.prepare(
    `SELECT a.status, (SELECT count(*) FROM sms_outbox s WHERE s.appointment_id = a.id AND s.purpose = 'booking') AS sms
       FROM appointments a WHERE a.id = ?`,
  )
    .bind(appointmentId)
    .first<{ status: string; sms: number }>();
  expect(row).toEqual({ status: "booked", sms: 1 });
}

describe("the reason question after the token", () => {
  it("asks by speech in en-IN, skippable with # or silence, after the booking is said", async () => {
    const { question } = await bookedCall();
    const said = question.children.filter((c): c is TwimlElement => typeof c !== "string");
    expect(said.map((c) => c.name)).toEqual(["Say", "Say", "Gather", "Gather", "Say", "Hangup"]);
    expect(textOf(said[0]!)).toContain("Your token is");
    expect(textOf(said[1]!)).toBe("You will receive an SMS with these details.");
    said.splice(1, 1); // the SMS notice: the steps below are the token's and the reason's
    // First the token step (star repeats it), then the reason question.
    expect(said[1]!.attributes.action).toMatch(/^\/api\/ivr\/booked\/\?lang=en&token=[A-Z]+-\d+&appointment=\d+$/);
    expect(said[2]).toBe(gatherOf(question));
    const gather = gatherOf(question);
    expect(gather.attributes).toMatchObject({
      input: "dtmf speech",
      language: "en-IN",
      finishOnKey: "#",
      speechTimeout: "auto",
      speechModel: "googlev2_telephony",
    });
    expect(gather.attributes.action).toMatch(/^\/api\/ivr\/reason\/\?lang=en&appointment=\d+$/);
    expect(textOf(gather)).toBe(CATALOGUES.en.reasonAskBySpeech);
    expect(textOf(said[3]!)).toBe("Thank you for calling. Goodbye.");
  });

  it("after star says the token again, then asks the reason for the same appointment", async () => {
    const call = newCall("+918810099999");
    await call.dial();
    await call.press("2");
    await call.press("1");
    await call.press("1");
    const again = await call.press("*");
    expect(heard(again)).toMatch(
      /^Your token is [A-Z ]+, \d+\. So the doctor knows before you come, please tell us in a few words what the trouble is/,
    );
    const root = parseTwiml(again.responses.at(-1)!.body);
    expect(twimlProblems(root, "voice")).toEqual([]);
    const appointment = await env.DB.prepare("SELECT id FROM appointments WHERE call_sid = ?")
      .bind(call.callSid)
      .first<{ id: number }>();
    expect(gatherOf(root).attributes.action).toBe(`/api/ivr/reason/?lang=en&appointment=${appointment!.id}`);
    const answered = await call.speak("fever and cough for three days");
    expect(heard(answered)).toBe("Thank you. We have noted it for the doctor. Thank you for calling. Goodbye.");
    expect(answered.ended).toBe(true);
  });

  it("stores a spoken reason against the call's appointment and summarises it with the fallback", async () => {
    const { call, appointmentId, question } = await bookedCall();
    const response = await answer(call, gatherOf(question).attributes.action!, {
      SpeechResult: "Follow up for my sugar and knee pain",
      Confidence: "0.91",
    });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(textOf(parseTwiml(body))).toContain("Thank you. We have noted it for the doctor.");
    expect(body).not.toContain("1 0 8");

    await vi.waitFor(async () => expect(await reasonRow(appointmentId)).not.toBeNull(), BACKGROUND_WAIT);
    expect(await reasonRow(appointmentId)).toMatchObject({
      method: "speech",
      language: "en",
      transcript: "Follow up for my sugar and knee pain",
      transcription_status: "done",
      red_flags: "[]",
      recording_sid: null,
    });
    const summary = await vi.waitFor(async () => {
      const row = await env.DB.prepare("SELECT * FROM visit_summaries WHERE appointment_id = ?")
        .bind(appointmentId)
        .first<Record<string, unknown>>();
      expect(row?.text).toContain("Reason: Follow up for my sugar");
      return row!;
    }, BACKGROUND_WAIT);
    // No AI binding in tests (nor locally): the keyword fallback, and it says why.
    expect(summary).toMatchObject({ method: "fallback", fallback_cause: "no-binding", model: null });
    // What the doctor's queue row shows (clinic 2's doctor is Dr. Anil Bhat, id 3).
    const doctor = { role: "doctor" as const, clinicIds: [2], doctorId: 3 };
    const view = await readSummary(database(env.DB), doctor, appointmentId);
    const html = String(await DoctorSummary({ summary: view, urgency: view! }));
    expect(html).toContain("<li>Reason: Follow up for my sugar and knee pain</li>");
    expect(html).toContain("Keyword summary (AI summaries are not set up here)");
    const urgent = await env.DB.prepare("SELECT urgent FROM appointments WHERE id = ?").bind(appointmentId).first();
    expect(urgent).toEqual({ urgent: 0 });
  });

  it("tells a red-flag caller to call 108 now, twice, and marks the appointment urgent", async () => {
    const { call, appointmentId, question } = await bookedCall();
    const body = await (
      await answer(call, gatherOf(question).attributes.action!, { SpeechResult: "chest pain since morning" })
    ).text();
    const says = parseTwiml(body).children.filter((c): c is TwimlElement => typeof c !== "string");
    expect(says.map((c) => (c.name === "Say" ? textOf(c) : c.name))).toEqual([
      CATALOGUES.en.reasonEmergency,
      CATALOGUES.en.reasonEmergency,
      "Thank you for calling. Goodbye.",
      "Hangup",
    ]);
    expect(CATALOGUES.en.reasonEmergency).toContain("call 1 0 8 for an ambulance now");
    await vi.waitFor(async () => {
      const row = await env.DB.prepare(
        "SELECT a.urgent, r.red_flags FROM appointments a JOIN visit_reasons r ON r.appointment_id = a.id WHERE a.id = ?",
      )
        .bind(appointmentId)
        .first();
      expect(row).toEqual({ urgent: 1, red_flags: '["chest-pain"]' });
    }, BACKGROUND_WAIT);
    await bookingIntact(appointmentId);
  });

  it.each([
    ["hi", "सीने में दर्द हो रहा है", CATALOGUES.hi.reasonEmergency, "hi-IN"],
    ["kn", "ಉಸಿರಾಟದ ತೊಂದರೆ ಇದೆ", CATALOGUES.kn.reasonEmergency, "kn-IN"],
  ])("gives the advice in the caller's language (%s)", async (lang, speech, advice, language) => {
    const { call, appointmentId } = await bookedCall();
    const body = await (
      await answer(call, `/api/ivr/reason/?lang=${lang}&appointment=${appointmentId}`, { SpeechResult: speech })
    ).text();
    const root = parseTwiml(body);
    expect(twimlProblems(root, "voice")).toEqual([]);
    const first = root.children[0] as TwimlElement;
    expect(textOf(first)).toBe(advice);
    expect(first.attributes.language).toBe(language);
    expect(advice).toContain("108");
    await vi.waitFor(async () => expect((await reasonRow(appointmentId))?.language).toBe(lang), BACKGROUND_WAIT);
  });

  it("goes on to goodbye on # or an empty answer, and stores nothing", async () => {
    const { call, appointmentId, question } = await bookedCall();
    const action = gatherOf(question).attributes.action!;
    for (const params of [{ Digits: "#" }, { SpeechResult: "   " }, {}] as Record<string, string>[]) {
      const body = await (await answer(call, action, params)).text();
      expect(textOf(parseTwiml(body))).toBe("Thank you for calling. Goodbye.");
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(await reasonRow(appointmentId)).toBeNull();
  });

  it("writes nothing for another call's appointment (a tampered URL), yet still gives the advice", async () => {
    const victim = await bookedCall();
    const other = await bookedCall();
    const body = await (
      await answer(other.call, `/api/ivr/reason/?lang=en&appointment=${victim.appointmentId}`, {
        SpeechResult: "snake bite on my leg",
      })
    ).text();
    expect(body).toContain("1 0 8");
    await new Promise((r) => setTimeout(r, 100));
    expect(await reasonRow(victim.appointmentId)).toBeNull();
    const urgent = await env.DB.prepare("SELECT urgent FROM appointments WHERE id = ?")
      .bind(victim.appointmentId)
      .first();
    expect(urgent).toEqual({ urgent: 0 });
  });

  it("refuses an unsigned or mis-signed reason with 403 and stores nothing", async () => {
    const { call, appointmentId } = await bookedCall();
    const url = `${BASE_URL}/api/ivr/reason/?lang=en&appointment=${appointmentId}`;
    const form = new URLSearchParams({ CallSid: call.callSid, SpeechResult: "heart attack" }).toString();
    const unsigned = await worker.fetch(
      overHttp(url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form,
      }),
      env,
      createExecutionContext(),
    );
    expect(unsigned.status).toBe(403);
    const wrongKey = await signedPost(
      async (u, init) => worker.fetch(overHttp(u, init), env, createExecutionContext()),
      "not-the-token",
      url,
      { CallSid: call.callSid, SpeechResult: "heart attack" },
    );
    expect(wrongKey.status).toBe(403);
    await new Promise((r) => setTimeout(r, 50));
    expect(await reasonRow(appointmentId)).toBeNull();
  });
});

describe("faults in the reason never touch the booking", () => {
  let errors: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
  });
  afterEach(() => errors.mockRestore());

  async function answerThrough(p: ReturnType<typeof plan>, path: string, params: Record<string, string>) {
    const ctx = createExecutionContext();
    const response = await signedPost(
      async (u, init) => worker.fetch(overHttp(u, init), faultyEnv(env, p), ctx),
      AUTH_TOKEN,
      `${BASE_URL}${path}`,
      params,
    );
    await waitOnExecutionContext(ctx);
    return response;
  }

  it.each([
    ["D1 throwing", plan("d1", 1)],
    ["the queue throwing", plan("queue", 1)],
  ])("with %s the caller still hears the 108 advice, and booking and SMS stand", async (_what, p) => {
    const { call, appointmentId } = await bookedCall();
    const response = await answerThrough(p, `/api/ivr/reason/?lang=en&appointment=${appointmentId}`, {
      CallSid: call.callSid,
      SpeechResult: "my baby has high fever",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("1 0 8");
    expect(p.fired).toBe(true);
    await bookingIntact(appointmentId);
    // What was logged names the appointment, never the words.
    for (const args of errors.mock.calls) expect(args.join(" ")).not.toMatch(/baby|fever/);
  });
});

describe("the summary of a new booking", () => {
  it("is queued with the booking's SMS in one send, delayed so the reason (and the SMS) come first", async () => {
    const sent: { body: unknown; delaySeconds?: number }[] = [];
    const recorder = {
      send: async () => undefined,
      sendBatch: async (messages: { body: unknown; delaySeconds?: number }[]) => void sent.push(...messages),
    } as unknown as Queue<Job>;
    const ctx = { ...contextAt(new Date("2026-12-02T03:30:00Z")), jobs: recorder };
    const { result } = await bookEarliest(ctx, 4, "+918830000001", "CAsummary-on-booking");
    expect(result?.kind).toBe("booked");
    const appointmentId = result!.kind === "booked" ? result!.booking.appointmentId : 0;
    expect(sent).toContainEqual({ body: { summarise: appointmentId }, delaySeconds: SUMMARY_DELAY_SECONDS });
    expect(sent.filter((m) => "outboxId" in (m.body as object)).every((m) => m.delaySeconds === undefined)).toBe(true);
  });
});

describe("REASON_CAPTURE=off", () => {
  it("ends the call after the token step (star repeats the token), as before", async () => {
    const off = { ...env, REASON_CAPTURE: "off" } as Env;
    const call = new SimulatedCall({
      baseUrl: BASE_URL,
      authToken: AUTH_TOKEN,
      from: "+918830000002",
      fetch: async (url, init) => {
        const ctx = createExecutionContext();
        const response = await worker.fetch(overHttp(url, init), off, ctx);
        await waitOnExecutionContext(ctx);
        return response;
      },
    });
    await choose(call, await call.dial(), "Moodbidri Care Clinic");
    await call.press("1");
    const booked = await call.press("1");
    expect(heard(booked)).toContain("Your token is");
    expect(heard(booked)).toContain("To hear your token again, press star.");
    const bye = await call.press(undefined);
    expect(heard(bye)).toBe("Thank you for calling. Goodbye.");
    expect(bye.ended).toBe(true);
    expect(call.transcript.join(" ")).not.toContain("reason for your visit");
  });
});
