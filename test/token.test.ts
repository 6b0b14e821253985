/**
 * Appointment tokens: a doctor's prefix, unique within the clinic, and the slot number.
 */
import { describe, expect, it } from "vitest";
import { formatToken, nameWords, spokenToken, tokenPrefixes } from "../src/booking/token.ts";

/** Prefixes by name, for doctors numbered 1, 2, 3... in the order given. */
function prefixes(...names: string[]): string[] {
  const result = tokenPrefixes(names.map((name, i) => ({ id: i + 1, name })));
  return names.map((_, i) => result.get(i + 1)!);
}

describe("tokenPrefixes", () => {
  it("ignores titles: a doctor alone in a clinic gets the first initial", () => {
    expect(prefixes("Dr. Kavya Shetty")).toEqual(["K"]);
    expect(prefixes("Prof. Dr Smt. Kavya Shetty")).toEqual(["K"]);
    expect(nameWords("Dr.Kavya  Shetty")).toEqual(["KAVYA", "SHETTY"]);
  });

  it("keeps single initials when they differ", () => {
    expect(prefixes("Dr. Kavya Shetty", "Dr. Ramesh Bhat")).toEqual(["K", "R"]);
  });

  it("gives first and last initials to two doctors who share an initial", () => {
    expect(prefixes("Dr. Kavya Shetty", "Dr. Kiran Rao")).toEqual(["KS", "KR"]);
  });

  it("leaves a third doctor with another initial alone", () => {
    expect(prefixes("Dr. Kavya Shetty", "Dr. Kiran Rao", "Dr. Ramesh Bhat")).toEqual(["KS", "KR", "R"]);
  });

  it("falls back to more letters of the first name when first and last initials collide too", () => {
    const [a, b] = prefixes("Dr. Kavya Shetty", "Dr. Kiran Shenoy");
    expect([a, b]).toEqual(["KAS", "KIS"]);
  });

  it("keeps a three-way collision unique", () => {
    const result = prefixes("Dr. Kavya Shetty", "Dr. Kiran Shenoy", "Dr. Kavitha Shastri");
    expect(new Set(result).size).toBe(3);
    expect(result).toEqual(["KAVYS", "KIS", "KAVIS"]);
  });

  it("keeps doctors with the same name apart by id", () => {
    const result = prefixes("Dr. Anil Kumar", "Dr. Anil Kumar");
    expect(new Set(result).size).toBe(2);
  });

  it("gives a name without letters a placeholder prefix", () => {
    expect(prefixes("Dr.")).toEqual(["X"]);
  });
});

describe("formatToken and spokenToken", () => {
  it("formats prefix-slot", () => {
    expect(formatToken("KS", 12)).toBe("KS-12");
    expect(formatToken("K", 7)).toBe("K-7");
  });

  it("spells the letters so a voice reads them one by one", () => {
    expect(spokenToken("KS-12")).toBe("K S, 12");
    expect(spokenToken("K-7")).toBe("K, 7");
  });
});

describe("prefixes stay unique for any list of names (seeded random check)", () => {
  // mulberry32: a tiny deterministic generator, so a failure can be replayed.
  function generator(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  // Few first letters on purpose, so collisions are common.
  const FIRST = ["Kavya", "Kiran", "Kavitha", "Kiran", "Anil", "Anitha", "Ann", "Anna", "Ravi", "Rao", "K", "Ka"];
  const LAST = ["Shetty", "Shenoy", "Rao", "Bhat", "Kamath", "", "S", "Shastri"];
  const TITLES = ["", "Dr. ", "Dr ", "Prof. ", "Smt. "];

  it("for 500 random clinics of 1 to 8 doctors", () => {
    const random = generator(20261125);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    for (let round = 0; round < 500; round++) {
      const count = 1 + Math.floor(random() * 8);
      const doctors = Array.from({ length: count }, (_, i) => ({
        id: 1 + i + Math.floor(random() * 3) * 10,
        name: `${pick(TITLES)}${pick(FIRST)} ${pick(LAST)}`.trim(),
      }));
      // ids must be unique in a clinic
      const unique = [...new Map(doctors.map((d) => [d.id, d])).values()];
      const result = tokenPrefixes(unique);
      const values = unique.map((d) => result.get(d.id)!);
      const context = JSON.stringify({ round, unique, values });
      expect(
        values.every((v) => /^[A-Z]+\d*$/.test(v)),
        context,
      ).toBe(true);
      expect(new Set(values).size, context).toBe(unique.length);
      // A doctor alone in a clinic keeps one letter.
      if (unique.length === 1) expect(values[0], context).toHaveLength(1);
    }
  });
});
