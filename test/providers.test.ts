/**
 * One call flow on three providers. Every whole call here (booking, the returning caller's
 * cancel and move, the reception, silence, wrong keys, the reason for the visit or its
 * absence) runs for Twilio, Plivo and Exotel from this one suite: each provider's simulated
 * caller sends its parameters, signs as it signs (or, for Exotel, follows the line's signed
 * URLs) and reads its XML, checked against that provider's rules on every turn.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index.ts";
import { wordsFor } from "../src/words/index.ts";
import { DIALECTS, type ProviderName } from "../tools/dialects.ts";
import type { Fetcher } from "../tools/twilio-caller.ts";
import { faultyEnv, plan } from "./support/faults.ts";
import { dialable } from "../src/sms/texts.ts";
import { fakeTwilioSms, heard, lineWith, newProviderCall, overHttp, PROVIDER_SECRETS } from "./support/line.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";
import { directoryNames } from "./support/packs.ts";
import { installClips, removePack } from "../src/prompts/store.ts";
import { demoPack, requiredKeys } from "../tools/demo-pack.ts";
import { textKey } from "../src/prompts/pack.ts";

const PROVIDERS: ProviderName[] = ["twilio", "plivo", "exotel"];
// Waits for each request's after-answer work (the call log and the hold it notes), as a provider's next request would.
// No SMS replies, as on an Indian line: texts name the number to call instead.
const line = lineWith({ SMS_INBOUND: "off" });
/** English from a partial recorded pack (installed once for the three providers): the voice says what has no clip. */
const partialPackLine = lineWith({ SMS_INBOUND: "off", PROMPT_PACKS: "en" });
const PARTIAL_PACK_GAP = textKey(wordsFor("en").welcome);
let partialPackReport: Awaited<ReturnType<typeof installClips>>;
beforeAll(async () => {
  const partial = demoPack("en", await directoryNames("en")).filter((clip) => clip.key !== PARTIAL_PACK_GAP);
  partialPackReport = await installClips(env.PROMPTS!, "en", partial, requiredKeys("en"));
});
afterAll(() => removePack(env.PROMPTS!, "en"));
/** Nothing heard by speech: the reason for the visit is recorded. */
const recordingLine = lineWith({ SMS_INBOUND: "off", SPEECH_LANGUAGES: "none" });
/** Kannada only, from a recorded prompt pack (Plivo has no Kannada voice: the pack is all it has). */
const packLine = lineWith({ SMS_INBOUND: "off", LANGUAGES: "kn", PROMPT_PACKS: "kn" });
/** A Tuesday of its own for each provider (D1 and the objects are shared): 10:00 in Kolkata. */
const TUESDAY_10AM: Record<ProviderName, Date> = {
  twilio: new Date("2027-10-05T04:30:00Z"),
  plivo: new Date("2027-10-12T04:30:00Z"),
  exotel: new Date("2027-10-19T04:30:00Z"),
};
const ULLAL = "4"; // Ullal Seaside Clinic: one doctor, Dr. Suresh Pai (token prefix S)
const PHONE_BLOCK: Record<ProviderName, string> = { twilio: "+9198770", plivo: "+9198771", exotel: "+9198772" };

