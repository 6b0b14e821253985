/**
 * Wrong keys, silence and tampered URLs at every step of a call: a clear re-prompt, a polite
 * end after the third miss, never a 500, and nothing booked that the caller did not confirm.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parseTwiml, textOf, twimlProblems } from "../tools/twiml-reader.ts";
import { heard, newCall, post } from "./support/line.ts";

// Wednesday 9 December 2026, 09:00 IST.
const NOW = new Date("2026-12-09T03:30:00Z");

beforeAll(async () => {
  // A second state with two districts, so the state and district menus are real menus here,
  // and a clinic whose speciality has two doctors (the doctor menu).
  await env.DB.batch([
    env.DB.prepare("INSERT INTO states (id, name) VALUES (2, 'Kerala')"),
    env.DB.prepare("INSERT INTO districts (id, state_id, name) VALUES (2, 2, 'Kozhikode'), (3, 2, 'Kannur')"),
    env.DB.prepare(
      "INSERT INTO clinics (id, district_id, name, address) VALUES (80, 2, 'Kozhikode Family Clinic', 'Kozhikode'), (81, 3, 'Kannur Clinic', 'Kannur')",
    ),
    env.DB.prepare(
      "INSERT INTO doctors (id, clinic_id, name, specialization_id) VALUES (80, 80, 'Dr. Anjali Menon', 1), (81, 80, 'Dr. Biju Thomas', 1), (82, 81, 'Dr. Divya Nair', 2)",
    ),
  ]);
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

let phoneCounter = 0;
const nextPhone = () => `+9190000${String(++phoneCounter).padStart(5, "0")}`;

async function callTo(keys: string[], from = nextPhone()) {
  const call = newCall(from);
  let turn = await call.dial();
  for (const key of keys) turn = await call.press(key);
  return { call, turn };
}

async function appointmentCount() {
  return (await env.DB.prepare("SELECT count(*) AS n FROM appointments").first<{ n: number }>())!.n;
}

const MENUS = [
  { name: "state", keys: [], prompt: "Please choose your state. For Karnataka, press 1. For Kerala, press 2." },
  {
    name: "district",
    keys: ["2"],
    prompt: "Please choose your district. For Kozhikode, press 1. For Kannur, press 2.",
  },
  { name: "clinic", keys: ["1"], prompt: "Please choose a clinic. For Hampankatta Family Clinic, press 1." },
  { name: "booking type", keys: ["1", "1"], prompt: "For the next available doctor, press 1." },
  { name: "specialization", keys: ["1", "1", "2"], prompt: "Please choose the kind of doctor you need." },
  {
    name: "doctor",
    keys: ["2", "1", "2"],
    prompt: "Please choose a doctor. For the earliest available General Physician doctor, press 1.",
  },
];

describe.each(MENUS)("the $name menu", ({ keys, prompt }) => {
  it("re-prompts on a wrong key and on silence, and ends politely after the third miss", async () => {
    const before = await appointmentCount();
    const { call, turn } = await callTo(keys);
    expect(heard(turn)).toContain(prompt);

    // 7 is no key at any menu: at most four choices, 9 for more, 0 for the reception.
    const wrong = await call.press("7");
    expect(heard(wrong)).toContain("Sorry, that is not one of the choices.");
    expect(heard(wrong)).toContain(prompt);

    const silent = await call.press("");
    expect(heard(silent)).toContain("Sorry, we did not hear a choice.");
    expect(heard(silent)).toContain(prompt);

    // Star repeats the question without counting as a miss.
    const repeated = await call.press("*");
    expect(heard(repeated)).toContain(prompt);
    expect(heard(repeated)).not.toContain("Sorry");
    expect(repeated.ended).toBe(false);

    const last = await call.press("#");
    expect(last.ended).toBe(true);
    expect(heard(last)).toBe(
      "Sorry, we could not get your choice. Please call again at any time: the call also tells you your appointments. Goodbye.",
    );
    for (const r of [...wrong.responses, ...silent.responses, ...repeated.responses, ...last.responses]) {
      expect(r.status).toBe(200);
      expect(twimlProblems(parseTwiml(r.body), "voice")).toEqual([]);
    }
    expect(await appointmentCount()).toBe(before);
  });

  it("treats # and several digits as wrong keys, not errors", async () => {
    const { call } = await callTo(keys);
    for (const key of ["#", "12"]) {
      const turn = await call.press(key);
      expect(heard(turn)).toContain("Sorry, that is not one of the choices.");
    }
  });
});

describe("the offer", () => {
  it("re-prompts with the same held time, and releases the hold when the caller gives up", async () => {
    const { call, turn } = await callTo(["2", "2"]); // Kerala > Kannur > (Kannur Clinic) > next available
    expect(heard(turn)).toContain("The clinic is Kannur Clinic.");
    const offer = await call.press("1");
    expect(heard(offer)).toContain("Dr. Divya Nair can see you today at 9:15 AM.");
    const wrong = await call.press("9"); // 1-3 (and 0, *) are the offer's keys
    expect(heard(wrong)).toContain(
      "Sorry, that is not one of the choices. Dr. Divya Nair can see you today at 9:15 AM.",
    );
    const silent = await call.press("");
    expect(heard(silent)).toContain("Sorry, we did not hear a choice. Dr. Divya Nair can see you today at 9:15 AM.");
    const gone = await call.press("#");
    expect(gone.ended).toBe(true);
    expect(await env.DOCTOR_DAY.getByName("doctor:82:2026-12-09").claimOf(call.callSid, Date.now())).toBeNull();
  });

  it("star hears the offer again, still held, without counting as a miss", async () => {
    const { call } = await callTo(["2", "2"]);
    const offer = await call.press("1");
    const again = await call.press("*");
    expect(heard(again)).toBe(heard(offer));
    await call.press("9");
    await call.press("");
    const stillThere = await call.press("*");
    expect(stillThere.ended).toBe(false); // two misses and two repeats: the call goes on
    expect(heard(stillThere)).toContain("Dr. Divya Nair can see you today at 9:15 AM.");
  });

  it("3 asks for other times and days; the held time stays held until another is chosen", async () => {
    const { call } = await callTo(["2", "2", "1"]);
    const others = await call.press("3");
    expect(heard(others)).toContain("For another day, press 2. For the morning, press 3.");
    expect(await env.DOCTOR_DAY.getByName("doctor:82:2026-12-09").claimOf(call.callSid, Date.now())).toMatchObject({
      state: "held",
    });
  });

  it("an expired hold is not booked: the caller hears it is gone and gets a fresh offer", async () => {
    const { call } = await callTo(["2", "2", "1"]);
    vi.setSystemTime(new Date(NOW.getTime() + 6 * 60_000)); // past HOLD_SECONDS (300)
    const turn = await call.press("1");
    expect(heard(turn)).toContain("Sorry, that time is no longer held for you.");
    expect(heard(turn)).toContain("Dr. Divya Nair can see you today at");
    expect(turn.ended).toBe(false);
  });
});

describe("tampered or stale action URLs", () => {
  const callParams = (extra: Record<string, string> = {}) => ({
    CallSid: `CAtamper${++phoneCounter}`,
    From: nextPhone(),
    To: "+15005550006",
    AccountSid: "AC1",
    ...extra,
  });

  it.each([
    ["/api/ivr/handle-clinic/?district=999", "1"],
    ["/api/ivr/handle-district/?state=77", "1"],
    ["/api/ivr/handle-doctor/?clinic=1&spec=99", "1"],
    ["/api/ivr/handle-specialization/?clinic=999", "1"],
    ["/api/ivr/handle-booking-type/?clinic=abc", "1"],
    ["/api/ivr/confirm-booking/?clinic=999&hold=1.2026-12-09.3", "1"],
    ["/api/ivr/confirm-booking/?lang=zz&page=-4&tries=x&state=%00", "1"],
    ["/api/ivr/handle-state/?tries=99", "3"],
  ])("%s answers 200 TwiML that re-prompts and books nothing", async (path, digits) => {
    const before = await appointmentCount();
    const res = await post(path, callParams({ Digits: digits }));
    expect(res.status).toBe(200);
    const root = parseTwiml(await res.text());
    expect(twimlProblems(root, "voice")).toEqual([]);
    expect(textOf(root)).toMatch(/not one of the choices|Please choose|Goodbye/);
    expect(await appointmentCount()).toBe(before);
  });

  it("a hold this call does not own (past date, another call's slot, another clinic's doctor) is never booked", async () => {
    const owner = await callTo(["1", "2", "1"]); // Puttur: Dr. Anil Bhat, holds 9:15 (slot 2)
    expect(heard(owner.turn)).toContain("Dr. Anil Bhat can see you today at 9:15 AM.");
    const before = await appointmentCount();
    // A past date, the owner's own time (held by another call), another clinic's doctor, a time never offered.
    for (const hold of ["3.2020-01-01.0930", "3.2026-12-09.0915", "1.2026-12-09.1000", "3.2026-12-09.2345"]) {
      const res = await post(`/api/ivr/confirm-booking/?clinic=2&hold=${hold}`, callParams({ Digits: "1" }));
      const text = textOf(parseTwiml(await res.text()));
      expect(res.status).toBe(200);
      expect(text, hold).toContain("Sorry, that time is no longer held for you.");
    }
    expect(await appointmentCount()).toBe(before);
    // The rightful caller still books the slot they were offered.
    expect(heard(await owner.call.press("1"))).toContain("Your token is A, 2.");
  });

  it("a request without CallSid gets the apology, not an error", async () => {
    const res = await post("/api/ivr/welcome/", { From: "+919000000000", To: "+15005550006" });
    expect(res.status).toBe(200);
    expect(textOf(parseTwiml(await res.text()))).toContain("Sorry, something went wrong on our side");
  });
});

describe("who may book", () => {
  it.each(["anonymous", "+266696687", "+7378742833", "+86282452253", "", "client:alice", "12"])(
    "a withheld caller ID (%j) is told at the welcome that the line needs the number",
    async (from) => {
      const call = newCall(from);
      const welcome = await call.dial();
      expect(heard(welcome)).toContain("we cannot see your phone number");
      expect(welcome.ended).toBe(true);
      const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM patients WHERE phone = ?")
        .bind(from)
        .first<{ n: number }>())!;
      expect(n).toBe(0);
    },
  );

  it("a confirm without a usable number (a URL replayed past the welcome) cannot book, and the hold is let go", async () => {
    const { call, turn } = await callTo(["1", "4", "1"]);
    expect(heard(turn)).toContain("Dr. Suresh Pai can see you");
    const hold = /hold=([^&"]+)/.exec(turn.responses.at(-1)!.body)![1]!;
    const res = await post(`/api/ivr/confirm-booking/?clinic=4&hold=${hold}`, {
      CallSid: call.callSid,
      From: "+266696687",
      Digits: "1",
    });
    expect(textOf(parseTwiml(await res.text()))).toContain("we cannot book without your phone number");
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM appointments WHERE call_sid = ?")
      .bind(call.callSid)
      .first<{ n: number }>())!;
    expect(n).toBe(0);
    expect(
      await env.DOCTOR_DAY.getByName(`doctor:5:${hold.split(".")[1]}`).claimOf(call.callSid, Date.now()),
    ).toBeNull();
  });

  it("one phone may hold 4 upcoming appointments (a family); a 5th call hears so at the welcome and again if it asks to book", async () => {
    const family = nextPhone();
    for (let i = 0; i < 4; i++) {
      // From the second call on, the caller's appointments come first: 4 books a new one.
      // Karnataka, 9 for more clinics, Moodbidri, next available.
      const { call } = await callTo([...(i > 0 ? ["4"] : []), "1", "9", "1", "1"], family);
      expect(heard(await call.press("1"))).toContain("Your appointment is booked");
    }
    const fifth = newCall(family);
    const welcome = heard(await fifth.dial());
    expect(welcome).toContain("You have 4 upcoming appointments.");
    expect(welcome).toContain("This phone number already has 4 upcoming appointments, the most we allow.");
    const refused = await fifth.press("4");
    expect(heard(refused)).toContain("This phone number already has 4 upcoming appointments");
    expect(refused.ended).toBe(false);
  });

  it("one phone never has two appointments at the same time", async () => {
    const phone = nextPhone();
    const first = await callTo(["1", "1", "1"], phone); // Hampankatta, next available
    const firstOffer = heard(first.turn);
    expect(heard(await first.call.press("1"))).toContain("Your appointment is booked");
    const time = /today at ([\d:]+ [AP]M)/.exec(firstOffer)![1];

    // The other doctor is free at the same time, but this phone is already busy then.
    const second = await callTo(["4", "1", "1", "1"], phone); // 4: book a new one
    expect(heard(second.turn)).toContain(`today at ${time}`);
    const clash = await second.call.press("1");
    expect(heard(clash)).toContain("This phone number already has an appointment at that time.");
    const later = await second.call.press("2");
    expect(heard(later)).not.toContain(`today at ${time}`);
    expect(heard(await second.call.press("1"))).toContain("Your appointment is booked");
  });

  it("a confirm Twilio repeats (sequentially or at once) books once and answers with the same token", async () => {
    const from = nextPhone();
    const { call, turn } = await callTo(["1", "3", "1"], from); // Bantwal: Dr. Meera Nayak
    const before = await appointmentCount();
    // The offer's Gather action, exactly as Twilio would post it again.
    const action = /action="([^"]+)"/.exec(turn.responses.at(-1)!.body)![1]!.replaceAll("&amp;", "&");
    const confirm = () => post(action, { CallSid: call.callSid, From: from, To: "+15005550006", Digits: "1" });
    const answers = await Promise.all([confirm(), confirm()]);
    const again = await confirm();
    const texts = await Promise.all([...answers, again].map(async (r) => textOf(parseTwiml(await r.text()))));
    const tokens = texts.map((t) => /Your token is ([A-Z ]+, \d+)\./.exec(t)?.[1]);
    expect(tokens[0]).toBeTruthy();
    expect(new Set(tokens)).toEqual(new Set([tokens[0]]));
    expect(await appointmentCount()).toBe(before + 1);
  });
});
