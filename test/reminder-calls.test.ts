/**
 * Reminder calls: the evening before an appointment the line calls the patient (Twilio's Calls
 * API, faked here), who hears doctor, clinic, day, time and token and presses 1 to confirm, 2 to
 * cancel, 3 to move, 0 for the clinic or 9 to stop these calls. No answer: one retry an hour later,
 * then the SMS reminder. Each call is placed once, whatever the provider or the callbacks do.
 */
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runReminderCalls } from "../src/calls/run.ts";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { SimulatedCall, signedPost } from "../tools/twilio-caller.ts";
import { mockServer } from "./setup.ts";
import { AUTH_TOKEN, BASE_URL, fakeTwilioSms, heard, lineWith, newCallOn, PROVIDER_SECRETS } from "./support/line.ts";
import { exotelDialect, plivoDialect } from "../tools/dialects.ts";
import { outboundKey } from "../src/providers/exotel-urls.ts";
import type { Job } from "../src/jobs/queue.ts";

const line = lineWith({});
const LINE_NUMBER = "+15005550006";
const PUTTUR = "2"; // Puttur Town Clinic: Dr. Anil Bhat (token prefix A)
/** A week of its own (D1 is shared by the test files): Monday 6 March 2028, clinic-local. */
const ist = (local: string) => new Date(`${local.replace(" ", "T")}:00+05:30`);

interface PlacedCall {
  To: string;
  From: string;
  Url: string;
  StatusCallback: string;
  MachineDetection: string;
  sid: string;
}

/** Twilio's Calls endpoint: records each request; `respond` (given the how-manyth call to that number) may fail it. */
function fakeTwilioCalls(respond?: (n: number, to: string) => Response | undefined): PlacedCall[] {
  const placed: PlacedCall[] = [];
  mockServer.use(
    http.post(`https://twilio.test/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Calls.json`, async ({ request }) => {
      const body = new TextDecoder().decode(await request.arrayBuffer());
      const form = Object.fromEntries(new URLSearchParams(body)) as Omit<PlacedCall, "sid">;
      const failed = respond?.(placed.filter((c) => c.To === form.To).length + 1, form.To);
      const sid = `CA${crypto.randomUUID().replaceAll("-", "")}`;
      placed.push({ ...form, sid: failed ? "" : sid });
      return failed ?? HttpResponse.json({ sid, status: "queued" }, { status: 201 });
    }),
  );
  return placed;
}

const queued: Job[] = [];
const smsQueue = { sendBatch: async (jobs: { body: Job }[]) => void queued.push(...jobs.map((j) => j.body)) };

/** The cron at `local` clinic time: reminder calls written and placed. */
async function cronAt(local: string, vars: Record<string, string> = {}): Promise<void> {
  vi.setSystemTime(ist(local));
  const config = readConfig({ ...env, PUBLIC_BASE_URL: BASE_URL, ...vars } as Env);
  await runReminderCalls({ db: database(env.DB), config, jobs: smsQueue as unknown as Queue<Job> }, ist(local));
}

/** The patient's phone rings and they pick it up (or their voicemail does). */
function pickUp(placed: PlacedCall): SimulatedCall {
  return new SimulatedCall({
    baseUrl: BASE_URL,
    authToken: AUTH_TOKEN,
    from: LINE_NUMBER,
    to: placed.To,
    callSid: placed.sid,
    voicePath: placed.Url,
    statusUrl: placed.StatusCallback,
    outbound: true,
    fetch: line,
  });
}

/** Books the first free time at Puttur on the `day`-th of the month by phone, as a caller does. */
async function bookByPhone(phone: string, day: string, first: string[] = []): Promise<string> {
  const c = newCallOn(line, phone);
  await c.dial();
  for (const key of first) await c.press(key);
  await c.press(PUTTUR);
  await c.press("1"); // the next free time
  await c.press("3"); // other times and days
  await c.press("2"); // another day
  await c.press(day);
  const booked = heard(await c.press("1"));
  expect(booked).toContain("Your appointment is booked");
  await c.hangUp();
  return booked;
}

