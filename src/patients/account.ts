/**
 * The patient account a first booking creates: login = phone, a random temporary password
 * stored only as a PBKDF2 hash. The password itself never touches D1: the outbox row holds a
 * placeholder, and the password travels only in the queue message that delivers the row
 * (see account-sms.ts, which renders the text at send time). Hashing is deliberately slow,
 * so this runs after the caller has their token, as a queue job.
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
 * Creates the account if the phone has none; returns the password SMS to queue (at most one).
 * A phone the line may not text (sms/policy.ts) still gets its account, with a password
 * nobody is told, so the sweep stops looking for it; no SMS is written for it.
 */
export async function ensureAccount(
  db: Db,
  config: Pick<Config, "smsAllowedCountryCodes">,
  phone: string,
  callbackBase: string,
): Promise<AccountSms[]> {
  const d1 = db.$client;
  const existing = await d1.prepare("SELECT 1 FROM patient_accounts WHERE login = ?").bind(phone).first();
  if (existing) return [];
  const password = generateTemporaryPassword();
  const hashed = await hashPassword(password);
  const textable = smsDestination(phone, config).allowed;
  const [, sms] = await d1.batch<{ id: number }>([
    d1
      .prepare(
        `INSERT INTO patient_accounts (patient_id, login, password_hash, password_salt, password_iterations)
         SELECT id, phone, ?2, ?3, ?4 FROM patients WHERE phone = ?1
         ON CONFLICT DO NOTHING`,
      )
      .bind(phone, hashed.hash, hashed.salt, hashed.iterations),
    // Only if the stored account is the one just made: when two first bookings from one phone
    // race, only the password that was kept is sent.
    d1
      .prepare(
        `INSERT INTO sms_outbox (to_number, body, purpose, sensitive, callback_base)
         SELECT ?1, ?2, 'account', 1, ?4 FROM patient_accounts WHERE login = ?1 AND password_hash = ?3 AND ?5
         RETURNING id`,
      )
      .bind(phone, WITHHELD_BODY, hashed.hash, callbackBase, textable ? 1 : 0),
  ]);
  return sms!.results.map((row) => ({ outboxId: row.id, secret: { password, hash: hashed.hash } }));
}
