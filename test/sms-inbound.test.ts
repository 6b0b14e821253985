/**
 * Inbound SMS: CANCEL, CANCEL <token>, STATUS/LIST and help, from the sender's own number
 * however it is written, and only ever about the sender's own appointments.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseSmsCommand } from "../src/sms/commands.ts";
import { parseTwiml, textOf, twimlProblems } from "../tools/twiml-reader.ts";
import { createExecutionContext } from "cloudflare:test";
import worker from "../src/index.ts";
import { computeSignature } from "../src/twilio/signature.ts";
import { addStaff, DeskClient } from "./support/desk.ts";
import {
  AUTH_TOKEN,
  fakeTwilioSms,
  choose,
  heard,
  newCall,
  overHttp,
  post,
  BASE_URL,
  workerFetch,
} from "./support/line.ts";

const LINE = "+15005550006";
let sidCounter = 0;

async function text(from: string | undefined, body: string, messageSid = `SMin${++sidCounter}`) {
  const params: Record<string, string> = {
    MessageSid: messageSid,
    SmsSid: messageSid,
    AccountSid: "AC1",
    To: LINE,
    Body: body,
    NumMedia: "0",
  };
  if (from !== undefined) params.From = from;
  const res = await post("/api/sms/incoming/", params);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/xml");
  const root = parseTwiml(await res.text());
  expect(twimlProblems(root, "messaging")).toEqual([]);
  return root.children.map((c) => textOf(c)).join("\n");
}

/** Books the first offered slot at a single-doctor clinic; returns what the caller heard at the offer. */
async function book(phone: string, clinic: string) {
  const call = newCall(phone);
  // A phone with appointments hears them first; 4 books a new one.
  let menu = await call.dial();
  if (heard(menu).includes("You have")) menu = await call.press("4");
  await choose(call, menu, clinic);
  const offer = await call.press("1");
  const booked = await call.press("1");
  expect(heard(booked)).toContain("Your appointment is booked");
  const token = /Your token is ([A-Z ]+), (\d+)\./.exec(heard(booked))!;
  return { offer: heard(offer), token: `${token[1]!.replaceAll(" ", "")}-${token[2]}`, callSid: call.callSid };
}

async function statusOf(callSid: string) {
  return (
    await env.DB.prepare("SELECT status FROM appointments WHERE call_sid = ?").bind(callSid).first<{ status: string }>()
  )?.status;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-25T03:30:00Z")); // Wednesday 09:00 IST
  fakeTwilioSms();
});
afterEach(() => vi.useRealTimers());

describe("parseSmsCommand", () => {
  it.each([
    ["CANCEL", { kind: "cancel" }],
    ["cancel", { kind: "cancel" }],
    ["  Cancel.  ", { kind: "cancel" }],
    ["!!cancel!!", { kind: "cancel" }],
    ["CANCEL K-7", { kind: "cancel", token: "K-7" }],
    ["cancel ks 2", { kind: "cancel", token: "KS-2" }],
    ["Cancel: KS-02.", { kind: "cancel", token: "KS-2" }],
    ["cancelks12", { kind: "cancel", token: "KS-12" }],
    ["STATUS", { kind: "status" }],
    [" list ", { kind: "status" }],
    ["hello, is the doctor in today?", { kind: "help" }],
    ["", { kind: "help" }],
    ["cancel my appointment please", { kind: "help" }],
  ])("%j -> %j", (body, expected) => {
    expect(parseSmsCommand(body)).toEqual(expected);
  });
});