async function appointmentOf(phone: string) {
  return env.DB.prepare(
    `SELECT a.id, a.status, a.confirmed_at AS confirmed, a.local_date AS date FROM appointments a
       JOIN patients p ON p.id = a.patient_id WHERE p.phone = ? ORDER BY a.id DESC LIMIT 1`,
  )
    .bind(phone)
    .first<{ id: number; status: string; confirmed: string | null; date: string }>();
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(ist("2028-03-06 09:00"));
  await env.DB.prepare("UPDATE clinics SET reminder_calls = 1").run();
});
afterEach(() => vi.useRealTimers());

/** The reminder call row of an appointment. */
async function callRow(appointmentId: number) {
  return env.DB.prepare(
    "SELECT status, calls, outcome, next_attempt_at AS next FROM call_outbox WHERE appointment_id = ?",
  )
    .bind(appointmentId)
    .first<{ status: string; calls: number; outcome: string | null; next: string | null }>();
}

/** The evening reminder SMS written for an appointment (by the SMS cron or a call that failed). */
async function eveningSms(appointmentId: number): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT body FROM sms_outbox WHERE appointment_id = ? AND template = 'reminderEvening'",
  )
    .bind(appointmentId)
    .all<{ body: string }>();
  return results.map((r) => r.body);
}

/** The provider's status callback for a placed call, signed as Twilio signs it. */
function reportStatus(placed: PlacedCall, CallStatus: string, url = placed.StatusCallback): Promise<Response> {
  return signedPost(line, AUTH_TOKEN, url, {
    CallSid: placed.sid,
    CallStatus,
    Direction: "outbound-api",
    From: LINE_NUMBER,
    To: placed.To,
  });
}

