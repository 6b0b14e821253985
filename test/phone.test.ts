/**
 * Phone numbers to E.164, so a caller and an SMS sender with the same phone are one patient.
 */
import { describe, expect, it } from "vitest";
import { lastFour, normalizePhone } from "../src/patients/phone.ts";

describe("normalizePhone", () => {
  it.each([
    ["+919876543210", "E.164 as Twilio sends it"],
    ["9876543210", "a 10-digit Indian mobile"],
    ["09876543210", "a mobile with the 0 trunk prefix"],
    ["919876543210", "12 digits with the 91 country code but no plus"],
    [" 919876543210", "a '+' decoded to a space from a query string"],
    ["+91 98765 43210", "spaces"],
    ["+91-98765-43210", "hyphens"],
    ["(+91) 98765.43210", "brackets and dots"],
    ["00919876543210", "the 00 international prefix"],
    ["  +919876543210  ", "surrounding whitespace"],
  ])("%s (%s) is +919876543210", (raw) => {
    expect(normalizePhone(raw)).toBe("+919876543210");
  });

  it("reads a landline with the 0 trunk prefix and STD code as +91", () => {
    expect(normalizePhone("(0824) 2440001")).toBe("+918242440001");
    expect(normalizePhone("0824-2440001")).toBe("+918242440001");
  });

  it("keeps a number from another country", () => {
    expect(normalizePhone("+14158675309")).toBe("+14158675309");
    expect(normalizePhone(" 14158675309")).toBe("+14158675309");
    expect(normalizePhone("+44 20 7946 0958")).toBe("+442079460958");
  });

  it("uses another default country code for national numbers when told", () => {
    expect(normalizePhone("4158675309", "1")).toBe("+14158675309");
  });

  it.each([
    "anonymous",
    "Anonymous",
    "restricted",
    "client:alice",
    "sip:x@y",
    "sip:+919876543210@example.sip.twilio.com",
    "",
    "   ",
    "123",
    "+",
    "+0919876543210",
    "+1234567890123456",
    "98765x43210",
    "+91 98765 43210 ext 2",
    "+91+9876543210",
  ])("%j is not a phone number", (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it("returns null for null and undefined", () => {
    expect(normalizePhone(null)).toBeNull();
    expect(normalizePhone(undefined)).toBeNull();
  });

  it("gives the same answer for every spelling of one phone", () => {
    const spellings = [
      "+919876543210",
      "9876543210",
      "09876543210",
      "919876543210",
      " 919876543210",
      "+91 98765 43210",
    ];
    expect(new Set(spellings.map((s) => normalizePhone(s)))).toEqual(new Set(["+919876543210"]));
  });
});

describe("lastFour", () => {
  it("keeps only the last four digits", () => {
    expect(lastFour("+919876543210")).toBe("3210");
  });
});
