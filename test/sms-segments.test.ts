/**
 * Every SMS text in every language, filled with the longest names of the demo data, fits in
 * three segments. Kannada and Hindi are UCS-2 (67 characters a concatenated segment), so their
 * texts have less than half the room of English ones.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nameIn } from "../src/db/display-names.ts";
import { countSegments } from "../src/sms/segments.ts";
import { ALL_LANGUAGES, CATALOGUES, type Language } from "../src/words/index.ts";
import { smsSlot } from "../src/words/slot.ts";

describe("countSegments", () => {
  it.each([
    ["a".repeat(160), "GSM-7", 160, 1],
    ["a".repeat(161), "GSM-7", 161, 2],
    ["a".repeat(306), "GSM-7", 306, 2],
    ["a".repeat(307), "GSM-7", 307, 3],
    ["€".repeat(80), "GSM-7", 160, 1], // extension characters take two septets
    ["ಕ".repeat(70), "UCS-2", 70, 1],
    ["ಕ".repeat(71), "UCS-2", 71, 2],
    ["क".repeat(201), "UCS-2", 201, 3],
    ["क".repeat(202), "UCS-2", 202, 4],
    [`${"a".repeat(100)}ಕ`, "UCS-2", 101, 2], // one Kannada letter makes the whole text UCS-2
  ])("case %#", (text, encoding, units, segments) => {
    expect(countSegments(text)).toEqual({ encoding, units, segments });
  });
});

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

describe.each(ALL_LANGUAGES)("SMS texts in %s", (language) => {
  it("each fits in at most 3 segments with the longest demo names", async () => {
    const words = CATALOGUES[language];
    const { clinic, doctor } = await longestNames(language);
    expect(clinic.length).toBeGreaterThan(15);
    const appointment = smsSlot({
      doctorName: doctor,
      clinic,
      date: "2026-11-25",
      startMinute: 16 * 60 + 45,
      token: "KSR-32",
    });
    const line = "+918242440001";
    const texts: Record<string, string> = {
      smsBooked: words.smsBooked(appointment),
      smsCancelled: words.smsCancelled(appointment),
      smsCancelledByClinic: words.smsCancelledByClinic(appointment),
      smsMovedByClinic: words.smsMovedByClinic(appointment, "KSR-31"),
      smsMovedForYou: words.smsMovedForYou(appointment, "KSR-31"),
      smsNothingToCancel: words.smsNothingToCancel,
      smsTokenNotFound: words.smsTokenNotFound("KSR-32"),
      smsUpcoming: words.smsUpcoming(appointment, 4, 4),
      smsNoUpcoming: words.smsNoUpcoming(line),
      smsHelp: words.smsHelp(line),
      smsUnknownSender: words.smsUnknownSender,
      smsApology: words.smsApology,
      smsAccount: words.smsAccount("+919876543210", "Ab3dE6gH9k"),
      // The same text once the public address is known: it names the patient's page.
      smsAccountWithPage: words.smsAccount("+919876543210", "Ab3dE6gH9k", "https://clinic-line.example.in/me"),
      smsEmergencyAdvice: words.smsEmergencyAdvice,
      smsReminder: words.smsReminder(appointment, line),
      smsMoved: words.smsMoved(appointment, { ...appointment, token: "KSR-31", when: "26-11-2026 16:30" }, line),
    };
    // Every SMS entry of the catalogue is measured here.
    const smsEntries = Object.keys(words).filter((k) => k.startsWith("sms"));
    expect(
      Object.keys(texts)
        .filter((k) => k !== "smsAccountWithPage")
        .sort(),
    ).toEqual(smsEntries.sort());
    for (const [name, text] of Object.entries(texts)) {
      const count = countSegments(text);
      expect(count.encoding, name).toBe(language === "en" ? "GSM-7" : "UCS-2");
      expect(count.segments, `${name} (${count.units} ${count.encoding} units): ${text}`).toBeLessThanOrEqual(3);
      // Several replies are stored as one text, a line each.
      expect(text, name).not.toContain("\n");
      // An appointment's token and date read in any script.
      if (
        [
          "smsBooked",
          "smsCancelled",
          "smsCancelledByClinic",
          "smsMovedByClinic",
          "smsMovedForYou",
          "smsUpcoming",
          "smsReminder",
        ].includes(name)
      ) {
        expect(text, name).toContain(`${doctor}, ${clinic}, 25-11-2026 16:45`);
        expect(text, name).toContain(appointment.token);
      }
    }
  });
});