describe("the reminder call", () => {
  it("an appointment made today gets a call tomorrow evening: 1 confirms it, 2 cancels another, and neither gets the evening SMS", async () => {
    fakeTwilioSms();
    const calls = fakeTwilioCalls();
    const confirming = "+919833300001";
    const cancelling = "+919833300002";
    await bookByPhone(confirming, "08");
    await bookByPhone(cancelling, "08");
    const first = (await appointmentOf(confirming))!;
    const second = (await appointmentOf(cancelling))!;
    expect(first).toMatchObject({ status: "booked", confirmed: null, date: "2028-03-08" });

    // Tuesday: nothing before 18:00 clinic time, then one call each, whatever the cron does.
    await cronAt("2028-03-07 17:59");
    expect(calls).toHaveLength(0);
    await Promise.all([cronAt("2028-03-07 18:00"), cronAt("2028-03-07 18:00")]);
    await cronAt("2028-03-07 18:01");
    expect(calls.map((c) => c.To).sort()).toEqual([confirming, cancelling]);
    const toFirst = calls.find((c) => c.To === confirming)!;
    const toSecond = calls.find((c) => c.To === cancelling)!;
    expect(toFirst).toMatchObject({ From: LINE_NUMBER, MachineDetection: "Enable" });

    const phone = pickUp(toFirst);
    expect(heard(await phone.dial({ AnsweredBy: "human" }))).toBe(
      "Hello. This is a reminder of your appointment with Dr. Anil Bhat at Puttur Town Clinic, tomorrow at 9:00 AM. Your token is A, 1. " +
        "To confirm that you will come, press 1. To cancel it, press 2. To move it to another time, press 3. To stop these calls, press 9. " +
        "To speak to the clinic's reception, press 0.",
    );
    expect(heard(await phone.press("1"))).toBe("Thank you. Your appointment is confirmed. Goodbye.");
    expect(await phone.hangUp()).toBe(200);
    const confirmedAt = (await appointmentOf(confirming))!.confirmed;
    expect(confirmedAt).not.toBeNull();
    expect(await callRow(first.id)).toMatchObject({ status: "answered", calls: 1, outcome: "confirmed" });

    const other = pickUp(toSecond);
    await other.dial({ AnsweredBy: "human" });
    expect(heard(await other.press("2"))).toBe(
      "To cancel your appointment with Dr. Anil Bhat, tomorrow at 9:15 AM, press 1. To keep it, press 2.",
    );
    expect(heard(await other.press("1"))).toContain("is cancelled. That time is now free for others.");
    await other.hangUp();
    expect((await appointmentOf(cancelling))!.status).toBe("cancelled");

    // A replayed answer and a second 1 have no further effect; a replayed end changes nothing.
    const again = pickUp(toFirst);
    expect(heard(await again.dial({ AnsweredBy: "human" }))).toBe("");
    expect((await reportStatus(toFirst, "completed")).status).toBe(200);
    expect((await appointmentOf(confirming))!.confirmed).toBe(confirmedAt);
    expect(await callRow(first.id)).toMatchObject({ status: "answered", calls: 1 });

    // The SMS reminder cron that evening: the answered call reminded them, no text.
    const { sendDueReminders } = await import("../src/reminders/send.ts");
    const config = readConfig(env);
    await sendDueReminders(database(env.DB), smsQueue as unknown as Queue<Job>, config, ist("2028-03-07 18:30"));
    expect(await eveningSms(first.id)).toEqual([]);
    expect(calls).toHaveLength(2);
  });

  it("no answer: one retry an hour later; busy again: the evening SMS, once; a machine counts as no answer", async () => {
    fakeTwilioSms();
    const placed = fakeTwilioCalls();
    const callsTo = (to: string) => placed.filter((c) => c.To === to);
    const phone = "+919833300003";
    await bookByPhone(phone, "08");
    const a = (await appointmentOf(phone))!;
    await cronAt("2028-03-07 18:00");
    expect(callsTo(phone)).toHaveLength(1);
    // Voicemail picks up: it hears nothing, and the call counts as unanswered.
    expect(heard(await pickUp(callsTo(phone)[0]!).dial({ AnsweredBy: "machine_start" }))).toBe("");
    expect((await reportStatus(callsTo(phone)[0]!, "completed")).status).toBe(200);
    expect(await callRow(a.id)).toMatchObject({
      status: "pending",
      calls: 1,
      next: ist("2028-03-07 19:00").toISOString(),
    });
    await cronAt("2028-03-07 18:59");
    expect(callsTo(phone)).toHaveLength(1);
    await cronAt("2028-03-07 19:00");
    expect(callsTo(phone)).toHaveLength(2);
    // The second call's URLs name attempt 2: the first call's late report is stale.
    expect(callsTo(phone)[1]!.StatusCallback).toContain("n=2");
    await reportStatus(callsTo(phone)[0]!, "no-answer");
    expect(await callRow(a.id)).toMatchObject({ status: "ringing", calls: 2 });
    await reportStatus(callsTo(phone)[1]!, "busy");
    await reportStatus(callsTo(phone)[1]!, "busy"); // replayed
    expect(await callRow(a.id)).toMatchObject({ status: "unanswered", calls: 2 });
    const texts = await eveningSms(a.id);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(
      /^Token A-\d+: a reminder of your appointment with Dr. Anil Bhat, Puttur Town Clinic, on 08-03-2028/,
    );
    // Nor does the SMS cron add another; no call after that.
    const { sendDueReminders } = await import("../src/reminders/send.ts");
    await sendDueReminders(
      database(env.DB),
      smsQueue as unknown as Queue<Job>,
      readConfig(env),
      ist("2028-03-07 19:30"),
    );
    await cronAt("2028-03-07 19:30");
    expect(await eveningSms(a.id)).toHaveLength(1);
    expect(callsTo(phone)).toHaveLength(2);
  });

  it("9 stops these calls: stored, honoured on the next appointment, whose evening SMS goes instead", async () => {
    fakeTwilioSms();
    const placed = fakeTwilioCalls();
    const callsTo = (to: string) => placed.filter((c) => c.To === to);
    const phone = "+919833300004";
    await bookByPhone(phone, "08");
    await cronAt("2028-03-07 18:00");
    const phoneRings = pickUp(callsTo(phone)[0]!);
    await phoneRings.dial({ AnsweredBy: "human" });
    expect(heard(await phoneRings.press("9"))).toBe(
      "You will get no more reminder calls. You will still get a reminder SMS. Goodbye.",
    );
    await phoneRings.hangUp();
    const stored = await env.DB.prepare("SELECT reminder_calls_off_at AS off FROM patients WHERE phone = ?")
      .bind(phone)
      .first<{ off: string | null }>();
    expect(stored?.off).toBe(ist("2028-03-07 18:00").toISOString());

    vi.setSystemTime(ist("2028-03-07 18:05"));
    await bookByPhone(phone, "10", ["4"]); // a returning caller: 4 books a new one
    const next = (await appointmentOf(phone))!;
    await cronAt("2028-03-09 18:00");
    expect(callsTo(phone)).toHaveLength(1);
    const { sendDueReminders } = await import("../src/reminders/send.ts");
    await sendDueReminders(
      database(env.DB),
      smsQueue as unknown as Queue<Job>,
      readConfig(env),
      ist("2028-03-09 18:00"),
    );
    expect(await eveningSms(next.id)).toHaveLength(1);
  });

  it("3 moves it and 0 reaches the clinic, through the returning caller's own steps", async () => {
    fakeTwilioSms();
    const placed = fakeTwilioCalls();
    const callsTo = (to: string) => placed.filter((c) => c.To === to);
    const phone = "+919833300005";
    await bookByPhone(phone, "08");
    const before = (await appointmentOf(phone))!;
    await cronAt("2028-03-07 18:00");
    const ringing = pickUp(callsTo(phone)[0]!);
    await ringing.dial({ AnsweredBy: "human" });
    const reception = heard(await ringing.press("0"));
    // The reception's hours are over at 18:00, or nobody answers: the question again either way.
    expect(reception).toContain("To confirm that you will come, press 1.");
    expect(heard(await ringing.press("3"))).toContain("To move your appointment to this time, press 1.");
    expect(heard(await ringing.press("1"))).toContain("Your appointment is moved to Dr. Anil Bhat");
    expect((await appointmentOf(phone))!.id).not.toBe(before.id);
    expect(await callRow(before.id)).toMatchObject({ outcome: "move" });
  });

  it("the provider failing: a 429 is retried with backoff, an unclear answer waits for the call's own word, never a second call", async () => {
    fakeTwilioSms();
    let outage = true;
    const placed = fakeTwilioCalls((n, to) =>
      to === phone && n === 1
        ? HttpResponse.json({ code: 20429, message: "Too Many Requests" }, { status: 429 })
        : outage
          ? HttpResponse.text("Bad Gateway", { status: 502 })
          : undefined,
    );
    const callsTo = (to: string) => placed.filter((c) => c.To === to);
    const phone = "+919833300006";
    await bookByPhone(phone, "08");
    const a = (await appointmentOf(phone))!;
    await cronAt("2028-03-07 18:00"); // 429: refused, due again after 30 s
    expect(await callRow(a.id)).toMatchObject({ status: "pending", calls: 0 });
    await cronAt("2028-03-07 18:01"); // 502: the call may exist; the row stays claimed
    expect(callsTo(phone)).toHaveLength(2);
    expect(await callRow(a.id)).toMatchObject({ status: "placing", calls: 0 });
    // It did exist: its first report arrives, so the lapsed claim is never placed again.
    expect((await reportStatus({ ...callsTo(phone)[1]!, sid: "CAlost" }, "ringing")).status).toBe(200);
    expect(await callRow(a.id)).toMatchObject({ status: "ringing", calls: 1 });
    outage = false;
    for (const at of ["2028-03-07 18:05", "2028-03-07 18:12"]) await cronAt(at);
    expect(callsTo(phone)).toHaveLength(2);

    // Another patient's call during an outage that placed nothing: placed again only once the claim lapses.
    outage = true;
    const other = "+919833300007";
    vi.setSystemTime(ist("2028-03-07 18:30"));
    await bookByPhone(other, "08");
    const b = (await appointmentOf(other))!;
    await cronAt("2028-03-07 18:31"); // 502
    outage = false;
    await cronAt("2028-03-07 18:35");
    expect(callsTo(other)).toHaveLength(1);
    await cronAt("2028-03-07 18:41");
    expect(callsTo(other)).toHaveLength(2);
    expect(await callRow(b.id)).toMatchObject({ status: "ringing", calls: 1 });
  });

  it("a callback for an unknown call changes nothing; an unsigned one is refused", async () => {
    const placed = fakeTwilioCalls();
    const callsTo = (to: string) => placed.filter((c) => c.To === to);
    const phone = "+919833300008";
    await bookByPhone(phone, "08");
    const a = (await appointmentOf(phone))!;
    await cronAt("2028-03-07 18:00");
    const ours = callsTo(phone)[0]!;
    const unknown = ours.StatusCallback.replace(/o=\d+/, "o=99999999");
    expect((await reportStatus(ours, "completed", unknown)).status).toBe(200);
    const forged = await line(ours.StatusCallback, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "forged" },
      body: new URLSearchParams({ CallSid: ours.sid, CallStatus: "completed" }).toString(),
    });
    expect(forged.status).toBe(403);
    // Someone else's answer of this row (another number) hears nothing and marks nothing.
    const stranger = new SimulatedCall({
      baseUrl: BASE_URL,
      authToken: AUTH_TOKEN,
      from: LINE_NUMBER,
      to: "+919833399999",
      voicePath: ours.Url,
      outbound: true,
      fetch: line,
    });
    expect(heard(await stranger.dial({ AnsweredBy: "human" }))).toBe("");
    expect(await callRow(a.id)).toMatchObject({ status: "ringing", calls: 1 });
    const row = await env.DB.prepare("SELECT answered_at AS answered FROM call_outbox WHERE appointment_id = ?")
      .bind(a.id)
      .first<{ answered: string | null }>();
    expect(row?.answered).toBeNull();
  });
});

