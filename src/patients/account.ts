/**
 * A patient's account on the patient page (/me): login = phone, and a temporary password sent
 * by SMS only when the patient asks for one there (first sign-in, or a forgotten password). A
 * booking sends no password: a number that called once is not texted a credential it never
 * asked for, a first booking costs one SMS, and the call never waits for a slow hash.
 *
 * The password is stored only as a PBKDF2 hash and never touches D1 in plain text: the outbox
 * row holds a placeholder, and the password travels only in the queue message that delivers
 * the row (see account-sms.ts, which renders the text at send time). Hashing is deliberately
 * slow, so this runs as a queue job, after the page has answered.
 */
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { smsDestination } from "../sms/policy.ts";
import { WITHHELD_BODY, type AccountSecret } from "./account-sms.ts";
import { generateTemporaryPassword, hashPassword } from "./password.ts";

export interface AccountSms {
  outboxId: number;
  /** Goes on the queue message for this row and nowhere else. */
  secret: AccountSecret;
}

/**
 * Gives the phone's account a fresh temporary password (creating the account if it has none)
 * and returns the SMS to queue, at most one. Only a phone that has booked gets one; a phone
 * the line may not text (sms/policy.ts) gets nothing. The new password must be replaced at the
 * next sign-in; until it is used, the previous password (if the patient chose one) no longer works.
 */
export async function issueTemporaryPassword(
  db: Db,
  config: Pick<Config, "smsAllowedCountryCodes">,
  phone: string,
  callbackBase: string,
): Promise<AccountSms[]> {
  if (!smsDestination(phone, config).allowed) return [];
  const d1 = db.$client;
  const password = generateTemporaryPassword();
  const hashed = await hashPassword(password);
  const [, sms] = await d1.batch<{ id: number }>([
    d1
      .prepare(
        `INSERT INTO patient_accounts (patient_id, login, password_hash, password_salt, password_iterations)
         SELECT p.id, p.phone, ?2, ?3, ?4 FROM patients p
          WHERE p.phone = ?1 AND EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id)
         ON CONFLICT (login) DO UPDATE SET password_hash = excluded.password_hash,
           password_salt = excluded.password_salt, password_iterations = excluded.password_iterations,
           must_change_password = 1`,
      )
      .bind(phone, hashed.hash, hashed.salt, hashed.iterations),
    // Only if the stored password is the one just made: when two requests race, only the
    // password that was kept is sent.
    d1
      .prepare(
        `INSERT INTO sms_outbox (to_number, body, purpose, sensitive, callback_base, created_at)
         SELECT ?1, ?2, 'account', 1, ?4, ?5 FROM patient_accounts WHERE login = ?1 AND password_hash = ?3
         RETURNING id`,
      )
      .bind(phone, WITHHELD_BODY, hashed.hash, callbackBase, new Date().toISOString()),
  ]);
  return sms!.results.map((row) => ({ outboxId: row.id, secret: { password, hash: hashed.hash } }));
}
