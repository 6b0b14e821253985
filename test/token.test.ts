/**
 * Appointment tokens: a prefix chosen once per doctor, unique in the clinic for good, and a
 * number that depends on the slot's time alone.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSmsCommand } from "../src/sms/commands.ts";
import { choosePrefix, formatToken, nameWords, parseToken, spokenToken, tokenNumber } from "../src/booking/token.ts";

/** What every prefix looks like: one to three capital letters. */
const PREFIX_PATTERN = /^[A-Z]{1,3}$/;

/** Prefixes as doctors join a clinic one after another: earlier ones never change. */
function joinInOrder(...names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const prefix = choosePrefix(name, taken)!;
    taken.add(prefix);
    return prefix;
  });
}

describe("choosePrefix", () => {
  it("ignores titles: a doctor alone in a clinic gets the first initial", () => {
    expect(joinInOrder("Dr. Kavya Shetty")).toEqual(["K"]);
    expect(joinInOrder("Prof. Dr Smt. Kavya Shetty")).toEqual(["K"]);
    expect(nameWords("Dr.Kavya  Shetty")).toEqual(["KAVYA", "SHETTY"]);
  });

  it("a colleague with the same initial gets first and last initials; the first doctor keeps K", () => {
    expect(joinInOrder("Dr. Kavya Shetty", "Dr. Kiran Rao")).toEqual(["K", "KR"]);
  });

  it("a successor who shares the initials of a doctor who left never inherits their prefix", () => {
    // The clinic's prefixes include past doctors', so "KS" stays with the one who had it.
    expect(joinInOrder("Dr. Kavya Shetty", "Dr. Kiran Rao", "Dr. Kavya Shenoy")).toEqual(["K", "KR", "KS"]);
    expect(joinInOrder("Dr. Kavya Shetty", "Dr. Kavya Shetty", "Dr. Kavya Shetty")).toEqual(["K", "KS", "KAS"]);
  });

  it("uses letters A-Z only: accents are dropped, a name with none gets a free prefix", () => {
    expect(joinInOrder("Dr. Élodie Rao")).toEqual(["E"]);
    expect(choosePrefix("ಡಾ. ಕಾವ್ಯ", new Set())).toMatch(PREFIX_PATTERN);
    expect(choosePrefix("Dr.", new Set(["A"]))).toBe("B");
  });

  it("always gives 1-3 letters, unique in the clinic, for any names (seeded)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 40 }), (names) => {
        const prefixes = joinInOrder(...names);
        expect(new Set(prefixes).size).toBe(names.length);
        for (const p of prefixes) expect(p).toMatch(PREFIX_PATTERN);
      }),
      { seed: 20261125, numRuns: 200 },
    );
  });
});

describe("tokenNumber", () => {
  it("keeps the seed's meaning on the quarter hour from 09:00: K-1 09:00, K-7 10:30, K-32 16:45", () => {
    expect(tokenNumber(540)).toBe(1);
    expect(tokenNumber(630)).toBe(7);
    expect(tokenNumber(1005)).toBe(32);
  });

  it("uses the clock time for other starts: 08:30 -> 830, 14:20 -> 1420, 00:40 -> 2440", () => {
    expect(tokenNumber(510)).toBe(830);
    expect(tokenNumber(860)).toBe(1420);
    expect(tokenNumber(40)).toBe(2440);
  });

  it("gives every minute of the day its own number", () => {
    const numbers = Array.from({ length: 24 * 60 }, (_, minute) => tokenNumber(minute));
    expect(new Set(numbers).size).toBe(24 * 60);
    for (const n of numbers) expect(n).toBeGreaterThan(0);
  });
});

describe("formatToken, spokenToken and parseToken", () => {
  it("formats prefix-number from the start time", () => {
    expect(formatToken("KS", 630)).toBe("KS-7");
    expect(formatToken("K", 510)).toBe("K-830");
  });

  it("spells the letters so a voice reads them one by one", () => {
    expect(spokenToken("KS-12")).toBe("K S, 12");
    expect(spokenToken("K-830")).toBe("K, 830");
  });

  it.each(["KS-6", "ks6", "K S 6", "k.s. 6", "KS 6", "ks-06", " k s-6 "])("reads %j as KS-6", (text) => {
    expect(parseToken(text)).toBe("KS-6");
  });

  it("refuses what is not a token", () => {
    for (const junk of ["", "KS", "6", "KSAB-6", "KS-12345", "K6S", "please"])
      expect(parseToken(junk), junk).toBeNull();
  });

  it("every token the line can issue comes back through CANCEL, typed or spoken", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{1,3}$/), fc.integer({ min: 0, max: 24 * 60 - 1 }), (prefix, minute) => {
        const token = formatToken(prefix, minute);
        expect(parseSmsCommand(`CANCEL ${token}`)).toEqual({ kind: "cancel", token });
        expect(parseSmsCommand(`cancel ${token.toLowerCase().replace("-", "")}`)).toEqual({ kind: "cancel", token });
        expect(parseSmsCommand(`Cancel ${spokenToken(token).replace(",", "")}`)).toEqual({ kind: "cancel", token });
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });
});
