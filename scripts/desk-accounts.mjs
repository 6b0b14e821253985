// npm start's desk accounts: a local admin, a desk user per clinic and a doctor user, each
// with a new random password on every start (only PBKDF2 hashes are stored, so the old ones
// cannot be shown again). Local use only: nothing here runs against a deployed database.
import { executeLocalSql, hashLocalPassword, localQuery, newLocalPassword } from "./local.mjs";

const quote = (text) => `'${String(text).replaceAll("'", "''")}'`;

function upsertUser(username, role, password, doctorId = null) {
  const { hash, salt, iterations } = hashLocalPassword(password);
  return `INSERT INTO staff_users (username, role, doctor_id, password_hash, password_salt, password_iterations, active)
  VALUES (${quote(username)}, ${quote(role)}, ${doctorId ?? "NULL"}, ${quote(hash)}, ${quote(salt)}, ${iterations}, 1)
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
    const password = newLocalPassword(12);
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
  executeLocalSql(statements.join("\n"), persistTo, "creating desk accounts");
  return accounts;
}
