/**
 * How the line speaks, per language: every spoken entry rendered with sample values (and every
 * quarter hour of a clinic day, and every weekday and month), checked for the rules a voice
 * needs: no case ending glued to a digit (a voice reads "108ಗೆ" as "ನೂರ ಎಂಟು ಗೆ"), no written
 * clock time ("9:15") in Kannada or Hindi, times said the way people say them, and the offer's
 * "afternoon" key naming the evening too.
 */
import { describe, expect, it } from "vitest";
import { ALL_LANGUAGES, CATALOGUES, type Catalogue, type SpokenDay } from "../src/words/index.ts";
import { SAMPLES } from "../tools/prompt-samples.ts";

const DAYS: SpokenDay[] = [
  { kind: "today" },
  { kind: "tomorrow" },
  // A week of dates (every weekday) and a date in each month.
  ...["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"].map(
    (date) => ({ kind: "date", date }) as const,
  ),
  ...Array.from(
    { length: 12 },
    (_, m) => ({ kind: "date", date: `2027-${String(m + 1).padStart(2, "0")}-0${(m % 9) + 1}` }) as const,
  ),
];
/** Every quarter hour from 7 AM to 9 PM, and a few odd minutes. */
const MINUTES = [...Array.from({ length: 57 }, (_, i) => 7 * 60 + i * 15), 9 * 60 + 10, 13 * 60 + 5, 18 * 60 + 50];

/** Every spoken text: each entry's samples, and `when`/`openingHours` at every day and time above. */
function spokenTexts(w: Catalogue): string[] {
  const entries = Object.entries(SAMPLES).filter(([name]) => !name.startsWith("sms"));
  const samples = entries.flatMap(([, sample]) => sample(w));
  const whens = DAYS.flatMap((d) => MINUTES.map((m) => w.when(d, m)));
  const hours = MINUTES.map((m) => w.openingHours(1, 6, m, Math.min(m + 9 * 60, 23 * 60)));
  const offers = whens
    .slice(0, 40)
    .flatMap((when) => [
      w.offer({ doctor: "Dr. Kavya Shetty", when }),
      w.booked({ doctor: "Dr. Kavya Shetty", when, token: w.spokenToken("KS-14") }),
    ]);
  const days = DAYS.flatMap((d) => [w.noTimeOn(d), w.noMorningOn(d), w.noAfternoonOn(d)]);
  return [...samples, ...whens, ...hours, ...offers, ...days];
}

/** A digit, then (perhaps after a space) a Kannada case ending standing alone or glued on. */
const KANNADA_ENDING_ON_DIGIT = /\d\s*(?:ಗೆ|ಕ್ಕೆ|ಕ್ಕಾಗಿ|ರಂದು|ರಿಂದ|ದಿಂದ|ರವರೆಗೆ|ದವರೆಗೆ|ವರೆಗೆ|ನಲ್ಲಿ|ರಲ್ಲಿ|ರ|ದ|ನ್ನು|ಅನ್ನು)(?=[\s.,?]|$)/u;

describe.each(ALL_LANGUAGES)("%s: what the voice reads", (language) => {
  const w = CATALOGUES[language];
  const texts = spokenTexts(w);

  it("renders every spoken entry with sample values (guards the check itself)", () => {
    expect(texts.length).toBeGreaterThan(1500);
    for (const text of texts) expect(text.trim().length, text).toBeGreaterThan(0);
  });

  it("never glues a case ending (or any letter but an ordinal) to a digit", () => {
    for (const text of texts) {
      // Letters straight after a digit: only an ordinal ("27ನೇ ತಾರೀಖು", "the 5th") is read right.
      const glued = [...text.matchAll(/\d(\p{L}[\p{L}\p{M}]*)/gu)].map((m) => m[1]!);
      const ordinal = language === "kn" ? /^ನೇ$/ : language === "en" ? /^(st|nd|rd|th)$/ : /^$/;
      expect(
        glued.filter((g) => !ordinal.test(g)),
        text,
      ).toEqual([]);
      if (language === "kn") expect(text, text).not.toMatch(KANNADA_ENDING_ON_DIGIT);
    }
  });

  it.runIf(language !== "en")("never writes a clock time with a colon: it is said in words", () => {
    for (const text of texts) expect(text, text).not.toMatch(/\d:\d/);
  });

  it("names the evening with key 4 of other times, which offers any time from 12:00", () => {
    const evening = { kn: "ಸಂಜೆ", hi: "शाम", en: "evening" }[language];
    expect(w.otherTimes(true)).toContain(evening);
    expect(w.noAfternoonOn({ kind: "today" })).toContain({ kn: "ಸಂಜೆ", hi: "शाम", en: "after 12 noon" }[language]);
  });

  it("says moveAnyDoctor with the speciality's display name once, no noun doubled", () => {
    const speciality = { kn: "ಮಕ್ಕಳ ವೈದ್ಯರು", hi: "बाल रोग विशेषज्ञ", en: "Paediatrics" }[language];
    const text = w.moveAnyDoctor(speciality, "8");
    expect(text).toContain(speciality);
    expect(text).not.toMatch(/ವೈದ್ಯರು ವೈದ್ಯ|ತಜ್ಞರು ವೈದ್ಯ|विशेषज्ञ डॉक्टर/);
  });
});

