/**
 * Temporary passwords and their PBKDF2 hashes.
 */
import { describe, expect, it } from "vitest";
import {
  PBKDF2_ITERATIONS,
  generateTemporaryPassword,
  hashPassword,
  verifyPassword,
} from "../src/patients/password.ts";

describe("generateTemporaryPassword", () => {
  it("is 10 characters by default, or the length asked for", () => {
    expect(generateTemporaryPassword()).toHaveLength(10);
    expect(generateTemporaryPassword(4)).toHaveLength(4);
    expect(generateTemporaryPassword(64)).toHaveLength(64);
  });

  it("uses letters and digits without the ambiguous 0, O, 1, l and I", () => {
    const many = Array.from({ length: 200 }, () => generateTemporaryPassword()).join("");
    expect(many).toMatch(/^[a-zA-Z2-9]+$/);
    expect(many).not.toMatch(/[0O1lI]/);
    // 2,000 characters from a 55-letter alphabet: every kind shows up.
    expect(many).toMatch(/[a-z]/);
    expect(many).toMatch(/[A-Z]/);
    expect(many).toMatch(/[2-9]/);
  });

  it("differs from one call to the next", () => {
    expect(generateTemporaryPassword()).not.toBe(generateTemporaryPassword());
  });
});

describe("hashPassword", () => {
  it("uses PBKDF2 with 100,000 iterations, a 16-byte salt and a 32-byte hash, all hex", async () => {
    const stored = await hashPassword("Kavya123");
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    expect(stored.iterations).toBe(100_000);
    expect(stored.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("gives different hashes for the same password with different salts", async () => {
    const a = await hashPassword("same password");
    const b = await hashPassword("same password");
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it("is deterministic for a given salt and iteration count", async () => {
    const salt = new Uint8Array(16).fill(7);
    const a = await hashPassword("pw", salt, 1000);
    const b = await hashPassword("pw", salt, 1000);
    expect(a).toEqual(b);
    expect(a.salt).toBe("07".repeat(16));
    expect((await hashPassword("pw", salt, 1001)).hash).not.toBe(a.hash);
  });

  it("matches the PBKDF2-HMAC-SHA256 test vector (RFC 7914 section 11)", async () => {
    const salt = new TextEncoder().encode("salt");
    const { hash } = await hashPassword("passwd", salt, 1);
    expect(hash).toBe("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
  });
});

describe("verifyPassword", () => {
  it("accepts the password and rejects anything else", async () => {
    const stored = await hashPassword("aB3dE5gH7k");
    expect(await verifyPassword("aB3dE5gH7k", stored)).toBe(true);
    expect(await verifyPassword("aB3dE5gH7K", stored)).toBe(false);
    expect(await verifyPassword("aB3dE5gH7", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("rejects a tampered hash or salt", async () => {
    const stored = await hashPassword("secret", undefined, 1000);
    expect(await verifyPassword("secret", stored)).toBe(true);
    const flipped = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);
    expect(await verifyPassword("secret", { ...stored, hash: flipped(stored.hash) })).toBe(false);
    expect(await verifyPassword("secret", { ...stored, salt: flipped(stored.salt) })).toBe(false);
    expect(await verifyPassword("secret", { ...stored, hash: stored.hash.slice(0, 63) })).toBe(false);
  });
});