/** The line with `p`'s faults in D1, on the test bindings changed by `vars`. */
function faultyLine(p: ReturnType<typeof plan>, vars: Record<string, string> = {}): Fetcher {
  return async (url, init) => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(overHttp(url, init), faultyEnv({ ...env, ...vars } as Env, p), ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

async function appointmentsOf(phone: string) {
  const { results } = await env.DB.prepare(
    `SELECT a.id, a.token, a.status, a.starts_at, a.call_sid, a.moved_to FROM appointments a
       JOIN patients p ON p.id = a.patient_id WHERE p.phone = ? ORDER BY a.id`,
  )
    .bind(phone)
    .all<{ id: number; token: string; status: string; starts_at: string; call_sid: string; moved_to: number | null }>();
  return results;
}

describe.each(PROVIDERS)("on %s", (provider) => {
  const phone = (n: number) => `${PHONE_BLOCK[provider]}${String(n).padStart(5, "0")}`;
  const call = (n: number, dialOutcome?: "no-answer" | "completed") =>
    newProviderCall(provider, phone(n), { fetch: line, ...(dialOutcome ? { dialOutcome } : {}) });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(TUESDAY_10AM[provider]);
  });
  afterEach(() => vi.useRealTimers());

  /** Books the earliest time at Ullal for this phone, as a whole call; returns what was said at the end. */
  async function book(n: number): Promise<string> {
    const c = call(n);
    await c.dial();
    await c.press(ULLAL);
    await c.press("1");
    const booked = heard(await c.press("1"));
    expect(booked).toContain("Your appointment is booked with Dr. Suresh Pai");
    await c.hangUp();
    return booked;
  }

  it("books: menus, an offer, a token, an SMS; then the reason for the visit, by speech, where the provider hears it", async () => {
    const sms = fakeTwilioSms();
    const c = call(1);
    const welcome = heard(await c.dial());
    expect(welcome).toContain("Welcome to the clinic appointment line.");
    expect(welcome).toContain("For Ullal Seaside Clinic, press 4.");
    expect(heard(await c.press(ULLAL))).toContain("For the next available doctor, press 1.");
    // 10:00 + 15 minutes' lead.
    expect(heard(await c.press("1"))).toContain("Dr. Suresh Pai can see you today at 10:15 AM.");
    const booked = await c.press("1");
    expect(heard(booked)).toContain("Your token is S, ");
    expect(heard(booked)).toContain("To hear your token again, press star.");
    const after = await c.press(undefined);
    if (provider === "exotel") {
      // ExoML's Gather takes keys only, and its Record is not used here: the call ends after the token.
      expect(heard(after)).toBe("Thank you for calling. Goodbye.");
      expect(after.ended).toBe(true);
    } else {
      expect(heard(after)).toContain("please tell us in a few words what the trouble is");
      if (provider === "plivo") {
        // Plivo listens in the call's language, with its model for phone audio named.
        const xml = [...booked.responses, ...after.responses].map((r) => r.body).join("");
        const question = /<GetInput [^>]*inputType="dtmf speech"[^>]*>/.exec(xml)![0];
        expect(question).toContain('language="en-IN"');
        expect(question).toContain('speechModel="phone_call"');
      }
      // A red flag in the words: the 108 advice at once, and the reason kept for the doctor.
      const advice = await c.speak("I have chest pain since morning");
      expect(heard(advice)).toContain("Please call 1 0 8 for an ambulance now");
      expect(advice.ended).toBe(true);
    }
    const [appointment] = await appointmentsOf(phone(1));
    if (provider !== "exotel")
      await vi.waitFor(async () => {
        const reason = await env.DB.prepare("SELECT method, transcript FROM visit_reasons WHERE appointment_id = ?")
          .bind(appointment!.id)
          .first();
        expect(reason).toEqual({ method: "speech", transcript: "I have chest pain since morning" });
      }, BACKGROUND_WAIT);
    expect(appointment).toMatchObject({ status: "booked", call_sid: c.callSid });
    expect(appointment!.starts_at).toBe(new Date(TUESDAY_10AM[provider].getTime() + 15 * 60_000).toISOString());
    await vi.waitFor(
      () => expect(sms.some((m) => m.To === phone(1) && /^Token \S+: booked with/.test(m.Body))).toBe(true),
      BACKGROUND_WAIT,
    );
  });

  it("the reason by recording where the line does not listen: the provider's signed callback keeps the recording", async () => {
    fakeTwilioSms();
    const c = newProviderCall(provider, phone(11), { fetch: recordingLine });
    await c.dial();
    await c.press(ULLAL);
    await c.press("1");
    const booked = await c.press("1");
    const asked = await c.press(undefined);
    const [appointment] = await appointmentsOf(phone(11));
    if (provider === "exotel") {
      expect(heard(asked)).toBe("Thank you for calling. Goodbye.");
      return;
    }
    expect(heard(asked)).toContain("After the beep, please tell us in a few words what the trouble is");
    // The question follows the token in the booking's document, or comes after it.
    const body = [...booked.responses, ...asked.responses].map((r) => r.body).join("");
    const callback = /(?:recordingStatusCallback|callbackUrl)="([^"]+)"/.exec(body)![1]!.replaceAll("&amp;", "&");
    expect(new URL(callback).pathname).toBe(
      provider === "plivo" ? "/api/plivo/recording-status/" : "/api/ivr/recording-status/",
    );
    const id = provider === "plivo" ? "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b" : `RE${"7".repeat(32)}`;
    const dialect = DIALECTS[provider];
    const facts = { callSid: c.callSid, from: phone(11), to: dialect.defaultTo };
    // Forged: refused before anything is read or kept.
    const forged = await dialect.send(
      recordingLine,
      "not-the-secret",
      callback,
      facts,
      { Recording: { id, seconds: 6 } },
      false,
    );
    expect(forged.status).toBe(403);
    const kept = await dialect.send(
      recordingLine,
      PROVIDER_SECRETS[provider],
      callback,
      facts,
      { Recording: { id, seconds: 6 } },
      false,
    );
    expect(kept.status).toBe(204);
    const reason = await env.DB.prepare(
      "SELECT method, recording_sid, recording_seconds FROM visit_reasons WHERE appointment_id = ?",
    )
      .bind(appointment!.id)
      .first();
    expect(reason).toEqual({
      method: "recording",
      recording_sid: provider === "plivo" ? `plivo:${id}` : id,
      recording_seconds: 6,
    });
  });

  it("with a partial English pack, the provider's English voice says what has no clip and the rest is played", async () => {
    expect(partialPackReport.missing).toEqual([PARTIAL_PACK_GAP]);
    const turn = await newProviderCall(provider, phone(12), { fetch: partialPackLine }).dial();
    const said = turn.utterances.filter((u) => !u.text.startsWith("[play] "));
    expect(said.map((u) => u.text)).toEqual([wordsFor("en").welcome]);
    expect(said[0]!.language).toBe(provider === "exotel" ? "en" : "en-IN");
    expect(turn.said.filter((piece) => piece.startsWith("[play] ")).length).toBeGreaterThan(2);
  });

  it("with a complete Kannada pack, a whole booking call plays clips and never says a word", async () => {
    fakeTwilioSms();
    const bucket = env.PROMPTS!;
    const report = await installClips(bucket, "kn", demoPack("kn", await directoryNames("kn")), requiredKeys("kn"));
    expect(report).toEqual({ missing: [], refused: [] });
    try {
      const c = newProviderCall(provider, phone(9), { fetch: packLine });
      // Kannada is the only language (no language menu): Ullal, the next free doctor, book, silence;
      // then the reason question (recorded: Kannada is not heard by speech) and goodbye, all clips.
      const turns = [await c.dial(), await c.press(ULLAL), await c.press("1"), await c.press("1")];
      turns.push(await c.press(undefined));
      expect(c.ended).toBe(true);
      for (const turn of turns) {
        expect(turn.said.length).toBeGreaterThan(0);
        // Every piece is the provider's play verb with a clip the Worker serves; no say or speak at all.
        for (const piece of turn.said) expect(piece).toMatch(/^\[play\] https:\/\/line\.test\/prompts\/kn\/\S+\.wav$/);
      }
      // Where the provider records, the reason question is played from the pack too.
      const asked = turns.at(-1)!.said.some((piece) => piece.includes("/reasonAskByRecording"));
      expect(asked).toBe(provider !== "exotel");
      const [appointment] = await appointmentsOf(phone(9));
      expect(appointment).toMatchObject({ status: "booked", call_sid: c.callSid });
    } finally {
      await removePack(bucket, "kn");
    }
  });

  it("a returning caller hears the next appointment and cancels it after a wrong key and a confirmation", async () => {
    fakeTwilioSms();
    await book(2);
    const again = call(2);
    expect(heard(await again.dial())).toContain("You have an appointment with Dr. Suresh Pai at Ullal Seaside Clinic");
    expect(heard(await again.press("2"))).toContain("To cancel your appointment with Dr. Suresh Pai");
    expect(heard(await again.press("7"))).toContain("Sorry, that is not one of the choices.");
    expect((await appointmentsOf(phone(2)))[0]).toMatchObject({ status: "booked" });
    const done = await again.press("1");
    expect(heard(done)).toContain("is cancelled.");
    expect(done.ended).toBe(true);
    expect((await appointmentsOf(phone(2)))[0]).toMatchObject({ status: "cancelled" });
  });

  it("a returning caller moves an appointment to the next free time; the SMS names the number they dialled", async () => {
    const sms = fakeTwilioSms();
    await book(3);
    const again = call(3);
    await again.dial();
    const offer = heard(await again.press("3"));
    expect(offer).toContain("Dr. Suresh Pai");
    const moved = await again.press("1");
    expect(heard(moved)).toContain("Thank you for calling. Goodbye.");
    expect(moved.ended).toBe(true);
    const [from, to] = await appointmentsOf(phone(3));
    // The old appointment is cancelled, pointing at the new one.
    expect(from).toMatchObject({ status: "cancelled", moved_to: to!.id });
    expect(to).toMatchObject({ status: "booked" });
    const dialled = { twilio: env.TWILIO_PHONE_NUMBER, plivo: "+918071000000", exotel: "+918047100000" }[provider];
    await vi.waitFor(() => {
      const moved = sms.find((m) => m.To === phone(3) && m.Body.includes("is your new token, in place of"));
      expect(moved?.Body).toContain(`To cancel or move it, call ${dialable(dialled)}.`);
    }, BACKGROUND_WAIT);
  });

  it("0 dials the reception; nobody answers: the hours and the menu again; a conversation ends with goodbye", async () => {
    const c = call(4);
    await c.dial();
    await c.press(ULLAL);
    const dialled = heard(await c.press("0"));
    expect(dialled).toContain("Connecting you to the reception of Ullal Seaside Clinic.");
    expect(dialled).toContain("[dialling +918242460004 for up to 20 s: no-answer]");
    expect(dialled).toContain("Sorry, nobody at the reception answered.");
    expect(dialled).toContain("For the next available doctor, press 1.");

    const talked = call(5, "completed");
    await talked.dial();
    await talked.press(ULLAL);
    const done = await talked.press("0");
    expect(heard(done)).toContain("Thank you for calling. Goodbye.");
    expect(done.ended).toBe(true);
  });

  it("silence and wrong keys: said why, asked again, and after the third miss a polite goodbye", async () => {
    const c = call(6);
    await c.dial();
    expect(heard(await c.press(undefined))).toContain("Sorry, we did not hear a choice.");
    expect(heard(await c.press("7"))).toContain("Sorry, that is not one of the choices.");
    const last = await c.press(undefined);
    expect(heard(last)).toContain("Sorry, we could not get your choice.");
    expect(last.ended).toBe(true);
  });

  it("a call that ends while holding a time lets go of it at once (the status callback)", async () => {
    const first = call(7);
    await first.dial();
    await first.press(ULLAL);
    const offered = heard(await first.press("1"));
    const time = /can see you (today at [\d:]+ [AP]M)/.exec(offered)![1]!;
    expect(await first.hangUp()).toBe(200);
    const next = call(8);
    await next.dial();
    await next.press(ULLAL);
    expect(heard(await next.press("1"))).toContain(`can see you ${time}.`);
    await next.hangUp();
  });

  it("an internal fault: the apology in the caller's language, valid XML, the call ends; never a 500", async () => {
    const p = plan("d1", 1, "throw");
    const c = newProviderCall(provider, phone(9), { fetch: faultyLine(p) });
    const turn = await c.dial();
    expect(p.fired).toBe(true);
    expect(turn.responses.map((r) => r.status)).toEqual([200]);
    expect(heard(turn)).toContain("Sorry, something went wrong on our side");
    expect(turn.ended).toBe(true);
  });

  it("a fault after the caller chose Hindi: the apology in Hindi, in a Hindi voice", async () => {
    const p = plan("d1", Number.MAX_SAFE_INTEGER, "throw");
    const c = newProviderCall(provider, phone(10), { fetch: faultyLine(p, { LANGUAGES: "en,hi" }) });
    await c.dial();
    expect(heard(await c.press("2"))).toContain(wordsFor("hi").chooseClinic);
    p.failAt = p.seen + 1; // the clinic step's first D1 statement
    const turn = await c.press("1");
    expect(p.fired).toBe(true);
    expect(turn.responses.map((r) => r.status)).toEqual([200]);
    expect(turn.utterances).toEqual([
      { text: wordsFor("hi").apology, voice: expect.any(String), language: provider === "exotel" ? "hi" : "hi-IN" },
    ]);
    expect(turn.ended).toBe(true);
  });
});