describe("CANCEL", () => {
  it("cancels the sender's next appointment, written as 10 digits, and frees the slot for the next caller", async () => {
    const first = await book("+919811100001", "Ullal Seaside Clinic"); // Ullal Seaside Clinic: Dr. Suresh Pai only
    expect(first.offer).toContain("Dr. Suresh Pai can see you today at 9:15 AM.");
    expect(first.token).toBe("S-2");

    const reply = await text("9811100001", "Cancel");
    expect(reply).toBe(
      "Token S-2 is cancelled: Dr. Suresh Pai, Ullal Seaside Clinic, on 25-11-2026 at 9:15 AM. The time is now free for others.",
    );
    expect(await statusOf(first.callSid)).toBe("cancelled");

    // The freed slot is offered (and bookable) again, with the same token.
    const next = await book("+919811100002", "Ullal Seaside Clinic");
    expect(next.offer).toContain("Dr. Suresh Pai can see you today at 9:15 AM.");
    expect(next.token).toBe("S-2");
  });

  it("CANCEL <token> cancels that appointment only; a sender cannot cancel someone else's", async () => {
    const a = await book("+919811100003", "Moodbidri Care Clinic"); // Moodbidri: Dr. Fathima Begum, F-2
    const b = await book("+919811100003", "Moodbidri Care Clinic"); // same phone, a family member: F-3
    const stranger = await book("+919811100004", "Moodbidri Care Clinic"); // F-4
    expect([a.token, b.token, stranger.token]).toEqual(["F-2", "F-3", "F-4"]);

    expect(await text("+91 98111 00003", "cancel f 4")).toBe(
      "No upcoming appointment with token F-4 was found for this number. Text STATUS to see your appointments.",
    );
    expect(await statusOf(stranger.callSid)).toBe("booked");

    expect(await text("+919811100003", "CANCEL F-3")).toContain("Token F-3 is cancelled: Dr. Fathima Begum");
    expect(await statusOf(a.callSid)).toBe("booked");
    expect(await statusOf(b.callSid)).toBe("cancelled");
  });

  it("with nothing upcoming, says so", async () => {
    expect(await text("+919811100099", "CANCEL")).toBe(
      "You have no upcoming appointment to cancel. Text STATUS to see your appointments.",
    );
  });

  it("a retried webhook (same MessageSid) gets the same reply and cancels only once", async () => {
    const a = await book("+919811100005", "Bantwal Health Centre"); // Bantwal: Dr. Meera Nayak (from 10:00)
    const b = await book("+919811100005", "Bantwal Health Centre");
    const [r1, r2] = await Promise.all([
      text("+919811100005", "CANCEL", "SMretry1"),
      text("+919811100005", "CANCEL", "SMretry1"),
    ]);
    const r3 = await text("+919811100005", "CANCEL", "SMretry1");
    // 10:00 is the fifth quarter hour from 09:00, whatever time the doctor starts: M-5.
    expect(r3).toContain("Token M-5 is cancelled");
    expect([r1, r2].filter((r) => r.startsWith("Token M-5 is cancelled"))).toHaveLength(r1 === r2 ? 2 : 1);
    expect(await statusOf(a.callSid)).toBe("cancelled");
    expect(await statusOf(b.callSid)).toBe("booked");
  });
});

describe("STATUS and help", () => {
  it("STATUS lists the sender's upcoming appointments, one SMS each, with token, doctor, clinic, date and time", async () => {
    await book("+919811100006", "Puttur Town Clinic"); // Puttur: Dr. Anil Bhat
    expect(await text("919811100006", "status")).toBe(
      "Token A-2, appointment 1 of 1: Dr. Anil Bhat, Puttur Town Clinic, on 25-11-2026 at 9:15 AM. To cancel it, reply CANCEL A-2.",
    );
    await book("+919811100006", "Bantwal Health Centre"); // Bantwal: Dr. Meera Nayak, from 10:00
    const messageSid = `SMin${++sidCounter}`;
    const both = await text("919811100006", "STATUS", messageSid);
    expect(both.split("\n")).toEqual([
      "Token A-2, appointment 1 of 2: Dr. Anil Bhat, Puttur Town Clinic, on 25-11-2026 at 9:15 AM. To cancel it, reply CANCEL A-2.",
      "Token M-5, appointment 2 of 2: Dr. Meera Nayak, Bantwal Health Centre, on 25-11-2026 at 10:00 AM. To cancel it, reply CANCEL M-5.",
    ]);
    // Twilio retrying the webhook gets the same two messages back.
    expect(await text("919811100006", "STATUS", messageSid)).toBe(both);
    expect(await text("+919811100007", "LIST")).toBe(`You have no upcoming appointments. To book, call ${LINE}.`);
  });

  it("anything else gets the help text, and the free text is kept for clinic staff", async () => {
    const reply = await text("+919811100008", "Is Dr. Pai in on Sunday? <3 & thanks");
    expect(reply).toBe(
      `Clinic line: text STATUS to see your appointments, CANCEL to cancel the next one, or CANCEL and a token, like CANCEL KS-2. To book, call ${LINE}.`,
    );
    const stored = await env.DB.prepare(
      "SELECT from_number, body, command, reply FROM sms_inbound WHERE from_number = ?",
    )
      .bind("+919811100008")
      .first();
    expect(stored).toEqual({
      from_number: "+919811100008",
      body: "Is Dr. Pai in on Sunday? <3 & thanks",
      command: "help",
      reply,
    });
  });

  it("no reply to a sender whose number cannot be read (withheld, short codes, alphanumeric IDs); the text is kept", async () => {
    for (const [from, sid] of [
      [undefined, "SMnoFrom"],
      ["anonymous", "SManon"],
      ["56789", "SMshort"],
      ["VK-HDFCBK", "SMalpha"],
    ] as const) {
      expect(await text(from, "STATUS", sid)).toBe("");
      const stored = await env.DB.prepare("SELECT body, command, reply FROM sms_inbound WHERE message_sid = ?")
        .bind(sid)
        .first();
      expect(stored).toEqual({ body: "STATUS", command: "ignored", reply: "" });
    }
  });
});

