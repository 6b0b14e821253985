/**
 * Speech input: the pure matcher (names in any known form, number words, yes/no, unsure
 * answers refused), and whole calls answered by voice, by keys, or both, in each language.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { matchSpeech, normalizeSpeech, type SpokenOption } from "../src/ivr/speech.ts";
import { CATALOGUES, type Language } from "../src/words/index.ts";
import { parseTwiml, type TwimlElement } from "../tools/twiml-reader.ts";
import type { Turn } from "../tools/twilio-caller.ts";
import { heard, lineWith, newCallOn } from "./support/line.ts";
import { SPEECH_MODEL } from "../src/words/voices.ts";

const CLINIC_MENU: SpokenOption[] = [
  { key: "1", phrases: ["Hampankatta Family Clinic", "ಹಂಪನಕಟ್ಟೆ ಫ್ಯಾಮಿಲಿ ಕ್ಲಿನಿಕ್", "one"] },
  { key: "2", phrases: ["Puttur Town Clinic", "ಪುತ್ತೂರು ಟೌನ್ ಕ್ಲಿನಿಕ್", "two", "second"] },
];

describe("matchSpeech", () => {
  it.each([
    ["Puttur Town Clinic.", "2"],
    ["puttur town clinic", "2"],
    ["I want Puttur Town Clinic please", "2"],
    ["ಪುತ್ತೂರು ಟೌನ್ ಕ್ಲಿನಿಕ್", "2"],
    ["one", "1"],
    ["the second", "2"],
    ["2", "2"],
  ])("%s -> %s", (text, key) => {
    expect(matchSpeech({ text, confidence: 0.8 }, CLINIC_MENU)).toBe(key);
  });

  it.each([
    ["low confidence", { text: "Puttur Town Clinic", confidence: 0.2 }],
    ["nothing that matches", { text: "Mangalore", confidence: 0.9 }],
    ["a digit with no item", { text: "7", confidence: 0.9 }],
    ["two items named at once", { text: "one two", confidence: 0.9 }],
    ["empty", { text: " . ", confidence: 0.9 }],
  ])("is unsure about %s", (_, speech) => {
    expect(matchSpeech(speech, CLINIC_MENU)).toBeNull();
  });

  it("takes an answer without a confidence, and prefers the longer phrase", () => {
    const options = [
      { key: "*", phrases: ["फिर से"] },
      { key: "3", phrases: ["फिर से शुरू"] },
    ];
    expect(matchSpeech({ text: "फिर से शुरू करें" }, options)).toBe("3");
    expect(matchSpeech({ text: "फिर से" }, options)).toBe("*");
  });

  it("normalises punctuation, the danda and zero-width joiners", () => {
    expect(normalizeSpeech("  हाँ।  ठीक है! ")).toBe("हाँ ठीक है");
    expect(normalizeSpeech("ಅಪಾಯಿಂಟ್\u200cಮೆಂಟ್")).toBe("ಅಪಾಯಿಂಟ್ಮೆಂಟ್");
  });

  it.each<[Language, string, string, string]>([
    ["en", "one", "second", "yes"],
    ["hi", "एक", "दूसरा", "हाँ"],
    ["kn", "ಒಂದು", "ಎರಡನೇ", "ಹೌದು"],
  ])("%s number words and yes are in the catalogue", (language, one, second, yes) => {
    const { numbers, yes: yesWords } = CATALOGUES[language].speech;
    expect(numbers[1]).toContain(one);
    expect(numbers[2]).toContain(second);
    expect(yesWords).toContain(yes);
  });
});

const NOW = new Date("2026-12-16T03:30:00Z"); // Wednesday 09:00 IST
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

/** Every language, with speech on for Kannada too. */
const line = lineWith({ LANGUAGES: "kn,en,hi", SPEECH_LANGUAGES: "en,hi,kn" });
let phones = 0;
const nextPhone = () => `+9194000${String(++phones).padStart(5, "0")}`;
const KEY: Record<Language, string> = { kn: "1", en: "2", hi: "3" };

function gathersOf(turn: Turn): TwimlElement[] {
  return turn.responses.flatMap((r) =>
    parseTwiml(r.body).children.filter((c): c is TwimlElement => typeof c !== "string" && c.name === "Gather"),
  );
}

