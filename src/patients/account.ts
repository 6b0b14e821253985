/**
 * A patient's account on the patient page (/me): login = phone, and a temporary password sent
 * by SMS only when the patient asks for one there (first sign-in, or a forgotten password). A
 * booking sends no password: a number that called once is not texted a credential it never
 * asked for, a first booking costs one SMS, and the call never waits for a slow hash.
 *
 * The password is stored only as a PBKDF2 hash and never touches D1 in plain text: the outbox
 * row holds a placeholder, and the password travels only in the queue message that delivers
 * the row (see sms/account-sms.ts, which renders the text at send time). Hashing is deliberately
 * slow, so this runs as a queue job, after the page has answered.
 */
import { spendTemporaryPassword, temporaryPasswordStatement } from "../stores/accounts.ts";
import { idsOf, runBatch, write } from "../stores/batch.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { insertOutbox } from "../stores/outbox.ts";
import { smsDestination } from "../sms/policy.ts";
import { WITHHELD_BODY, type AccountSecret } from "../sms/account-sms.ts";
import { generateTemporaryPassword, hashPassword, verifyPassword } from "./password.ts";

export interface AccountSms {
  outboxId: number;
  /** Goes on the queue message for this row and nowhere else. */
  secret: AccountSecret;
}

/** How long a temporary password works, unused. */
export const TEMPORARY_PASSWORD_HOURS = 24;

/**
 * Gives the phone's account a fresh temporary password (creating the account if it has none)
 * and returns the SMS to queue, at most one. Only a phone that has booked gets one; a phone
 * the line may not text (sms/policy.ts) gets nothing. Anyone may ask for any number, so the
 * temporary password is kept beside the patient's own, which goes on working: the temporary
 * one replaces it only when it is used to sign in (and must then be replaced at once).
 */
export async function issueTemporaryPassword(
  db: Db,
  config: Pick<Config, "smsAllowedCountryCodes" | "defaultLanguage">,
  phone: string,
  callbackBase: string,
  now = new Date(),
): Promise<AccountSms[]> {
  if (!smsDestination(phone, config).allowed) return [];
  const d1 = db.$client;
  const password = generateTemporaryPassword();
  const hashed = await hashPassword(password);
  const written = await runBatch(d1, {
    // A new account's own password is the temporary one (to be replaced at the first sign-in).
    account: write(temporaryPasswordStatement(d1, phone, hashed, now)),
    // Only if the stored temporary password is the one just made: when two requests race, only
    // the password that was kept is sent.
    sms: idsOf(
      insertOutbox(
        d1,
        {
          to: phone,
          // Rendered when sent, in the language chosen by then: the template is settled there.
          sms: { body: WITHHELD_BODY, template: "account", language: config.defaultLanguage },
          purpose: "account",
          sensitive: true,
          callbackBase,
          createdAt: now.toISOString(),
        },
        { from: "patient_accounts", where: "login = ? AND temp_password_hash = ?", params: [phone, hashed.hash] },
      ),
    ),
  });
  return written.sms.map((outboxId) => ({ outboxId, secret: { password, hash: hashed.hash } }));
}

export interface StoredAccount {
  id: number;
  hash: string;
  salt: string;
  iterations: number;
  tempHash: string | null;
  tempSalt: string | null;
  tempIterations: number | null;
  tempIssuedAt: string | null;
}

export type PasswordCheck = "password" | "temporary" | "wrong";

/**
 * Checks a sign-in password: the patient's own, or an unexpired temporary one. A temporary
 * password that matches becomes the account's password, to be replaced at once, and is spent.
 */
export async function checkPatientPassword(
  db: Db,
  account: StoredAccount,
  password: string,
  now: Date,
): Promise<PasswordCheck> {
  const fresh =
    account.tempHash !== null &&
    account.tempIssuedAt !== null &&
    Date.parse(account.tempIssuedAt) > now.getTime() - TEMPORARY_PASSWORD_HOURS * 3_600_000;
  if (
    fresh &&
    (await verifyPassword(password, {
      hash: account.tempHash!,
      salt: account.tempSalt!,
      iterations: account.tempIterations!,
    }))
  ) {
    // Only if it is still the temporary password checked (a newer request may have replaced it).
    const used = await spendTemporaryPassword(db, account.id, account.tempHash!);
    if (used) return "temporary";
  }
  const own = await verifyPassword(password, {
    hash: account.hash,
    salt: account.salt,
    iterations: account.iterations,
  });
  return own ? "password" : "wrong";
}
