/**
 * Every SMS the line sends is a registered DLT template: each kind in each language renders to
 * a text that matches exactly one template (its own), fits in two segments with the longest
 * names of the demo data, puts the token first and reads without symbols. Names longer than a
 * variable's registered maximum are shortened at a word boundary, never mid-word, and the fixed
 * text never changes.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nameIn } from "../src/db/display-names.ts";
import { countSegments } from "../src/sms/segments.ts";
import {
  dltText,
  INBOUND_ONLY,
  matchingTemplates,
  placeholders,
  renderTemplate,
  shortenName,
  SMS_LANGUAGES,
  TEMPLATE_KEYS,
  TEMPLATE_VARIABLES,
  VARIABLES,
  type TemplateKey,
  type TemplateVars,
} from "../src/sms/templates/index.ts";
import { appointmentSms, dialable, movedSms, type SmsAppointment } from "../src/sms/texts.ts";
import { ALL_LANGUAGES, type Language } from "../src/words/index.ts";
import { heard, lineWith, newCallOn } from "./support/line.ts";
import { outboxFor } from "./support/outbox.ts";

async function longestNames(language: Language) {
  const clinics = await env.DB.prepare("SELECT name, display_names AS displayNames FROM clinics WHERE id <= 5").all<{
    name: string;
    displayNames: string | null;
  }>();
  const doctors = await env.DB.prepare("SELECT name FROM doctors WHERE id <= 6").all<{ name: string }>();
  const longest = (names: string[]) => names.reduce((a, b) => (b.length > a.length ? b : a));
  return {
    clinic: longest(clinics.results.map((c) => nameIn(c, language))),
    doctor: longest(doctors.results.map((d) => d.name)),
  };
}

/** Values for every variable: the longest demo names, and the widest time of day in the language. */
function values(language: Language, names: { clinic: string; doctor: string }): Record<string, string> {
  return {
    token: "KSR-32",
    oldToken: "KSR-31",
    doctor: names.doctor,
    clinic: names.clinic,
    date: "25-11-2026",
    // "ಮಧ್ಯಾಹ್ನ 12:45": the longest part of the day, a two-digit hour.
    time: SMS_LANGUAGES[language].time(12 * 60 + 45),
    phone: dialable("+918242440001"),
    n: "4",
    of: "4",
    login: "+919876543210",
    password: "Ab3dE6gH9k",
    url: "https://clinic-line.example.in/me",
  };
}

const render = (key: TemplateKey, language: Language, vars: Record<string, string>) =>
  renderTemplate(key, language, vars as TemplateVars<typeof key>);

