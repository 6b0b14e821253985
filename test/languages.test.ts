/**
 * The line in Kannada, English and Hindi (LANGUAGES=kn,en,hi as wrangler.toml ships it): a new
 * caller chooses a language, hearing each option in its own language and voice; the whole call
 * and its SMS are then in that language, said by that language's voice; the choice is kept for
 * the next call, with 0 to change it.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Turn, Utterance } from "../tools/twilio-caller.ts";
import { parseTwiml, type TwimlElement } from "../tools/twiml-reader.ts";
import { SMS_LANGUAGES } from "../src/sms/templates/index.ts";
import { noticeSms } from "../src/sms/texts.ts";
import { CATALOGUES, type Language } from "../src/words/index.ts";
import { fakeTwilioSms, heard, lineWith, newCallOn, post } from "./support/line.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const NOW = new Date("2026-12-02T03:30:00Z"); // Wednesday 09:00 IST
const line = lineWith({ LANGUAGES: "kn,en,hi" });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const VOICE: Record<Language, { voice: string; language: string }> = {
  kn: { voice: "Google.kn-IN-Wavenet-A", language: "kn-IN" },
  en: { voice: "Polly.Kajal-Neural", language: "en-IN" },
  hi: { voice: "Polly.Kajal-Neural", language: "hi-IN" },
};
const KEY: Record<Language, string> = { kn: "1", en: "2", hi: "3" };
/** Clinic 1 as each language names it (seed/demo.sql). */
const CLINIC_1: Record<Language, string> = {
  kn: "ಹಂಪನಕಟ್ಟೆ ಫ್ಯಾಮಿಲಿ ಕ್ಲಿನಿಕ್",
  en: "Hampankatta Family Clinic",
  hi: "हंपनकट्टा फ़ैमिली क्लिनिक",
};

/** Every <Gather> of the TwiML a turn received. */
function gathers(turn: Turn): TwimlElement[] {
  return turn.responses.flatMap((r) =>
    parseTwiml(r.body).children.filter((c): c is TwimlElement => typeof c !== "string" && c.name === "Gather"),
  );
}

async function preferredLanguage(phone: string) {
  const row = await env.DB.prepare("SELECT preferred_language AS language FROM patients WHERE phone = ?")
    .bind(phone)
    .first<{ language: string | null }>();
  return row?.language ?? null;
}

/** What is left of spoken or texted words once names, tokens and digits are taken out. */
function withoutNamesAndTokens(text: string, names: string[]): string {
  let rest = text;
  for (const name of names) rest = rest.replaceAll(name, "");
  return rest.replace(/\b[A-Z]{1,3}-\d+\b/g, "").replace(/CANCEL/g, "");
}

