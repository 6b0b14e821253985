/** Patients' accounts on the patient page (table patient_accounts): sign-in, the session's account, a new password. */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { patientAccounts } from "../db/schema.ts";
import type { PasswordHash } from "../patients/password.ts";

/** The account signing in with this login (the phone), with what checks its passwords. */
export function accountByLogin(db: Db, login: string) {
  return db
    .select({
      id: patientAccounts.id,
      patientId: patientAccounts.patientId,
      phone: patientAccounts.login,
      mustChangePassword: patientAccounts.mustChangePassword,
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
  return db
    .select({
      id: patientAccounts.id,
      patientId: patientAccounts.patientId,
      phone: patientAccounts.login,
      mustChangePassword: patientAccounts.mustChangePassword,
    })
    .from(patientAccounts)
    .where(eq(patientAccounts.id, id))
    .get();
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
