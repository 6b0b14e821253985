#!/usr/bin/env node
/**
 * npm run patient-password -- +919876543210: what "Text me a password" on /me does, for the
 * local line, with the password printed here instead of texted (npm start's SMS_MODE=log never
 * prints an SMS's text, and a password SMS is never stored). The number must have booked
 * (e.g. with npm run call). Local D1 only: nothing here runs against a deployed database.
 */
import { executeLocalSql, hashLocalPassword, localQuery, newLocalPassword, parseArgs } from "./local.mjs";

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
const password = newLocalPassword(10); // as long as the Worker's temporary passwords
const { hash, salt, iterations } = hashLocalPassword(password);
executeLocalSql(
  `INSERT INTO patient_accounts (patient_id, login, password_hash, password_salt, password_iterations)
  VALUES (${Number(booked[0].id)}, '${phone}', '${hash}', '${salt}', ${iterations})
  ON CONFLICT (login) DO UPDATE SET password_hash = excluded.password_hash, password_salt = excluded.password_salt,
    password_iterations = excluded.password_iterations, must_change_password = 1;`,
  persistTo,
  "setting the password",
);
console.log(`/me sign-in for ${phone}: temporary password ${password} (to be replaced at the first sign-in)`);