describe("a new caller", () => {
  it("hears a one-line greeting naming the service, then each language offered in its own words and voice", async () => {
    const call = newCallOn(line, "+919300000001");
    const menu = await call.dial();
    expect(menu.utterances).toEqual<Utterance[]>([
      { text: "ನಮಸ್ಕಾರ. ಇದು ಕ್ಲಿನಿಕ್ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಲೈನ್.", ...VOICE.kn },
      { text: "ಕನ್ನಡ ಬೇಕಾದರೆ 1 ಒತ್ತಿ.", ...VOICE.kn },
      { text: "For English, press 2.", ...VOICE.en },
      { text: "हिंदी के लिए 3 दबाइए।", ...VOICE.hi },
    ]);
    // English listens for speech by default, so its recogniser hears the answer.
    expect(gathers(menu)[0]!.attributes).toMatchObject({ input: "dtmf speech", numDigits: "1", language: "en-IN" });
  });

  it.each([
    ["Hindi", "hi", "+919300000601"],
    ["ಕನ್ನಡ", "kn", "+919300000602"],
    ["Kannada", "kn", "+919300000603"],
    ["two", "en", "+919300000604"],
  ])("may say the language: %s", async (said, language, phone) => {
    const call = newCallOn(line, phone);
    await call.dial();
    const welcome = await call.speak(said);
    expect(heard(welcome)).toContain(CATALOGUES[language as Language].welcome);
  });

  it("is asked again when the spoken language is not one of the choices", async () => {
    const call = newCallOn(line, "+919300000620");
    await call.dial();
    const again = await call.speak("Tamil");
    expect(heard(again)).toContain(CATALOGUES.kn.notUnderstood);
    expect(heard(again)).toContain("For English, press 2.");
  });

  it("on a line without speech, the language menu takes keys only", async () => {
    const call = newCallOn(lineWith({ LANGUAGES: "kn,en,hi", SPEECH_LANGUAGES: "none" }), "+919300000621");
    const menu = await call.dial();
    expect(gathers(menu)[0]!.attributes).toMatchObject({ input: "dtmf", language: "kn-IN" });
  });

  it("who says nothing goes on in the first language, and nothing is stored", async () => {
    const phone = "+919300000002";
    const call = newCallOn(line, phone);
    await call.dial();
    const turn = await call.press("");
    expect(turn.ended).toBe(false);
    expect(heard(turn)).toContain("ನಮಸ್ಕಾರ. ಇದು ಕ್ಲಿನಿಕ್ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಲೈನ್.");
    expect(heard(turn)).toContain("ಯಾವ ಕ್ಲಿನಿಕ್ ಬೇಕು ಅಂತ ಆರಿಸಿ.");
    expect(await preferredLanguage(phone)).toBeNull();
  });

  it("hears the menu again on star, is asked again on a wrong key, and is never cut off for not choosing", async () => {
    const call = newCallOn(line, "+919300000003");
    await call.dial();
    const again = await call.press("*");
    expect(again.utterances.map((u) => u.text)).toEqual([
      "ನಮಸ್ಕಾರ. ಇದು ಕ್ಲಿನಿಕ್ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಲೈನ್.",
      "ಕನ್ನಡ ಬೇಕಾದರೆ 1 ಒತ್ತಿ.",
      "For English, press 2.",
      "हिंदी के लिए 3 दबाइए।",
    ]);
    for (let i = 0; i < 2; i++) {
      const wrong = await call.press("7");
      expect(heard(wrong)).toContain("ಕ್ಷಮಿಸಿ, ಆ ನಂಬರ್ ಇಲ್ಲ.");
      expect(heard(wrong)).toContain("For English, press 2.");
    }
    const onwards = await call.press("7");
    expect(onwards.ended).toBe(false);
    expect(heard(onwards)).toContain("ಯಾವ ಕ್ಲಿನಿಕ್ ಬೇಕು ಅಂತ ಆರಿಸಿ.");
  });
});

