-- Made by `npm run db:generate` from src/db/schema.ts; the comments say why.
-- Every change to what a doctor can be booked for (hours, days off, holidays, switching the
-- doctor off or on) bumps the doctor's calendar_version in the same batch. The booking service
-- pushes the day's calendar with this version to the doctor-day objects; an object keeps the
-- newest it was given, so a late or repeated push (or the reconcile's) never brings back an old one.
ALTER TABLE `doctors` ADD `calendar_version` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- The newest version every doctor-day object in the horizon is known to have taken; below
-- calendar_version, the reconcile delivers the doctor's calendar to every day of the horizon.
ALTER TABLE `doctors` ADD `calendar_pushed_version` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- sign_in_addresses: the addresses each account signed in from (key "staff:login|ip" or
-- "patient:phone|ip"), kept 90 days. Such an address is exempt from the account-wide count of
-- failed sign-ins, so strangers guessing a password cannot lock the account's own desk out.
CREATE TABLE `sign_in_addresses` (
	`key` text PRIMARY KEY NOT NULL,
	`last_at` text NOT NULL
);
--> statement-breakpoint
-- A temporary password asked for on the patient page lives beside the patient's own password,
-- not in its place: anyone can ask for one for any number, so asking must not void the password
-- the patient uses nor send their open session to the change-password page. It works once
-- (it then becomes the password, to be replaced at once) and for a day.
ALTER TABLE `patient_accounts` ADD `temp_password_hash` text;
--> statement-breakpoint
ALTER TABLE `patient_accounts` ADD `temp_password_salt` text;
--> statement-breakpoint
ALTER TABLE `patient_accounts` ADD `temp_password_iterations` integer;
--> statement-breakpoint
ALTER TABLE `patient_accounts` ADD `temp_issued_at` text;