async function bookedToken(callSid: string) {
  return (
    await env.DB.prepare("SELECT token FROM appointments WHERE call_sid = ?").bind(callSid).first<{ token: string }>()
  )?.token;
}

describe.each<[Language, string, string, string]>([
  ["en", "Puttur Town Clinic", "one", "yes"],
  ["hi", "पुत्तूर टाउन क्लिनिक", "एक", "हाँ"],
  ["kn", "ಪುತ್ತೂರು", "ಒಂದು", "ಹೌದು"],
])("a call answered by voice in %s", (language, clinic, one, yes) => {
  it("books with a clinic's name, a number word and yes", async () => {
    const call = newCallOn(line, nextPhone());
    await call.dial();
    const menu = await call.press(KEY[language]);
    const [gather] = gathersOf(menu);
    expect(gather!.attributes).toMatchObject({
      input: "dtmf speech",
      speechTimeout: "auto",
      // Named, so the account's default model cannot change what the line hears.
      speechModel: SPEECH_MODEL[language],
      language: CATALOGUES[language].voice.language,
    });
    expect(gather!.attributes.hints).toContain(clinic.split(" ")[0]);

    const bookingType = await call.speak(clinic);
    // The booking-type question names the clinic heard (in the language's own name for it).
    expect(heard(bookingType)).toContain(clinic.split(" ")[0]);
    const offer = await call.speak(one);
    expect(heard(offer)).toContain("Dr. Anil Bhat");
    const booked = await call.speak(yes);
    expect(heard(booked)).toContain(CATALOGUES[language].hearTokenAgain);
    expect(await bookedToken(call.callSid)).toMatch(/^A-\d+$/);
  });

  it("re-prompts a mis-hearing (low confidence or no match) as a try, and ends after the third", async () => {
    const call = newCallOn(line, nextPhone());
    await call.dial();
    await call.press(KEY[language]);
    const words = CATALOGUES[language];
    const unsure = await call.speak(clinic, 0.1);
    expect(heard(unsure)).toContain(words.notUnderstood);
    expect(heard(unsure)).toContain(words.chooseClinic);
    const unknown = await call.speak("Bengaluru Central");
    expect(heard(unknown)).toContain(words.notUnderstood);
    const last = await call.speak("Chennai");
    expect(last.ended).toBe(true);
    expect(heard(last)).toBe(words.goodbyeAfterRetries);
  });
});

describe("speech and keys", () => {
  it("mixes keys and speech in one call, and 'again' repeats the offer without a miss", async () => {
    const call = newCallOn(line, nextPhone());
    await call.dial();
    await call.press("2"); // English
    await call.press("3"); // Bantwal Health Centre, by key
    const offer = await call.speak("first"); // next available, by voice
    expect(heard(offer)).toContain("Dr. Meera Nayak can see you today at 10:00 AM.");
    const again = await call.speak("say that again");
    expect(heard(again)).toBe(heard(offer));
    const next = await call.speak("no");
    expect(heard(next)).toContain("today at 10:15 AM");
    const booked = await call.press("1");
    expect(heard(booked)).toContain("Your token is M, 6.");
  });

  it("Kannada listens for keys only unless configured (its recognition is unverified)", async () => {
    const call = newCallOn(lineWith({ LANGUAGES: "kn,en,hi" }), nextPhone());
    await call.dial();
    const menu = await call.press("1");
    expect(gathersOf(menu)[0]!.attributes.input).toBe("dtmf");
    // Twilio sends nothing for speech at a keys-only Gather: the caller hears the silence re-prompt.
    const said = await call.speak("ಪುತ್ತೂರು");
    expect(heard(said)).toContain(CATALOGUES.kn.noInput);
  });

  it("speech to a line with speech off for English is ignored, and keys still work", async () => {
    const call = newCallOn(lineWith({ LANGUAGES: "en", SPEECH_LANGUAGES: "none" }), nextPhone());
    const menu = await call.dial();
    expect(gathersOf(menu)[0]!.attributes.input).toBe("dtmf");
    expect(heard(await call.press("2"))).toContain("Puttur Town Clinic. For the next available doctor, press 1.");
  });
});