describe.each<[Language, RegExp, RegExp]>([
  ["kn", /[\u0C80-\u0CFF]/, /ಇವತ್ತು ಬೆಳಿಗ್ಗೆ \d{1,2} (ಗಂಟೆಗೆ|ಗಂಟೆ \d{1,2} ನಿಮಿಷಕ್ಕೆ)/],
  ["hi", /[\u0900-\u097F]/, /आज सुबह (\d{1,2} बजे|\d{1,2} बजकर \d{1,2} मिनट पर|साढ़े \d{1,2} बजे|पौने \d{1,2} बजे)/],
  ["en", /[A-Za-z]/, /today at \d{1,2}:\d\d AM/],
])("a whole booking call in %s", (language, script, today) => {
  it("is said by the language's voice, in its script, down to the token and the SMS", async () => {
    const sms = fakeTwilioSms();
    const phone = `+91930000010${KEY[language]}`;
    const words = CATALOGUES[language];
    const call = newCallOn(line, phone);
    const turns = [await call.dial()];
    for (const key of [KEY[language], "1", "1", "1", "*"]) turns.push(await call.press(key));
    // After the token again, the reason for the visit: by speech where the language listens
    // (SPEECH_LANGUAGES defaults to en,hi), else recorded (the simulated caller records nothing).
    const recorded = language === "kn";
    if (!recorded) {
      expect(call.ended).toBe(false);
      turns.push(await call.press(""));
    }
    expect(call.ended).toBe(true);

    const [, welcome, bookingType, offer, booked, again, skipped] = turns as [
      Turn,
      Turn,
      Turn,
      Turn,
      Turn,
      Turn,
      Turn?,
    ];
    expect(heard(welcome)).toContain(words.welcome);
    expect(heard(bookingType)).toContain(words.bookingType(CLINIC_1[language]));
    expect(heard(offer)).toMatch(today);

    const appointment = await env.DB.prepare(
      "SELECT a.token, d.name AS doctor FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN doctors d ON d.id = a.doctor_id WHERE p.phone = ?",
    )
      .bind(phone)
      .first<{ token: string; doctor: string }>();
    expect(appointment).not.toBeNull();
    const spokenToken = words.spokenToken(appointment!.token);
    expect(heard(booked)).toContain(words.tokenAgain(spokenToken).replace(/[.।]$/, ""));
    if (recorded) {
      expect(heard(again)).toBe(`${words.tokenAgain(spokenToken)} ${words.reasonAskByRecording} ${words.goodbye}`);
    } else {
      expect(heard(again)).toBe(`${words.tokenAgain(spokenToken)} ${words.reasonAskBySpeech}`);
      expect(heard(skipped!)).toBe(words.goodbye);
    }

    // After the language menu, every <Say> and every <Gather> is in the chosen language.
    const afterChoice = turns.slice(1);
    const utterances = afterChoice.flatMap((t) => t.utterances);
    expect(utterances.length).toBeGreaterThan(5);
    for (const u of utterances) expect({ voice: u.voice, language: u.language }, u.text).toEqual(VOICE[language]);
    for (const g of afterChoice.flatMap(gathers)) expect(g.attributes.language).toBe(VOICE[language].language);

    const names = [appointment!.doctor];
    for (const u of utterances) {
      expect(u.text).toMatch(script);
      if (language !== "en") expect(withoutNamesAndTokens(u.text, names), u.text).not.toMatch(/[A-Za-z]/);
    }

    // The SMS: the booking in the caller's language, with the date and token any script reads.
    await vi.waitFor(() => expect(sms.filter((m) => m.To === phone)).toHaveLength(1), BACKGROUND_WAIT);
    const bookingSms = sms.find((m) => m.To === phone && m.Body.includes(appointment!.token))!.Body;
    // A temporary password asked for on the patient page comes in the language chosen on the line.
    await env.JOBS.send({ accountFor: phone, callbackBase: "https://line.test" });
    await vi.waitFor(() => expect(sms.filter((m) => m.To === phone)).toHaveLength(2), BACKGROUND_WAIT);
    // An absolute date, and a 12-hour time with the part of the day in the language.
    expect(bookingSms).toContain("02-12-2026");
    // A morning time: "9:15 AM", "ಬೆಳಿಗ್ಗೆ 9:15", "सुबह 9:15".
    expect(bookingSms).toMatch(new RegExp(SMS_LANGUAGES[language].time(9 * 60).replace("9:00", "9:\\d\\d")));
    expect(bookingSms).toMatch(script);
    const accountSms = sms.find((m) => m.To === phone && m.Body !== bookingSms)!.Body;
    expect(accountSms).toContain(SMS_LANGUAGES[language].texts.account.split("{login}")[0]);
    if (language !== "en") {
      expect(withoutNamesAndTokens(bookingSms, names), bookingSms).not.toMatch(/[A-Za-z]/);
      expect(bookingSms).toContain(CLINIC_1[language]);
    }
    expect(await preferredLanguage(phone)).toBe(language);
  });
});

