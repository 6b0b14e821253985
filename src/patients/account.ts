/**
 * The patient account a first booking creates: login = phone, a random temporary password
 * stored only as a PBKDF2 hash, the password sent once by SMS. Hashing is deliberately slow,
 * so this runs after the caller has their token; if it ever fails, the phone's next booking
 * tries again (a booking only needs the patient, not the account).
 */
import type { Db } from "../db/client.ts";
import type { Catalogue } from "../ivr/prompts.ts";
import { generateTemporaryPassword, hashPassword } from "./password.ts";

/** Creates the account if the phone has none; returns the outbox ids of the password SMS. */
export async function ensureAccount(db: Db, words: Catalogue, phone: string, callbackBase: string): Promise<number[]> {
  const d1 = db.$client;
  const existing = await d1.prepare("SELECT 1 FROM patient_accounts WHERE login = ?").bind(phone).first();
  if (existing) return [];
  const password = generateTemporaryPassword();
  const hashed = await hashPassword(password);
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
         SELECT ?1, ?2, 'account', 1, ?4 FROM patient_accounts WHERE login = ?1 AND password_hash = ?3
         RETURNING id`,
      )
      .bind(
        phone,
        words.smsAccount(phone, password, callbackBase ? `${callbackBase}/me` : ""),
        hashed.hash,
        callbackBase,
      ),
  ]);
  return sms!.results.map((row) => row.id);
}
