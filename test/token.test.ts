import { describe, expect, it } from "vitest";
import { formatToken, nameWords, spokenToken, tokenPrefixes } from "../src/booking/token.ts";

const prefixes = (...names: string[]) => [...tokenPrefixes(names.map((name, i) => ({ id: i + 1, name }))).values()];

describe("token prefixes", () => {
  it("use the first initial and skip titles", () => {
    expect(nameWords("Dr. Kavya Shetty")).toEqual(["KAVYA", "SHETTY"]);
    expect(prefixes("Dr. Kavya Shetty")).toEqual(["K"]);
    expect(prefixes("Dr Anil Bhat", "Prof. Meera Nayak")).toEqual(["A", "M"]);
  });

  it("differ for two doctors of a clinic who share an initial", () => {
    expect(prefixes("Dr. Kavya Shetty", "Dr. Kiran Rao", "Dr. Anil Bhat")).toEqual(["KS", "KR", "A"]);
  });

  it("use more letters when first and last initials collide too", () => {
    expect(prefixes("Dr. Kavya Shetty", "Dr. Kiran Shenoy")).toEqual(["KAS", "KIS"]);
    const three = prefixes("Dr. Kavya Shetty", "Dr. Kiran Shenoy", "Dr. Kiran Shetty");
    expect(new Set(three).size).toBe(3);
  });

  it("stay unique within any clinic (seeded random names)", () => {
    const first = ["Kavya", "Kiran", "Karthik", "Anil", "Asha", "Meera", "Mohan", "Suresh", "Sita", "Kumar"];
    const last = ["Shetty", "Rao", "Shenoy", "Bhat", "Nayak", "Pai", "Kamath", "Hegde"];
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const names = Array.from(
        { length: 2 + next(6) },
        () => `Dr. ${first[next(first.length)]} ${last[next(last.length)]}`,
      );
      const unique = [...new Set(names)];
      const result = prefixes(...unique);
      expect(new Set(result).size, unique.join(", ")).toBe(unique.length);
    }
  });
});

describe("tokens", () => {
  it("are prefix, hyphen, slot number, and are read out letter by letter", () => {
    expect(formatToken("KS", 7)).toBe("KS-7");
    expect(spokenToken("KS-12")).toBe("K S, 12");
    expect(spokenToken("K-7")).toBe("K, 7");
  });
});