describe("times and dates as people say them", () => {
  const at = (language: "kn" | "hi" | "en", day: SpokenDay, hour: number, minute = 0) =>
    CATALOGUES[language].when(day, hour * 60 + minute);
  const today = { kind: "today" } as const;
  const friday = { kind: "date", date: "2026-11-27" } as const;

  it("Kannada: the ending on ಗಂಟೆ or ನಿಮಿಷ, the date as the Nth ತಾರೀಖು", () => {
    expect(at("kn", today, 9)).toBe("ಇವತ್ತು ಬೆಳಿಗ್ಗೆ 9 ಗಂಟೆಗೆ");
    expect(at("kn", today, 9, 15)).toBe("ಇವತ್ತು ಬೆಳಿಗ್ಗೆ 9 ಗಂಟೆ 15 ನಿಮಿಷಕ್ಕೆ");
    expect(at("kn", { kind: "tomorrow" }, 13, 45)).toBe("ನಾಳೆ ಮಧ್ಯಾಹ್ನ 1 ಗಂಟೆ 45 ನಿಮಿಷಕ್ಕೆ");
    expect(at("kn", friday, 16, 30)).toBe("ಶುಕ್ರವಾರ, ನವೆಂಬರ್ 27ನೇ ತಾರೀಖು ಸಂಜೆ 4 ಗಂಟೆ 30 ನಿಮಿಷಕ್ಕೆ");
    expect(at("kn", today, 19, 30)).toBe("ಇವತ್ತು ಸಂಜೆ 7 ಗಂಟೆ 30 ನಿಮಿಷಕ್ಕೆ");
    expect(CATALOGUES.kn.openingHours(1, 6, 8 * 60 + 30, 18 * 60)).toBe(
      "ಸೋಮವಾರದಿಂದ ಶನಿವಾರದವರೆಗೆ, ಬೆಳಿಗ್ಗೆ 8 ಗಂಟೆ 30 ನಿಮಿಷದಿಂದ ಸಂಜೆ 6 ಗಂಟೆಯವರೆಗೆ",
    );
  });

  it("Hindi: बजे, बजकर … मिनट, साढ़े, डेढ़, ढाई and पौने", () => {
    expect(at("hi", today, 9)).toBe("आज सुबह 9 बजे");
    expect(at("hi", today, 9, 15)).toBe("आज सुबह 9 बजकर 15 मिनट पर");
    expect(at("hi", today, 9, 30)).toBe("आज सुबह साढ़े 9 बजे");
    expect(at("hi", today, 9, 45)).toBe("आज सुबह पौने 10 बजे");
    expect(at("hi", today, 13, 30)).toBe("आज दोपहर डेढ़ बजे");
    expect(at("hi", today, 14, 30)).toBe("आज दोपहर ढाई बजे");
    expect(at("hi", today, 12, 45)).toBe("आज दोपहर पौने 1 बजे");
    expect(at("hi", friday, 16, 30)).toBe("शुक्रवार, 27 नवंबर को शाम साढ़े 4 बजे");
    expect(CATALOGUES.hi.openingHours(1, 6, 8 * 60 + 30, 18 * 60)).toBe(
      "सोमवार से शनिवार तक, सुबह साढ़े 8 बजे से शाम 6 बजे तक",
    );
  });

  it("English: a 12-hour time, the weekday and date", () => {
    expect(at("en", today, 9)).toBe("today at 9:00 AM");
    expect(at("en", today, 9, 15)).toBe("today at 9:15 AM");
    expect(at("en", friday, 16, 30)).toBe("on Friday, 27 November at 4:30 PM");
    expect(at("en", today, 12)).toBe("today at 12:00 PM");
  });

  it("the emergency advice names the ambulance number with the ending on a word", () => {
    expect(CATALOGUES.kn.reasonEmergency).toContain("108 ನಂಬರ್‌ಗೆ");
    expect(CATALOGUES.kn.reasonEmergency).toMatch(/ಇಮರ್ಜೆನ್ಸಿ.*ಆಂಬುಲೆನ್ಸ್/);
    expect(CATALOGUES.hi.reasonEmergency).toMatch(/इमरजेंसी.*108 नंबर पर.*एम्बुलेंस/);
    expect(CATALOGUES.en.reasonEmergency).toContain("1 0 8");
  });
});

describe.each(ALL_LANGUAGES)("%s: no menu says more than four choices besides 0 and *", (language) => {
  const w = CATALOGUES[language];
  const pressed = { en: /press (\d)/g, kn: /(\d) ಒತ್ತಿ/g, hi: /(\d) दबाइए/g }[language];
  const keysOf = (text: string) => new Set([...text.matchAll(pressed)].map((m) => m[1]!).filter((k) => k !== "0"));
  const offered = { doctor: "Dr. Kavya Shetty", when: w.when({ kind: "today" }, 9 * 60 + 15) };

  it.each<[string, string]>([
    ["offer", w.offer(offered)],
    ["moveOffer", w.moveOffer(offered)],
    ["otherTimes", `${w.otherTimes(true)} ${w.receptionHint}`],
    ["otherTimes with any doctor", `${w.otherTimes(false)} ${w.moveAnyDoctor("X", "1")}`],
    ["returningChoices", `${w.returningChoices} ${w.receptionHint}`],
    ["bookingType", w.bookingType("X")],
    ["confirmCancel", w.confirmCancel(offered)],
  ])("%s", (_entry, text) => {
    const keys = keysOf(text);
    expect(keys.size, text).toBeGreaterThan(0);
    expect(keys.size, text).toBeLessThanOrEqual(4);
  });

  it("the offer is 1 book, 2 the next time, 3 other times and days", () => {
    expect([...keysOf(w.offer(offered))]).toEqual(["1", "2", "3"]);
    expect([...keysOf(w.otherTimes(true))]).toEqual(["1", "2", "3", "4"]);
  });
});
