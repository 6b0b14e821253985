/** Staff users and the clinics each may work at (tables staff_users, staff_clinics). */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { staffUsers } from "../db/schema.ts";
import type { PasswordHash } from "../patients/password.ts";

/** The user signing in with this username (any state: the caller checks `active`). */
export function staffByUsername(db: Db, username: string) {
  return db.select().from(staffUsers).where(eq(staffUsers.username, username)).get();
}

export interface NewStaffUser {
  username: string;
  role: (typeof staffUsers.role.enumValues)[number];
  doctorId: number | null;
  clinicIds: readonly number[];
}

/**
 * The user and their clinics in one batch, all or nothing; throws on a taken username. Raw:
 * the clinic rows find the new user by username inside the same batch.
 */
export async function addStaffUser(db: Db, user: NewStaffUser, hashed: PasswordHash): Promise<void> {
  const d1 = db.$client;
  await d1.batch([
    d1
      .prepare(
        "INSERT INTO staff_users (username, role, doctor_id, password_hash, password_salt, password_iterations) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .bind(user.username, user.role, user.doctorId, hashed.hash, hashed.salt, hashed.iterations),
    ...user.clinicIds.map((clinicId) =>
      d1
        .prepare("INSERT INTO staff_clinics (user_id, clinic_id) SELECT id, ? FROM staff_users WHERE username = ?")
        .bind(clinicId, user.username),
    ),
  ]);
}

export async function setStaffActive(db: Db, userId: number, active: boolean): Promise<void> {
  await db.update(staffUsers).set({ active }).where(eq(staffUsers.id, userId));
}

export async function setStaffPassword(db: Db, userId: number, hashed: PasswordHash): Promise<void> {
  await db
    .update(staffUsers)
    .set({ passwordHash: hashed.hash, passwordSalt: hashed.salt, passwordIterations: hashed.iterations })
    .where(eq(staffUsers.id, userId));
}