describe("pace", () => {
  it("a long menu is said in breaths: the question, then at most four choices between short pauses", async () => {
    const call = newCallOn(line, "+919300000401");
    await call.dial();
    const menu = await call.press("2");
    const gather = gathers(menu)[0]!;
    const children = gather.children.filter((c): c is TwimlElement => typeof c !== "string");
    // The greeting's first menu ends with the star hint, briefly, after the choices.
    expect(children.map((c) => c.name)).toEqual(["Say", "Pause", "Say", "Pause", "Say", "Pause", "Say"]);
    expect(children[1]!.attributes.length).toBe("1");
    expect(menu.utterances.map((u) => u.text).slice(-3)).toEqual([
      "For Hampankatta Family Clinic, press 1. For Puttur Town Clinic, press 2. For Bantwal Health Centre, press 3. For Ullal Seaside Clinic, press 4.",
      "For more choices, press 9.",
      CATALOGUES.en.repeatHint,
    ]);
  });
});

describe("a returning caller", () => {
  it("is greeted in the language chosen before, can switch with #, and keeps the new choice", async () => {
    const phone = "+919300000201";
    const first = newCallOn(line, phone);
    await first.dial();
    await first.press("3"); // हिंदी
    expect(await preferredLanguage(phone)).toBe("hi");

    const second = newCallOn(line, phone);
    const greeting = await second.dial();
    expect(greeting.utterances[0]).toEqual({ text: expect.stringContaining(CATALOGUES.hi.welcome), ...VOICE.hi });
    // After the choices: star, then # in each other language, in that language's own voice.
    expect(greeting.utterances.slice(-3)).toEqual<Utterance[]>([
      { text: CATALOGUES.hi.repeatHint, ...VOICE.hi },
      { text: "ಕನ್ನಡ ಬೇಕಾದರೆ ಹ್ಯಾಶ್ ಒತ್ತಿ.", ...VOICE.kn },
      { text: "For English, press hash.", ...VOICE.en },
    ]);
    expect(heard(greeting)).not.toContain("For English, press 2.");
    const menu = await second.press("#");
    // The greeting (first language), then each language in its own voice.
    expect(menu.utterances.map((u) => u.voice)).toEqual([
      VOICE.kn.voice,
      VOICE.kn.voice,
      VOICE.en.voice,
      VOICE.hi.voice,
    ]);
    const kannada = await second.press("1");
    expect(heard(kannada)).toContain(CATALOGUES.kn.welcome);
    expect(await preferredLanguage(phone)).toBe("kn");

    const third = newCallOn(line, phone);
    const greeted = await third.dial();
    expect(greeted.utterances.slice(-2).map((u) => u.text)).toEqual([
      "For English, press hash.",
      "हिंदी के लिए हैश दबाइए।",
    ]);
    // The switch key belongs to the greeting's menu only; later, # is just a wrong key.
    await third.press("1");
    const later = await third.press("#");
    expect(heard(later)).toContain(CATALOGUES.kn.notAChoice);
    expect(later.utterances.every((u) => u.voice === VOICE.kn.voice)).toBe(true);
  });

  it("with a hidden number hears why it cannot book, in every offered language and voice", async () => {
    const call = newCallOn(line, "anonymous");
    const turn = await call.dial();
    expect(turn.ended).toBe(true);
    expect(turn.utterances).toEqual<Utterance[]>([
      { text: CATALOGUES.kn.noCallerIdWelcome, ...VOICE.kn },
      { text: CATALOGUES.en.noCallerIdWelcome, ...VOICE.en },
      { text: CATALOGUES.hi.noCallerIdWelcome, ...VOICE.hi },
    ]);
  });

  it("at its limit of upcoming appointments hears them in its own language, and the limit when it asks to book", async () => {
    const phone = "+919300000202";
    await env.DB.prepare("INSERT INTO patients (phone, name, preferred_language) VALUES (?, 'P', 'hi')")
      .bind(phone)
      .run();
    for (let i = 0; i < 4; i++)
      await env.DB.prepare(
        `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source)
         SELECT 1, 1, id, '2030-01-0${i + 1}', '2030-01-0${i + 1}T04:00:00.000Z', '2030-01-0${i + 1}T04:15:00.000Z', 'KS-${90 + i}', 'booked', 'ivr'
           FROM patients WHERE phone = ?`,
      )
        .bind(phone)
        .run();
    const call = newCallOn(line, phone);
    const welcome = await call.dial();
    expect(welcome.said.join(" ")).toContain("आपके 4 अपॉइंटमेंट हैं।");
    // In Hindi's voice throughout, but for the switch hints said in the other languages' own.
    expect(welcome.utterances.slice(0, -2).every((u) => u.voice === VOICE.hi.voice)).toBe(true);
    const refused = await call.press("4");
    expect(refused.said.join(" ")).toContain(CATALOGUES.hi.limitReachedMenu(4));
    expect(refused.ended).toBe(false);
  });
});