describe("the templates", () => {
  it.each(ALL_LANGUAGES)(
    "in %s name exactly the variables their kind declares, and nothing else is a brace",
    (language) => {
      for (const key of TEMPLATE_KEYS) {
        const text = SMS_LANGUAGES[language].texts[key];
        expect(new Set(placeholders(text)), `${key}.${language}`).toEqual(new Set(TEMPLATE_VARIABLES[key]));
        expect(dltText(key, language), `${key}.${language}`).not.toMatch(/\{(?!#var#\})|(?<!\{#var#)\}/);
        // No arrows or symbols a reader must decode; no line breaks (replies are stored a line each).
        expect(text, `${key}.${language}`).not.toMatch(/->|=>|→|\/|\n|\(|\)/);
      }
    },
  );

  it("put the token first in every text about an appointment", () => {
    for (const language of ALL_LANGUAGES)
      for (const key of TEMPLATE_KEYS) {
        const vars = placeholders(SMS_LANGUAGES[language].texts[key]);
        if (vars.includes("token") && vars.includes("doctor")) expect(vars[0], `${key}.${language}`).toBe("token");
      }
  });

  it("say the time in 12-hour form with the part of the day in the language", () => {
    expect(SMS_LANGUAGES.en.time(9 * 60 + 15)).toBe("9:15 AM");
    expect(SMS_LANGUAGES.en.time(12 * 60)).toBe("12:00 PM");
    expect(SMS_LANGUAGES.en.time(16 * 60 + 45)).toBe("4:45 PM");
    expect(SMS_LANGUAGES.kn.time(9 * 60 + 15)).toBe("ಬೆಳಿಗ್ಗೆ 9:15");
    expect(SMS_LANGUAGES.kn.time(16 * 60 + 45)).toBe("ಸಂಜೆ 4:45");
    expect(SMS_LANGUAGES.hi.time(9 * 60 + 15)).toBe("सुबह 9:15");
    expect(SMS_LANGUAGES.hi.time(13 * 60 + 30)).toBe("दोपहर 1:30");
  });
});

describe.each(ALL_LANGUAGES)("every SMS in %s", (language) => {
  it("with the longest demo names: matches its own template only, in at most 2 segments", async () => {
    const names = await longestNames(language);
    expect(names.clinic.length).toBeGreaterThan(15);
    for (const key of TEMPLATE_KEYS) {
      const { body, template } = render(key, language, values(language, names));
      expect(template).toBe(key);
      expect(matchingTemplates(body, language), `${key}: ${body}`).toEqual([key]);
      const count = countSegments(body);
      expect(count.encoding, key).toBe(language === "en" ? "GSM-7" : "UCS-2");
      expect(
        count.segments,
        `${key}.${language} (${count.units} ${count.encoding} units): ${body}`,
      ).toBeLessThanOrEqual(2);
      if (TEMPLATE_VARIABLES[key].includes("clinic" as never)) expect(body).toContain(names.clinic);
    }
  });

  it("with names at the variable limit, and past it: still its own template, names cut between words", () => {
    const atLimit = { doctor: "Dr. Venkataramana Subrahmanyam", clinic: "Sri Durgaparameshwari Clinic X" };
    expect(atLimit.doctor.length).toBe(VARIABLES.doctor.max);
    expect(atLimit.clinic.length).toBe(VARIABLES.clinic.max);
    const tooLong = {
      doctor: "Dr. Venkataramana Subrahmanya Bhat Kodavoor",
      clinic: "Sri Durgaparameshwari Multispeciality Clinic",
    };
    for (const key of TEMPLATE_KEYS) {
      const exact = render(key, language, values(language, atLimit));
      expect(matchingTemplates(exact.body, language), key).toEqual([key]);
      const long = render(key, language, values(language, tooLong));
      expect(matchingTemplates(long.body, language), key).toEqual([key]);
      if (TEMPLATE_VARIABLES[key].includes("clinic" as never)) {
        // The next word would pass 30 characters: it is left out whole.
        expect(long.body).toContain("Sri Durgaparameshwari");
        expect(long.body).toContain("Dr. Venkataramana Subrahmanya");
        expect(long.body).not.toMatch(/Multis|Subrahmanya B/);
      }
    }
  });

  it("says how to cancel by calling the line when inbound SMS does not work, and 'reply CANCEL' only when it does", async () => {
    const names = await longestNames(language);
    const a: SmsAppointment = {
      token: "KS-2",
      doctor: names.doctor,
      clinic: names.clinic,
      date: "2026-11-25",
      startMinute: 555,
    };
    const line = { inbound: false, line: "08242440001" };
    for (const text of [
      appointmentSms("booked", language, a, line),
      movedSms("patient", language, a, "KS-1", line),
      movedSms("clinic", language, a, "KS-1", line),
      appointmentSms("reminderEvening", language, a, line),
      appointmentSms("reminderSoon", language, a, line),
      appointmentSms("cancelledByClinic", language, a, line),
    ]) {
      expect(text.body, text.template).not.toContain("CANCEL");
      expect(text.body, text.template).toContain("08242440001");
      expect(INBOUND_ONLY.has(text.template), text.template).toBe(false);
    }
    const replying = { inbound: true, line: "08242440001" };
    for (const text of [
      appointmentSms("booked", language, a, replying),
      movedSms("patient", language, a, "KS-1", replying),
      movedSms("clinic", language, a, "KS-1", replying),
    ]) {
      expect(text.body, text.template).toContain("CANCEL KS-2");
      expect(INBOUND_ONLY.has(text.template), text.template).toBe(true);
    }
  });
});

describe("any names", () => {
  const word = fc.stringMatching(/^[A-Za-zಅ-ೞअ-ह.]{1,18}$/);
  const name = fc.array(word, { minLength: 1, maxLength: 6 }).map((words) => words.join(" "));

  it("render to their own template in every language; a shortened name is whole words of the original", () => {
    fc.assert(
      fc.property(
        name,
        name,
        fc.constantFrom(...TEMPLATE_KEYS),
        fc.constantFrom(...ALL_LANGUAGES),
        (doctor, clinic, key, language) => {
          const body = render(key, language, values(language, { doctor, clinic })).body;
          expect(matchingTemplates(body, language)).toEqual([key]);
          for (const original of [doctor, clinic]) {
            const short = shortenName(original, VARIABLES.clinic.max);
            expect(short.length).toBeLessThanOrEqual(VARIABLES.clinic.max);
            const words = original.split(" ");
            const kept = short.split(" ");
            // Whole words from the start, or (one word longer than the limit) its initials.
            if (kept.every((w, i) => w === words[i]?.replace(/[\s,.;:-]+$/, "") || w === words[i])) continue;
            expect(short).toBe(
              words
                .map((w) => [...w][0])
                .join("")
                .slice(0, VARIABLES.clinic.max),
            );
          }
        },
      ),
      { seed: 21, numRuns: 300 },
    );
  });
});

describe("a line whose patients cannot text it (SMS_INBOUND=off)", () => {
  it("books by phone and texts how to cancel by calling, never 'reply CANCEL'", async () => {
    const line = lineWith({ SMS_INBOUND: "off", LINE_PHONE_NUMBER: "+918242440001" });
    const call = newCallOn(line, "+919811400001");
    await call.dial();
    await call.press("1");
    await call.press("1");
    expect(heard(await call.press("1"))).toContain("Your token is");
    const [row] = await outboxFor("+919811400001");
    expect(row!.template).toBe("booked");
    expect(row!.body).toMatch(
      /^Token [A-Z]+-\d+: booked with .* To cancel or move it, call 08242440001\. The phone menu does everything\.$/,
    );
    expect(row!.body).not.toContain("CANCEL");
  });
});

describe("shortenName", () => {
  it.each([
    ["Puttur Town Clinic", 30, "Puttur Town Clinic"],
    ["Hampankatta Family Health and Wellness Centre", 30, "Hampankatta Family Health and"],
    ["Dr. A. B. Venkataramana, Subrahmanya", 26, "Dr. A. B. Venkataramana"],
    ["  extra   spaces  ", 30, "extra spaces"],
    ["Supercalifragilisticexpialidocious Clinic", 10, "SC"],
    ["ಹಂಪನಕಟ್ಟೆ ಫ್ಯಾಮಿಲಿ ಕ್ಲಿನಿಕ್", 20, "ಹಂಪನಕಟ್ಟೆ ಫ್ಯಾಮಿಲಿ"],
  ])("%s (max %i)", (name, max, expected) => {
    expect(shortenName(name, max)).toBe(expected);
    expect(shortenName(name, max).length).toBeLessThanOrEqual(max);
  });

  it("refuses an exact variable past its maximum instead of cutting it", () => {
    expect(() => renderTemplate("tokenNotFound", "en", { token: "X".repeat(31) })).toThrow(/token is 31 characters/);
  });
});