describe("when the reminder call is due", () => {
  const at = (starts: string, booked: string, timezone = "Asia/Kolkata") => ({
    date: starts.slice(0, 10),
    startsAt: new Date(`${starts.replace(" ", "T")}:00${timezone === "Asia/Kolkata" ? "+05:30" : "+04:00"}`),
    bookedAt: new Date(`${booked.replace(" ", "T")}:00${timezone === "Asia/Kolkata" ? "+05:30" : "+04:00"}`),
    timezone,
  });

  it("the evening before, in the clinic's time zone, clamped to calling hours; none when booked after them", async () => {
    const { reminderCallState } = await import("../src/calls/due.ts");
    const { reminderMinute } = await import("../src/calls/settings.ts");
    expect([reminderMinute("07:00"), reminderMinute("21:30"), reminderMinute("18:30"), reminderMinute("junk")]).toEqual(
      [540, 1199, 1110, 1080],
    );
    const ahead = at("2028-03-08 10:00", "2028-03-06 09:00");
    expect(reminderCallState(ahead, 1080, ist("2028-03-07 17:59"))).toBe("wait");
    expect(reminderCallState(ahead, 1080, ist("2028-03-07 18:00"))).toBe("due");
    expect(reminderCallState(ahead, 1080, ist("2028-03-07 20:00"))).toBe("missed");
    // Booked at 19:00 the evening before: called at once; at 20:30: no call (the SMS reminds).
    expect(reminderCallState(at("2028-03-08 10:00", "2028-03-07 19:00"), 1080, ist("2028-03-07 19:00"))).toBe("due");
    expect(reminderCallState(at("2028-03-08 10:00", "2028-03-07 20:30"), 1080, ist("2028-03-07 20:30"))).toBe("none");
    // A clinic in Dubai: 18:00 there is 19:30 in Kolkata.
    const dubai = at("2028-03-08 10:00", "2028-03-06 09:00", "Asia/Dubai");
    expect(reminderCallState(dubai, 1080, ist("2028-03-07 19:29"))).toBe("wait");
    expect(reminderCallState(dubai, 1080, ist("2028-03-07 19:30"))).toBe("due");
  });
});

