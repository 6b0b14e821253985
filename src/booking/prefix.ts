/**
 * Storing a doctor's token prefix once. Chosen from the name among the prefixes the clinic
 * has never used (past doctors included), written only where none is stored yet, and guarded
 * by a unique index per clinic: two requests choosing at once cannot both win, and the loser
 * simply reads the winner's choice.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { doctors } from "../db/schema.ts";
import { violatedUniqueIndex } from "./conflicts.ts";
import { choosePrefix } from "./token.ts";

async function takenPrefixes(db: Db, clinicId: number): Promise<Set<string>> {
  const rows = await db.select({ prefix: doctors.tokenPrefix }).from(doctors).where(eq(doctors.clinicId, clinicId));
  return new Set(rows.map((r) => r.prefix).filter((p): p is string => p !== null));
}

/** The doctor's stored prefix, choosing and storing one first if there is none (once per doctor, ever). */
export async function ensureTokenPrefix(
  db: Db,
  doctor: { id: number; clinicId: number; name: string; tokenPrefix: string | null },
): Promise<string> {
  if (doctor.tokenPrefix) return doctor.tokenPrefix;
  for (let attempt = 0; attempt < 5; attempt++) {
    const prefix = choosePrefix(doctor.name, await takenPrefixes(db, doctor.clinicId));
    if (!prefix) throw new Error(`clinic ${doctor.clinicId} has used every token prefix`);
    try {
      await db
        .update(doctors)
        .set({ tokenPrefix: prefix })
        .where(and(eq(doctors.id, doctor.id), isNull(doctors.tokenPrefix)));
    } catch (error) {
      if (violatedUniqueIndex(error) === "doctors_clinic_prefix") continue; // a colleague took it just now
      throw error;
    }
    const stored = await db
      .select({ prefix: doctors.tokenPrefix })
      .from(doctors)
      .where(eq(doctors.id, doctor.id))
      .get();
    if (stored?.prefix) return stored.prefix;
  }
  throw new Error(`could not choose a token prefix for doctor ${doctor.id}`);
}
