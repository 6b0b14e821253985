/** The language a caller chose on the phone line, kept on the patient for calls and SMS alike. */
import type { Db } from "../db/client.ts";
import { isLanguage, type Language } from "../words/index.ts";
import { lastFour } from "./phone.ts";

/** The statement behind preferredLanguage, to send in a batch with others: one row `{ language }` or none. */
export function preferredLanguageStatement(d1: D1Database, phone: string): D1PreparedStatement {
  return d1.prepare("SELECT preferred_language AS language FROM patients WHERE phone = ?").bind(phone);
}

/** The stored choice of the patient with this E.164 number, or null (unknown number, never chose). */
export async function preferredLanguage(db: Db, phone: string): Promise<Language | null> {
  const row = await preferredLanguageStatement(db.$client, phone).first<{ language: string | null }>();
  return row?.language && isLanguage(row.language) ? row.language : null;
}

/**
 * Stores a choice, making the patient row if this number has none yet (the booking batch
 * then finds it, as it would a returning patient's).
 */
export async function rememberLanguage(db: Db, phone: string, language: Language): Promise<void> {
  await db.$client
    .prepare(
      `INSERT INTO patients (phone, name, preferred_language, created_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (phone) DO UPDATE SET preferred_language = excluded.preferred_language`,
    )
    .bind(phone, `Phone patient ${lastFour(phone)}`, language, new Date().toISOString())
    .run();
}
