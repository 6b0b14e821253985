/**
 * Recorded reasons: the <Record> step where speech recognition does not serve the language,
 * the signed recording status callback, background transcription by Workers AI (faked) from
 * audio fetched with the account's credentials (msw), the doctor's player, and retention.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index.ts";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { askReasonVerbs } from "../src/ivr/reason-step.ts";
import type { ReasonJob } from "../src/jobs/queue.ts";
import { runReasonJob, sweepLostTranscriptions, TRANSCRIBE_ATTEMPTS } from "../src/reasons/jobs.ts";
import { recordingResponse } from "../src/reasons/read.ts";
import { purgeExpiredHealthData } from "../src/reasons/retention.ts";
import { SMS_LANGUAGES } from "../src/sms/templates/index.ts";
import { CATALOGUES } from "../src/words/index.ts";
import { renderTwiml } from "../src/twilio/twiml.ts";
import { SimulatedCall, signedPost, type Fetcher } from "../tools/twilio-caller.ts";
import { parseTwiml, textOf, twimlProblems, type TwimlElement } from "../tools/twiml-reader.ts";
import { mockServer } from "./setup.ts";
import { faultyEnv, plan } from "./support/faults.ts";
import { appointment, fakeAi, note, patient } from "./support/health.ts";
import { AUTH_TOKEN, BASE_URL, overHttp, post } from "./support/line.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const db = database(env.DB);
const config = readConfig(env);
const ACCOUNT = env.TWILIO_ACCOUNT_SID;
const EXPECTED_AUTH = `Basic ${btoa(`${ACCOUNT}:${AUTH_TOKEN}`)}`;
const AUDIO = new Uint8Array([0x49, 0x44, 0x33, 1, 2, 3, 4, 5]);
let sids = 0;
const recordingSid = () => `RE${String(++sids).padStart(32, "0")}`;
const recordingUrl = (sid: string, ext = "mp3") =>
  `https://twilio.test/2010-04-01/Accounts/${ACCOUNT}/Recordings/${sid}.${ext}`;

/** Twilio's recordings endpoint: the audio, only with the account's own credentials. */
function fakeRecording(sid: string, respond?: () => Response) {
  const seen: string[] = [];
  mockServer.use(
    http.get(recordingUrl(sid), ({ request }) => {
      seen.push(request.headers.get("authorization") ?? "");
      if (request.headers.get("authorization") !== EXPECTED_AUTH) return new HttpResponse(null, { status: 401 });
      return respond ? respond() : new HttpResponse(AUDIO, { headers: { "Content-Type": "audio/mpeg" } });
    }),
  );
  return seen;
}

async function recordedReason(sid: string, language = "kn"): Promise<number> {
  const id = await appointment(await patient("Recorded"), 1, `2027-04-0${(sids % 9) + 1}T0${sids % 5}:00:00.000Z`, {
    callSid: `CArec${sid}`,
  });
  await env.DB.prepare(
    `INSERT INTO visit_reasons (appointment_id, clinic_id, patient_id, language, method, transcription_status, recording_sid, recording_seconds)
     SELECT id, clinic_id, patient_id, ?, 'recording', 'pending', ?, 6 FROM appointments WHERE id = ?`,
  )
    .bind(language, sid, id)
    .run();
  return id;
}

async function reasonRow(id: number) {
  return env.DB.prepare("SELECT * FROM visit_reasons WHERE appointment_id = ?")
    .bind(id)
    .first<Record<string, unknown>>();
}

