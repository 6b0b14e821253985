-- Hand-written (not drizzle-kit generate); mirrored in src/db/schema.ts.
-- Every change to what a doctor can be booked for (hours, days off, holidays, switching the
-- doctor off or on) bumps the doctor's calendar_version in the same batch. The booking service
-- pushes the day's calendar with this version to the doctor-day objects; an object keeps the
-- newest it was given, so a late or repeated push (or the reconcile's) never brings back an old one.
ALTER TABLE `doctors` ADD `calendar_version` integer DEFAULT 0 NOT NULL;
