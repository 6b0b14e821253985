/** Patients' accounts on the patient page (table patient_accounts): sign-in, the session's account, a new password. */
import { and, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { patientAccounts } from "../db/schema.ts";
import type { PasswordHash } from "../patients/password.ts";

/** What a signed-in session knows of its account. */
const sessionAccount = {
  id: patientAccounts.id,
  patientId: patientAccounts.patientId,
  phone: patientAccounts.login,
  mustChangePassword: patientAccounts.mustChangePassword,
};

/** The account signing in with this login (the phone), with what checks its passwords. */
export function accountByLogin(db: Db, login: string) {
  return db
    .select({
      ...sessionAccount,
      hash: patientAccounts.passwordHash,
      salt: patientAccounts.passwordSalt,
      iterations: patientAccounts.passwordIterations,
      tempHash: patientAccounts.tempPasswordHash,
      tempSalt: patientAccounts.tempPasswordSalt,
      tempIterations: patientAccounts.tempPasswordIterations,
      tempIssuedAt: patientAccounts.tempIssuedAt,
    })
    .from(patientAccounts)
    .where(eq(patientAccounts.login, login))
    .get();
}

/** A signed-in session's account. */
export function accountById(db: Db, id: number) {
  return db.select(sessionAccount).from(patientAccounts).where(eq(patientAccounts.id, id)).get();
}

/** The patient's own new password; a temporary password still waiting is no longer needed. */
export async function setPassword(db: Db, accountId: number, hashed: PasswordHash): Promise<void> {
  await db
    .update(patientAccounts)
    .set({
      passwordHash: hashed.hash,
      passwordSalt: hashed.salt,
      passwordIterations: hashed.iterations,
      mustChangePassword: false,
      tempPasswordHash: null,
      tempPasswordSalt: null,
      tempPasswordIterations: null,
      tempIssuedAt: null,
    })
    .where(eq(patientAccounts.id, accountId));
}

/**
 * Keeps a new temporary password beside the account's own, making the account (whose own
 * password is then the temporary one) for a phone that has booked. Raw: an upsert that selects
 * from patients, in a batch with the outbox's statement.
 */
export function temporaryPasswordStatement(
  d1: D1Database,
  phone: string,
  hashed: PasswordHash,
  now: Date,
): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO patient_accounts (patient_id, login, password_hash, password_salt, password_iterations,
                                     temp_password_hash, temp_password_salt, temp_password_iterations, temp_issued_at)
       SELECT p.id, p.phone, ?2, ?3, ?4, ?2, ?3, ?4, ?5 FROM patients p
        WHERE p.phone = ?1 AND EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id)
       ON CONFLICT (login) DO UPDATE SET temp_password_hash = excluded.temp_password_hash,
         temp_password_salt = excluded.temp_password_salt,
         temp_password_iterations = excluded.temp_password_iterations, temp_issued_at = excluded.temp_issued_at`,
    )
    .bind(phone, hashed.hash, hashed.salt, hashed.iterations, now.toISOString());
}

/**
 * A temporary password used to sign in becomes the account's own (to be replaced at once), only
 * if it is still the one checked (a newer request may have replaced it). Whether it was.
 */
export async function spendTemporaryPassword(db: Db, accountId: number, tempHash: string): Promise<boolean> {
  const used = await db.$client
    .prepare(
      `UPDATE patient_accounts SET password_hash = temp_password_hash, password_salt = temp_password_salt,
         password_iterations = temp_password_iterations, must_change_password = 1, temp_password_hash = NULL,
         temp_password_salt = NULL, temp_password_iterations = NULL, temp_issued_at = NULL
       WHERE id = ? AND temp_password_hash = ? RETURNING id`,
    )
    .bind(accountId, tempHash)
    .first();
  return used !== null;
}

/** The temporary password waiting on this login (its hash), if any. */
export async function waitingTemporaryPassword(db: Db, login: string): Promise<{ hash: string } | null> {
  const row = await db
    .select({ hash: patientAccounts.tempPasswordHash })
    .from(patientAccounts)
    .where(and(eq(patientAccounts.login, login), isNotNull(patientAccounts.tempPasswordHash)))
    .get();
  return row?.hash ? { hash: row.hash } : null;
}

/**
 * Replaces a temporary password nobody has seen (its SMS was lost) with a new one, only if
 * `unseenHash` is still the one waiting; a new account's own password is that unseen one too,
 * so it is replaced with it (SET sees the old row). Whether it was replaced. Raw: conditional
 * column updates (CASE on the old value).
 */
export async function replaceUnseenTemporaryPassword(
  db: Db,
  login: string,
  unseenHash: string,
  hashed: PasswordHash,
): Promise<boolean> {
  const replaced = await db.$client
    .prepare(
      `UPDATE patient_accounts SET temp_password_hash = ?1, temp_password_salt = ?2, temp_password_iterations = ?3,
          password_hash = CASE WHEN password_hash = ?5 THEN ?1 ELSE password_hash END,
          password_salt = CASE WHEN password_hash = ?5 THEN ?2 ELSE password_salt END,
          password_iterations = CASE WHEN password_hash = ?5 THEN ?3 ELSE password_iterations END
        WHERE login = ?4 AND temp_password_hash = ?5 RETURNING id`,
    )
    .bind(hashed.hash, hashed.salt, hashed.iterations, login, unseenHash)
    .first();
  return replaced !== null;
}