describe("the <Record> step", () => {
  it("records where speech is not served, with a short limit and an absolute, signed-route status callback", () => {
    const verbs = askReasonVerbs(
      { enabled: true, speechLanguages: ["en", "hi"], maxRecordSeconds: 20 },
      { lang: "kn", appointmentId: 5, origin: "https://line.test" },
    );
    const root = parseTwiml(renderTwiml(verbs));
    expect(twimlProblems(root, "voice")).toEqual([]);
    const [ask, record, bye] = root.children as TwimlElement[];
    expect(textOf(ask!)).toBe(CATALOGUES.kn.reasonAskByRecording);
    expect(ask!.attributes.language).toBe("kn-IN");
    expect(record!.name).toBe("Record");
    expect(record!.attributes).toMatchObject({
      action: "/api/ivr/reason/?lang=kn&appointment=5&via=recording",
      maxLength: "20",
      finishOnKey: "#",
      recordingStatusCallback: "https://line.test/api/ivr/recording-status/?lang=kn&appointment=5",
      recordingStatusCallbackEvent: "completed absent",
    });
    expect(textOf(bye!)).toBe(CATALOGUES.kn.goodbye);
    // The kn-IN switch (SPEECH_LANGUAGES, shared with the menus) turns the same step into speech.
    const speech = askReasonVerbs(
      { enabled: true, speechLanguages: ["en", "hi", "kn"], maxRecordSeconds: 20 },
      { lang: "kn", appointmentId: 5, origin: "https://line.test" },
    );
    expect(speech[0]).toMatchObject({ kind: "Gather", input: "dtmf speech", voice: { language: "kn-IN" } });
  });

  describe("on a real call with speech switched off for English", () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2026-12-09T03:30:00Z"));
    });
    afterEach(() => vi.useRealTimers());

    it("records after the token; the status callback stores the SID and the queue marks it untranscribed without AI", async () => {
      // SPEECH_LANGUAGES is the one switch: without "en", English menus take keys only and
      // English reasons are recorded.
      const recordingEnv = { ...env, SPEECH_LANGUAGES: "hi" } as Env;
      const fetcher: Fetcher = async (url, init) => {
        const ctx = createExecutionContext();
        const response = await worker.fetch(overHttp(url, init), recordingEnv, ctx);
        await waitOnExecutionContext(ctx);
        return response;
      };
      const call = new SimulatedCall({
        baseUrl: BASE_URL,
        authToken: AUTH_TOKEN,
        from: "+918820000001",
        fetch: fetcher,
      });
      await call.dial();
      await call.press("2");
      await call.press("1");
      const booked = await call.press("1");
      const root = parseTwiml(booked.responses.at(-1)!.body);
      const record = root.children.find((c): c is TwimlElement => typeof c !== "string" && c.name === "Record")!;
      expect(record.attributes.recordingStatusCallback).toMatch(
        /^https:\/\/line\.test\/api\/ivr\/recording-status\/\?lang=en&appointment=\d+$/,
      );
      const appointmentId = Number(/appointment=(\d+)/.exec(record.attributes.recordingStatusCallback!)![1]);

      const action = await post(record.attributes.action!, {
        CallSid: call.callSid,
        RecordingSid: "RE" + "a".repeat(32),
        RecordingDuration: "6",
      });
      const heard = textOf(parseTwiml(await action.text()));
      expect(heard).toContain(CATALOGUES.en.reasonThanks);
      expect(heard).toContain(CATALOGUES.en.reasonIfEmergency);

      const callback = new URL(record.attributes.recordingStatusCallback!);
      const status = await post(callback.pathname + callback.search, {
        CallSid: call.callSid,
        RecordingSid: "RE" + "a".repeat(32),
        RecordingStatus: "completed",
        RecordingDuration: "6",
        RecordingUrl: "https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/REaaaa",
      });
      expect(status.status).toBe(204);
      await vi.waitFor(
        async () => expect((await reasonRow(appointmentId))?.transcription_status).toBe("unavailable"),
        BACKGROUND_WAIT,
      );
      const row = (await reasonRow(appointmentId))!;
      expect(row).toMatchObject({ method: "recording", recording_sid: "RE" + "a".repeat(32), transcript: null });
      // Only the SID is kept: no URL anywhere in the row.
      expect(JSON.stringify(row)).not.toContain("http");
      await vi.waitFor(async () => {
        const summary = await env.DB.prepare("SELECT text FROM visit_summaries WHERE appointment_id = ?")
          .bind(appointmentId)
          .first<{ text: string }>();
        expect(summary?.text).toContain("Reason: recorded; play the recording.");
      }, BACKGROUND_WAIT);
    });
  });

  it("refuses an unsigned recording callback with 403, and ignores absent recordings and other calls' appointments", async () => {
    const id = await appointment(await patient("Callback"), 1, "2027-05-03T04:00:00.000Z", { callSid: "CAcallback1" });
    const path = `/api/ivr/recording-status/?lang=kn&appointment=${id}`;
    const params = {
      CallSid: "CAcallback1",
      RecordingSid: recordingSid(),
      RecordingStatus: "completed",
      RecordingDuration: "5",
    };
    const unsigned = await worker.fetch(
      overHttp(`${BASE_URL}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(params).toString(),
      }),
      env,
      createExecutionContext(),
    );
    expect(unsigned.status).toBe(403);
    const forged = await signedPost(
      async (u, init) => worker.fetch(overHttp(u, init), env, createExecutionContext()),
      "wrong-token",
      `${BASE_URL}${path}`,
      params,
    );
    expect(forged.status).toBe(403);
    expect((await post(path, { ...params, RecordingStatus: "absent" })).status).toBe(204);
    expect((await post(path, { ...params, CallSid: "CAsomeone-else" })).status).toBe(204);
    expect((await post(path, { ...params, RecordingSid: "../../Calls" })).status).toBe(204);
    await new Promise((r) => setTimeout(r, 50));
    expect(await reasonRow(id)).toBeNull();
  });
});

describe("transcription in the background", () => {
  function deps(ai: ReturnType<typeof fakeAi> | undefined, attempt = 1) {
    const queued: ReasonJob[] = [];
    const sms: number[] = [];
    return {
      queued,
      sms,
      deps: {
        db,
        config,
        ai,
        attempt,
        enqueue: async (job: ReasonJob) => void queued.push(job),
        enqueueSms: async (outboxId: number) => void sms.push(outboxId),
      },
    };
  }

  it("fetches the audio with the account's credentials, transcribes it, flags it, and re-summarises", async () => {
    const sid = recordingSid();
    const id = await recordedReason(sid, "kn");
    const seen = fakeRecording(sid);
    const ai = fakeAi(() => ({ text: "ಎದೆ ನೋವು ಇದೆ, ಉಸಿರಾಟದ ತೊಂದರೆ" }));
    const { queued, sms, deps: d } = deps(ai);
    expect(await runReasonJob({ transcribe: id }, d)).toEqual({ kind: "done" });
    expect(seen).toEqual([EXPECTED_AUTH]);
    expect(ai.calls[0]).toMatchObject({
      model: "@cf/openai/whisper-large-v3-turbo",
      inputs: { audio: btoa(String.fromCharCode(...AUDIO)), language: "kn" },
    });
    expect(await reasonRow(id)).toMatchObject({
      transcript: "ಎದೆ ನೋವು ಇದೆ, ಉಸಿರಾಟದ ತೊಂದರೆ",
      transcription_status: "done",
      red_flags: '["chest-pain","breathing"]',
    });
    expect(await env.DB.prepare("SELECT urgent FROM appointments WHERE id = ?").bind(id).first()).toEqual({
      urgent: 1,
    });
    expect(queued).toEqual([{ summarise: id }]);
    // The caller has hung up: the 108 advice goes by SMS, in their language, naming no condition.
    expect(sms).toHaveLength(1);
    const advice = await env.DB.prepare("SELECT body, purpose, appointment_id FROM sms_outbox WHERE id = ?")
      .bind(sms[0])
      .first();
    expect(advice).toEqual({ body: SMS_LANGUAGES.kn.texts.emergencyAdvice, purpose: "advice", appointment_id: id });
    expect(SMS_LANGUAGES.kn.texts.emergencyAdvice).toContain("108");
    // A second delivery of the same job does nothing.
    expect(await runReasonJob({ transcribe: id }, d)).toEqual({ kind: "done" });
    expect(ai.calls).toHaveLength(1);
    expect(sms).toHaveLength(1);
  });

  it("retries when Twilio or the model fails, and after the last try marks it failed (the recording stays playable)", async () => {
    const sid = recordingSid();
    const id = await recordedReason(sid, "en");
    fakeRecording(sid, () => HttpResponse.json({ message: "down" }, { status: 503 }));
    const broken = fakeAi(() => {
      throw new Error("model down");
    });
    expect(await runReasonJob({ transcribe: id }, deps(broken, 1).deps)).toEqual({ kind: "retry", delaySeconds: 30 });
    mockServer.resetHandlers();
    fakeRecording(sid);
    expect(await runReasonJob({ transcribe: id }, deps(broken, 2).deps)).toEqual({ kind: "retry", delaySeconds: 60 });
    const last = deps(broken, TRANSCRIBE_ATTEMPTS);
    expect(await runReasonJob({ transcribe: id }, last.deps)).toEqual({ kind: "done" });
    expect(await reasonRow(id)).toMatchObject({ transcription_status: "failed", recording_sid: sid, transcript: null });
    expect(last.queued).toEqual([{ summarise: id }]);
  });

  it("without an AI binding marks it unavailable and fetches nothing", async () => {
    const id = await recordedReason(recordingSid(), "kn");
    const { deps: d } = deps(undefined);
    expect(await runReasonJob({ transcribe: id }, d)).toEqual({ kind: "done" });
    expect((await reasonRow(id))?.transcription_status).toBe("unavailable");
  });
});

describe("the doctor's player", () => {
  it("streams the audio through the Worker for the clinic's staff, never to another clinic", async () => {
    const sid = recordingSid();
    const id = await recordedReason(sid);
    const seen = fakeRecording(sid);
    const response = await recordingResponse(db, config, { role: "admin", clinicIds: [1] }, id);
    expect(response).not.toBeNull();
    expect(new Uint8Array(await response!.arrayBuffer())).toEqual(AUDIO);
    expect(response!.headers.get("content-type")).toBe("audio/mpeg");
    expect(response!.headers.get("cache-control")).toBe("private, no-store");
    expect(seen).toEqual([EXPECTED_AUTH]);
    // Another clinic's admin, or a doctor who is not this appointment's: nothing, and no request to Twilio.
    expect(await recordingResponse(db, config, { role: "admin", clinicIds: [2] }, id)).toBeNull();
    expect(await recordingResponse(db, config, { role: "doctor", clinicIds: [1], doctorId: 2 }, id)).toBeNull();
    expect(await recordingResponse(db, config, { role: "desk", clinicIds: [1] }, id)).toBeNull();
    expect(seen).toHaveLength(1);
  });
});

describe("retention", () => {
  it("deletes old recordings at Twilio then forgets them, and old notes, in bounded batches", async () => {
    const now = new Date("2027-06-01T00:00:00Z");
    const oldSid = recordingSid();
    const oldId = await recordedReason(oldSid);
    const freshId = await recordedReason(recordingSid());
    await env.DB.prepare("UPDATE visit_reasons SET created_at = '2027-02-01T00:00:00.000Z' WHERE appointment_id = ?")
      .bind(oldId)
      .run();
    // Everything else recorded in this file is recent, as of `now`.
    await env.DB.prepare("UPDATE visit_reasons SET created_at = '2027-05-20T00:00:00.000Z' WHERE appointment_id <> ?")
      .bind(oldId)
      .run();
    const deleted: string[] = [];
    mockServer.use(
      http.delete(recordingUrl(oldSid, "json"), ({ request }) => {
        if (request.headers.get("authorization") === EXPECTED_AUTH) deleted.push(oldSid);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const visit = await appointment(await patient("Old notes"), 2, "2024-01-10T04:00:00.000Z", { status: "completed" });
    for (const body of ["old 1", "old 2", "old 3"]) await note(visit, body);
    await env.DB.prepare("UPDATE visit_notes SET created_at = '2024-01-10T05:00:00.000Z' WHERE appointment_id = ?")
      .bind(visit)
      .run();
    await note(visit, "recent");

    const first = await purgeExpiredHealthData(db, config, now, 2);
    expect(first).toMatchObject({ recordings: 1, notes: 2 });
    expect(deleted).toEqual([oldSid]);
    expect(await reasonRow(oldId)).toMatchObject({ recording_sid: null, recording_deleted_at: now.toISOString() });
    expect((await reasonRow(freshId))?.recording_sid).not.toBeNull();
    const second = await purgeExpiredHealthData(db, config, now, 2);
    expect(second).toMatchObject({ recordings: 0, notes: 1 });
    const { results } = await env.DB.prepare("SELECT body FROM visit_notes WHERE appointment_id = ?").bind(visit).all();
    expect(results).toEqual([{ body: "recent" }]);
  });
});

describe("a recording made on Plivo", () => {
  const plivoConfig = readConfig({
    ...env,
    PLIVO_AUTH_ID: "MATESTAUTHID000",
    PLIVO_API_BASE_URL: "https://plivo.test",
  });
  const PLIVO_AUTH = `Basic ${btoa(`MATESTAUTHID000:${env.PLIVO_AUTH_TOKEN}`)}`;
  const ID = "0b9e8f7a-6c5d-4e3f-9a1b-2c3d4e5f6a7b";
  const API = `https://plivo.test/v1/Account/MATESTAUTHID000/Recording/${ID}/`;
  const MEDIA = `https://media.plivo.com/v1/Account/MATESTAUTHID000/Recording/${ID}.mp3`;

  it("plays through the Worker from Plivo's API with the account's credentials, and is deleted there at retention", async () => {
    recordingSid(); // a time of its own for the appointment
    const id = await recordedReason(`plivo:${ID}`);
    const seen: string[] = [];
    mockServer.use(
      http.get(API, ({ request }) => {
        seen.push(`details ${request.headers.get("authorization") === PLIVO_AUTH}`);
        return HttpResponse.json({ recording_id: ID, recording_url: MEDIA });
      }),
      http.get(MEDIA, ({ request }) => {
        seen.push(`audio ${request.headers.get("authorization") === PLIVO_AUTH}`);
        return new HttpResponse(AUDIO, { headers: { "Content-Type": "audio/mpeg" } });
      }),
      http.delete(API, ({ request }) => {
        seen.push(`delete ${request.headers.get("authorization") === PLIVO_AUTH}`);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const response = await recordingResponse(db, plivoConfig, { role: "admin", clinicIds: [1] }, id);
    expect(new Uint8Array(await response!.arrayBuffer())).toEqual(AUDIO);
    expect(seen).toEqual(["details true", "audio true"]);

    const now = new Date("2027-06-01T00:00:00Z");
    await env.DB.prepare(
      "UPDATE visit_reasons SET created_at = CASE WHEN appointment_id = ? THEN '2027-02-01T00:00:00.000Z' ELSE '2027-05-20T00:00:00.000Z' END",
    )
      .bind(id)
      .run();
    // Without the Auth ID the recording is kept (never orphaned at Plivo); with it, deleted there, then forgotten.
    expect(await purgeExpiredHealthData(db, config, now, 5)).toMatchObject({ recordings: 0 });
    expect((await reasonRow(id))?.recording_sid).toBe(`plivo:${ID}`);
    expect(await purgeExpiredHealthData(db, plivoConfig, now, 5)).toMatchObject({ recordings: 1 });
    expect(seen.at(-1)).toBe("delete true");
    expect(await reasonRow(id)).toMatchObject({ recording_sid: null, recording_deleted_at: now.toISOString() });
  });
});

describe("faults around a recording", () => {
  it("a recording callback with D1 or the queue failing answers 204, never a 500, and the booking stands", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      for (const p of [plan("d1", 1), plan("queue", 1)]) {
        const callSid = `CAfault${++sids}`;
        const id = await appointment(await patient("Fault"), 2, `2027-09-0${(sids % 9) + 1}T04:00:00.000Z`, {
          callSid,
        });
        const ctx = createExecutionContext();
        const response = await signedPost(
          async (u, init) => worker.fetch(overHttp(u, init), faultyEnv(env, p), ctx),
          AUTH_TOKEN,
          `${BASE_URL}/api/ivr/recording-status/?lang=kn&appointment=${id}`,
          { CallSid: callSid, RecordingSid: recordingSid(), RecordingStatus: "completed", RecordingDuration: "4" },
        );
        await waitOnExecutionContext(ctx);
        expect(response.status).toBe(204);
        expect(p.fired).toBe(true);
        expect(await env.DB.prepare("SELECT status FROM appointments WHERE id = ?").bind(id).first()).toEqual({
          status: "booked",
        });
        if (p.on === "queue") {
          // The SID was stored but its job never queued: the cron's sweep re-queues it once it is clearly lost.
          const requeued: ReasonJob[] = [];
          const collect = async (jobs: ReasonJob[]) => void requeued.push(...jobs);
          await sweepLostTranscriptions(db, collect, new Date());
          expect(requeued).not.toContainEqual({ transcribe: id });
          await sweepLostTranscriptions(db, collect, new Date(Date.now() + 11 * 60_000));
          expect(requeued).toContainEqual({ transcribe: id });
        }
      }
    } finally {
      errors.mockRestore();
    }
  });
});
