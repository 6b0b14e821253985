/**
 * The account SMS is rendered when it is sent, never stored: its outbox row holds only
 * WITHHELD_BODY, and the temporary password rides on the queue message for that row.
 * When that message is lost (the sweep re-queues the row without it), a fresh password is
 * made and hashed in place of the old one, which nobody has seen.
 */
import type { Db } from "../db/client.ts";
import type { RenderedSms } from "./templates/index.ts";
import { accountSms } from "./texts.ts";
import type { Language } from "../words/index.ts";
import { generateTemporaryPassword, hashPassword } from "../patients/password.ts";

export const WITHHELD_BODY = "[text withheld: it carried a temporary password]";

/** A temporary password and the hash it was stored as (to tell whether it is still the live one). */
export interface AccountSecret {
  password: string;
  hash: string;
}

export function isAccountSecret(value: unknown): value is AccountSecret {
  const v = value as Partial<AccountSecret> | null | undefined;
  return typeof v?.password === "string" && typeof v.hash === "string" && v.password.length > 0;
}

/**
 * The text to send for an account row, or null when there is nothing to send: no account,
 * the temporary password was used or the patient chose a password since, or a newer one replaced it.
 */
export async function renderAccountSms(
  db: Db,
  language: Language,
  login: string,
  secret: AccountSecret | undefined,
  /** Where the patient signs in (the /me page), when the public address is known; else "". */
  page = "",
): Promise<RenderedSms | null> {
  const d1 = db.$client;
  const account = await d1
    .prepare(
      "SELECT temp_password_hash AS hash FROM patient_accounts WHERE login = ? AND temp_password_hash IS NOT NULL",
    )
    .bind(login)
    .first<{ hash: string }>();
  if (!account) return null;
  // A password replaced since this row was written (the patient asked again) is not sent:
  // only the newest request's SMS carries the password that works.
  if (secret) return secret.hash === account.hash ? accountSms(language, login, secret.password, page) : null;
  const password = generateTemporaryPassword();
  const hashed = await hashPassword(password);
  const replaced = await d1
    .prepare(
      // A new account's own password is that unseen one too: replaced with it (SET sees the old row).
      `UPDATE patient_accounts SET temp_password_hash = ?1, temp_password_salt = ?2, temp_password_iterations = ?3,
          password_hash = CASE WHEN password_hash = ?5 THEN ?1 ELSE password_hash END,
          password_salt = CASE WHEN password_hash = ?5 THEN ?2 ELSE password_salt END,
          password_iterations = CASE WHEN password_hash = ?5 THEN ?3 ELSE password_iterations END
        WHERE login = ?4 AND temp_password_hash = ?5 RETURNING id`,
    )
    .bind(hashed.hash, hashed.salt, hashed.iterations, login, account.hash)
    .first();
  return replaced ? accountSms(language, login, password, page) : null;
}