describe("auto-reply hygiene", () => {
  it("one sender gets at most 5 replies an hour; later texts are stored and not answered", async () => {
    const from = "+919811100050";
    const replies: string[] = [];
    for (let i = 0; i < 30; i++) replies.push(await text(from, `hello ${i}`));
    expect(replies.filter((r) => r !== "")).toHaveLength(5);
    expect(replies.slice(5)).toEqual(Array(25).fill(""));
    const stored = await env.DB.prepare(
      "SELECT count(*) AS n, sum(command = 'unanswered') AS unanswered FROM sms_inbound WHERE from_number = ?",
    )
      .bind(from)
      .first();
    expect(stored).toEqual({ n: 30, unanswered: 25 });
    // An admin sees on the desk what was not answered; a clinic's desk user does not (texts are not per clinic).
    const clerk = new DeskClient();
    const clerkUser = await addStaff("desk", { clinics: [1] });
    await clerk.signIn(clerkUser.username, clerkUser.password);
    expect((await clerk.get("/api/desk/messages")).status).toBe(403);
    const admin = new DeskClient();
    const adminUser = await addStaff("admin");
    await admin.signIn(adminUser.username, adminUser.password);
    const desk = await admin.get("/api/desk/messages?limit=200");
    expect(desk.status).toBe(200);
    const { messages } = (await desk.json()) as { messages: { from: string; body: string; command: string }[] };
    const mine = messages.filter((m) => m.from === from);
    expect(mine.filter((m) => m.command === "unanswered")).toHaveLength(25);
    expect(mine.map((m) => m.body)).toContain("hello 29");

    // An hour later the sender is answered again.
    vi.setSystemTime(new Date("2026-11-25T04:31:00Z"));
    expect(await text(from, "STATUS")).toContain("You have no upcoming appointments.");
  });

  it("a rate-limited CANCEL cancels nothing", async () => {
    const from = "+919811100051";
    const booked = await book(from, "Bantwal Health Centre");
    for (let i = 0; i < 5; i++) await text(from, "hello");
    expect(await text(from, "CANCEL")).toBe("");
    expect(await statusOf(booked.callSid)).toBe("booked");
  });

  it("replies count against the daily SMS budget: past it, texts are stored and not answered", async () => {
    vi.setSystemTime(new Date("2031-05-05T06:00:00Z"));
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const tightEnv = { ...env, SMS_DAILY_BUDGET: "1" } as Env;
    const send = async (from: string, sid: string) => {
      const url = `${BASE_URL}/api/sms/incoming/`;
      const params = { MessageSid: sid, From: from, To: LINE, Body: "STATUS" };
      const res = await worker.fetch(
        overHttp(url, {
          method: "POST",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": await computeSignature(AUTH_TOKEN, url, params),
          },
          body: new URLSearchParams(params).toString(),
        }),
        tightEnv,
        createExecutionContext(),
      );
      return textOf(parseTwiml(await res.text()));
    };
    expect(await send("+919811100060", "SMbudget1")).toContain("You have no upcoming appointments.");
    expect(await send("+919811100061", "SMbudget2")).toBe("");
    const row = await env.DB.prepare("SELECT command FROM sms_inbound WHERE message_sid = 'SMbudget2'").first();
    expect(row).toEqual({ command: "unanswered" });
    expect(error.mock.calls.flat().join(" ")).toContain("ALERT: daily SMS budget reached");
    error.mockRestore();
  });

  it("no reply to a number the line may not text (SMS pumping through replies)", async () => {
    expect(await text("+88213000001", "STATUS", "SMsat")).toBe("");
    expect(await text("+447700900123", "hello", "SMuk")).toBe("");
    const stored = await env.DB.prepare(
      "SELECT command FROM sms_inbound WHERE message_sid IN ('SMsat', 'SMuk') ORDER BY message_sid",
    ).all();
    expect(stored.results).toEqual([{ command: "ignored" }, { command: "ignored" }]);
  });
});

describe("forged messages", () => {
  it("an unsigned or mis-signed CANCEL is refused with 403 and cancels nothing", async () => {
    const a = await book("+919811100009", "Puttur Town Clinic");
    const body = new URLSearchParams({
      MessageSid: "SMforged",
      From: "+919811100009",
      To: LINE,
      Body: "CANCEL",
    }).toString();
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const unsigned = await workerFetch(`${BASE_URL}/api/sms/incoming/`, { method: "POST", headers, body });
    expect(unsigned.status).toBe(403);
    const forged = await workerFetch(`${BASE_URL}/api/sms/incoming/`, {
      method: "POST",
      headers: { ...headers, "X-Twilio-Signature": "RSOYDt4T1cUTdK1PDd93/VVr8B8=" },
      body,
    });
    expect(forged.status).toBe(403);
    expect(await statusOf(a.callSid)).toBe("booked");
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM sms_inbound WHERE message_sid = 'SMforged'").first(),
    ).toEqual({ n: 0 });
  });
});