describe("SMS replies", () => {
  async function reply(from: string, body: string) {
    const res = await post("/api/sms/incoming/", {
      MessageSid: `SMlang${from}${body}`,
      From: from,
      To: "+15005550006",
      Body: body,
    });
    return parseTwiml(await res.text())
      .children.filter((c): c is TwimlElement => typeof c !== "string")
      .map((m) => m.children.join(""));
  }

  it("are in the language the sender chose on the phone line", async () => {
    await env.DB.prepare(
      "INSERT INTO patients (phone, name, preferred_language) VALUES ('+919300000501', 'P', 'kn'), ('+919300000502', 'P', 'hi')",
    ).run();
    const wording = { inbound: true, line: "+15005550006" };
    expect(await reply("+919300000501", "STATUS")).toEqual([noticeSms("noUpcoming", "kn", wording).body]);
    expect(await reply("+919300000502", "hello")).toEqual([noticeSms("help", "hi", wording).body]);
    // A number that never chose gets the line's default language.
    expect(await reply("+919300000503", "STATUS")).toEqual([noticeSms("noUpcoming", "en", wording).body]);
  });
});

describe("one language configured", () => {
  it("has no language menu and no switch key", async () => {
    const call = newCallOn(lineWith({ LANGUAGES: "hi" }), "+919300000301");
    const welcome = await call.dial();
    expect(heard(welcome)).toContain(CATALOGUES.hi.welcome);
    expect(heard(welcome)).not.toContain("भाषा बदलने");
    expect(welcome.utterances.every((u) => u.voice === "Polly.Kajal-Neural")).toBe(true);
  });

  it("VOICE_HI=Google.hi-IN-Neural2-A, a valid Twilio voice, is taken", async () => {
    const neural = newCallOn(lineWith({ LANGUAGES: "hi", VOICE_HI: "Google.hi-IN-Neural2-A" }), "+919300000304");
    expect((await neural.dial()).utterances.every((u) => u.voice === "Google.hi-IN-Neural2-A")).toBe(true);
  });

  it("a configured voice replaces the default, and one that cannot speak the language is ignored", async () => {
    const wavenet = newCallOn(lineWith({ LANGUAGES: "kn", VOICE_KN: "Google.kn-IN-Wavenet-B" }), "+919300000302");
    expect((await wavenet.dial()).utterances.every((u) => u.voice === "Google.kn-IN-Wavenet-B")).toBe(true);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const wrong = newCallOn(lineWith({ LANGUAGES: "kn", VOICE_KN: "Polly.Aditi" }), "+919300000303");
      expect((await wrong.dial()).utterances.every((u) => u.voice === "Google.kn-IN-Wavenet-A")).toBe(true);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("Polly.Aditi is not a Twilio voice for kn-IN"));
    } finally {
      warn.mockRestore();
    }
  });
});
