#!/usr/bin/env node
/**
 * npm run patient-password -- +919876543210: what "Text me a password" on /me does, for the
 * local line, with the password printed here instead of texted (npm start's SMS_MODE=log never
 * prints an SMS's text, and a password SMS is never stored). The number must have booked
 * (e.g. with npm run call). Local D1 only: nothing here runs against a deployed database.
 */
import { spawnSync } from "node:child_process";
import { pbkdf2Sync, randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { localQuery, parseArgs, root, wranglerBin } from "./local.mjs";

// The same alphabet, length and hash as src/patients/password.ts.
const ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const ITERATIONS = 100_000;

const { options, positional } = parseArgs(process.argv.slice(2), ["persist-to"]);
const raw = (positional[0] ?? "").replace(/[\s-]/g, "");
const phone = /^\d{10}$/.test(raw) ? `+91${raw}` : raw;
if (options.help || !/^\+\d{8,15}$/.test(phone)) {
  console.log("Usage: npm run patient-password -- +919876543210 [--persist-to DIR]");
  process.exit(options.help ? 0 : 2);
}
const persistTo = options["persist-to"];
const booked = localQuery(
  `SELECT p.id FROM patients p WHERE p.phone = '${phone}' AND EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id)`,
  persistTo,
);
if (booked.length === 0) {
  console.error(`${phone} has not booked on the local line: book first (npm run call -- --from ${phone}).`);
  process.exit(1);
}
const password = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
const salt = randomBytes(16);
const hash = pbkdf2Sync(password, salt, ITERATIONS, 32, "sha256").toString("hex");
const sql = `INSERT INTO patient_accounts (patient_id, login, password_hash, password_salt, password_iterations)
  VALUES (${Number(booked[0].id)}, '${phone}', '${hash}', '${salt.toString("hex")}', ${ITERATIONS})
  ON CONFLICT (login) DO UPDATE SET password_hash = excluded.password_hash, password_salt = excluded.password_salt,
    password_iterations = excluded.password_iterations, must_change_password = 1;`;
const dir = mkdtempSync(path.join(tmpdir(), "patient-password-"));
try {
  const file = path.join(dir, "password.sql");
  writeFileSync(file, sql);
  const args = ["d1", "execute", "DB", "--local", "--file", file, ...(persistTo ? ["--persist-to", persistTo] : [])];
  const result = spawnSync(wranglerBin, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  if (result.status !== 0) throw new Error(`setting the password failed: ${result.stderr || result.stdout}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`/me sign-in for ${phone}: temporary password ${password} (to be replaced at the first sign-in)`);
