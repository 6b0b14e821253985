/** How many segments a text costs (test/sms-templates.test.ts holds every text to two). */
import { describe, expect, it } from "vitest";
import { countSegments } from "../src/sms/segments.ts";

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
