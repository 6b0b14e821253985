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
import { replaceUnseenTemporaryPassword, waitingTemporaryPassword } from "../stores/accounts.ts";
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
  const account = await waitingTemporaryPassword(db, login);
  if (!account) return null;
  // A password replaced since this row was written (the patient asked again) is not sent:
  // only the newest request's SMS carries the password that works.
  if (secret) return secret.hash === account.hash ? accountSms(language, login, secret.password, page) : null;
  const password = generateTemporaryPassword();
  const hashed = await hashPassword(password);
  const replaced = await replaceUnseenTemporaryPassword(db, login, account.hash, hashed);
  return replaced ? accountSms(language, login, password, page) : null;
}