describe("each provider places a call as its API documents it", () => {
  const call = {
    to: "+919833300099",
    answerUrl: "https://line.test/api/plivo/outbound/?o=1&n=1&lang=en",
    statusUrl: "https://line.test/api/plivo/outbound-status/?o=1&n=1&lang=en",
  };

  it("Plivo: POST /v1/Account/{auth_id}/Call/ with answer, ring and hangup URLs; a 5xx is unclear, a 400 a refusal", async () => {
    const { plivoCalls } = await import("../src/providers/plivo-calls.ts");
    const bodies: Record<string, unknown>[] = [];
    const answers = [
      HttpResponse.json({ api_id: "x", message: "call fired", request_uuid: "9834029e-58b6" }, { status: 201 }),
      HttpResponse.text("oops", { status: 503 }),
      HttpResponse.json({ error: "invalid to" }, { status: 400 }),
    ];
    mockServer.use(
      http.post("https://plivo.test/v1/Account/MAtest/Call/", async ({ request }) => {
        bodies.push((await request.json()) as Record<string, unknown>);
        return answers[bodies.length - 1];
      }),
    );
    const place = plivoCalls({
      authId: "MAtest",
      authToken: "t",
      callerId: "+918071000000",
      apiBaseUrl: "https://plivo.test",
    });
    expect(await place(call, { timeoutMs: 1000 })).toEqual({ kind: "placed", callId: "9834029e-58b6" });
    expect((await place(call, { timeoutMs: 1000 })).kind).toBe("unknown");
    expect(await place(call, { timeoutMs: 1000 })).toMatchObject({
      kind: "refused",
      retryable: false,
      httpStatus: 400,
    });
    expect(bodies[0]).toMatchObject({
      from: "918071000000",
      to: "919833300099",
      answer_url: call.answerUrl,
      hangup_url: call.statusUrl,
      ring_url: call.statusUrl,
      machine_detection: "hangup",
    });
  });

  it("Exotel: POST /v1/Accounts/{sid}/Calls/connect with the patient as From, the ExoPhone, the dashboard flow and the signed status URL", async () => {
    const { exotelCalls } = await import("../src/providers/exotel-calls.ts");
    const forms: Record<string, string>[] = [];
    mockServer.use(
      http.post("https://exotel.test/v1/Accounts/clinic1/Calls/connect.json", async ({ request }) => {
        forms.push(Object.fromEntries(new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()))));
        return HttpResponse.json({ Call: { Sid: "b6cfaf5b2c7d", Status: "in-progress" } });
      }),
    );
    const flowUrl = "http://my.exotel.com/clinic1/exoml/start_voice/926";
    const place = exotelCalls({
      apiKey: "k",
      apiToken: "t",
      accountSid: "clinic1",
      apiBaseUrl: "https://exotel.test",
      callerId: "08047100000",
      flowUrl,
    });
    expect(await place(call, { timeoutMs: 1000 })).toEqual({ kind: "placed", callId: "b6cfaf5b2c7d" });
    expect(forms[0]).toMatchObject({
      From: "+919833300099",
      CallerId: "08047100000",
      Url: flowUrl,
      CallType: "trans",
      StatusCallback: call.statusUrl,
    });
  });
});

