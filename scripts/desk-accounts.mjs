// npm start's desk accounts: a local admin, a desk user per clinic and a doctor user, each
// with a new random password on every start (only PBKDF2 hashes are stored, so the old ones
// cannot be shown again). Local use only: nothing here runs against a deployed database.
import { spawnSync } from "node:child_process";
import { pbkdf2Sync, randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { localQuery, root, wranglerBin } from "./local.mjs";

// The same alphabet and hash as src/patients/password.ts: no 0/O, 1/l/I.
const ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const ITERATIONS = 100_000;

function newPassword(length = 12) {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

const quote = (text) => `'${String(text).replaceAll("'", "''")}'`;

function upsertUser(username, role, password, doctorId = null) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, ITERATIONS, 32, "sha256").toString("hex");
  return `INSERT INTO staff_users (username, role, doctor_id, password_hash, password_salt, password_iterations, active)
  VALUES (${quote(username)}, ${quote(role)}, ${doctorId ?? "NULL"}, ${quote(hash)}, ${quote(salt.toString("hex"))}, ${ITERATIONS}, 1)
  ON CONFLICT (username) DO UPDATE SET role = excluded.role, doctor_id = excluded.doctor_id, password_hash = excluded.password_hash,
    password_salt = excluded.password_salt, password_iterations = excluded.password_iterations, active = 1;`;
}

/** "Hampankatta Family Clinic" -> "desk-hampankatta". */
export function deskUsername(clinicName) {
  const word =
    clinicName
      .toLowerCase()
      .split(/[^a-z]+/)
      .find(Boolean) ?? "clinic";
  return `desk-${word}`;
}

/** Creates (or resets) the accounts and returns [{ username, password, role, what }]. */
export function createLocalAccounts(persistTo) {
  const clinics = localQuery("SELECT id, name FROM clinics ORDER BY id", persistTo);
  const doctor = localQuery(
    "SELECT id, name, clinic_id FROM doctors WHERE active = 1 ORDER BY id LIMIT 1",
    persistTo,
  )[0];
  const accounts = [];
  const statements = [];
  const add = (username, role, what, doctorId = null) => {
    const password = newPassword();
    accounts.push({ username, password, role, what });
    statements.push(upsertUser(username, role, password, doctorId));
  };
  add("admin", "admin", "every clinic, doctors and staff");
  for (const clinic of clinics) {
    const username = deskUsername(clinic.name);
    add(username, "desk", clinic.name);
    statements.push(
      `INSERT OR IGNORE INTO staff_clinics (user_id, clinic_id) SELECT id, ${Number(clinic.id)} FROM staff_users WHERE username = ${quote(username)};`,
    );
  }
  if (doctor) {
    const first = doctor.name
      .replace(/^Dr\.?\s+/i, "")
      .split(/\s+/)[0]
      .toLowerCase();
    add(`doctor-${first}`, "doctor", `${doctor.name}'s own queue`, Number(doctor.id));
  }
  const dir = mkdtempSync(path.join(tmpdir(), "desk-accounts-"));
  try {
    const file = path.join(dir, "accounts.sql");
    writeFileSync(file, statements.join("\n"));
    const args = ["d1", "execute", "DB", "--local", "--file", file];
    if (persistTo) args.push("--persist-to", persistTo);
    const result = spawnSync(wranglerBin, args, {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    });
    if (result.status !== 0) throw new Error(`creating desk accounts failed: ${result.stderr || result.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return accounts;
}
