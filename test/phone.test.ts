import { describe, expect, it } from "vitest";
import { normalizePhone } from "../src/patients/phone.ts";

describe("normalizePhone: callers and SMS senders to E.164", () => {
  it.each([
    ["+919876543210", "+919876543210"],
    ["9876543210", "+919876543210"],
    ["09876543210", "+919876543210"],
    ["+91 98765 43210", "+919876543210"],
    ["+91-98765-43210", "+919876543210"],
    [" 919876543210", "+919876543210"], // "+" decoded from a query string as a space (the seed's bug)
    ["00919876543210", "+919876543210"],
    ["(0824) 2440001", "+918242440001"],
    ["+14158675309", "+14158675309"],
  ])("%j -> %s", (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each([
    ["anonymous"],
    ["client:alice"],
    ["sip:alice@example.com"],
    [""],
    ["123"],
    ["+0123456789"],
    [null],
    [undefined],
  ])("%j is not a phone number", (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });
});