describe("the same answered call on Plivo and Exotel", () => {
  it("Plivo: placed by its Call API, answered and confirmed through its signed callbacks", async () => {
    fakeTwilioSms();
    const bodies: Record<string, string>[] = [];
    mockServer.use(
      http.post("https://plivo.test/v1/Account/MAtest/Call/", async ({ request }) => {
        bodies.push((await request.json()) as Record<string, string>);
        return HttpResponse.json({ message: "call fired", request_uuid: "req-1" }, { status: 201 });
      }),
    );
    const phone = "+919833300010";
    await bookByPhone(phone, "08");
    const plivo = {
      OUTBOUND_CALLS: "plivo",
      PLIVO_AUTH_ID: "MAtest",
      PLIVO_CALLER_ID: "+918071000000",
      PLIVO_API_BASE_URL: "https://plivo.test",
    };
    await cronAt("2028-03-07 18:00", plivo);
    const placed = bodies.find((b) => b.to === phone.slice(1))!;
    const answered = new SimulatedCall({
      baseUrl: BASE_URL,
      authToken: PROVIDER_SECRETS.plivo,
      dialect: plivoDialect,
      from: "+918071000000",
      to: phone,
      callSid: "plivo-call-uuid",
      voicePath: placed.answer_url!,
      statusUrl: placed.hangup_url!,
      outbound: true,
      fetch: line,
    });
    expect(heard(await answered.dial())).toContain("This is a reminder of your appointment with Dr. Anil Bhat");
    expect(heard(await answered.press("1"))).toBe("Thank you. Your appointment is confirmed. Goodbye.");
    expect(await answered.hangUp()).toBe(200);
    const a = (await appointmentOf(phone))!;
    expect(a.confirmed).not.toBeNull();
    expect(await callRow(a.id)).toMatchObject({ status: "answered", outcome: "confirmed" });
  });

  it("Exotel: connected to the dashboard flow, whose applet fetches the keyed outbound entry; found by its CallSid", async () => {
    fakeTwilioSms();
    const forms: Record<string, string>[] = [];
    mockServer.use(
      http.post("https://exotel.test/v1/Accounts/clinic1/Calls/connect.json", async ({ request }) => {
        forms.push(Object.fromEntries(new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()))));
        return HttpResponse.json({ Call: { Sid: `exo${forms.length}`, Status: "in-progress" } });
      }),
    );
    const phone = "+919833300011";
    await bookByPhone(phone, "08");
    await cronAt("2028-03-07 18:00", {
      OUTBOUND_CALLS: "exotel",
      EXOTEL_API_KEY: "k",
      EXOTEL_API_TOKEN: "t",
      EXOTEL_ACCOUNT_SID: "clinic1",
      EXOTEL_API_BASE_URL: "https://exotel.test",
      EXOTEL_CALLER_ID: "08047100000",
      EXOTEL_CALL_FLOW_URL: "http://my.exotel.com/clinic1/exoml/start_voice/926",
    });
    const i = forms.findIndex((f) => f.From === phone);
    const secret = PROVIDER_SECRETS.exotel;
    const entry = `/api/exotel/outbound/?k=${await outboundKey(secret)}`;
    const answered = new SimulatedCall({
      baseUrl: BASE_URL,
      authToken: secret,
      dialect: exotelDialect,
      from: phone,
      to: "+918047100000",
      callSid: `exo${i + 1}`,
      voicePath: entry,
      statusUrl: forms[i]!.StatusCallback!,
      fetch: line,
    });
    expect(heard(await answered.dial())).toContain("This is a reminder of your appointment with Dr. Anil Bhat");
    expect(heard(await answered.press("1"))).toBe("Thank you. Your appointment is confirmed. Goodbye.");
    expect(await answered.hangUp()).toBe(200);
    const a = (await appointmentOf(phone))!;
    expect(await callRow(a.id)).toMatchObject({ status: "answered", outcome: "confirmed" });
    // Without the key, the entry is refused.
    const forged = await line(new URL("/api/exotel/outbound/?k=wrong&CallSid=exo1", BASE_URL).toString(), {
      method: "GET",
    });
    expect(forged.status).toBe(403);
  });
});
