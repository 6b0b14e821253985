-- Everything by phone. Hand-written (not drizzle-kit generate); mirrored in src/db/schema.ts.
-- call_holds: which doctor-days a call has held a time in, written with the call log after each
-- offer, so the call-status callback can release every hold of a call that hung up.
CREATE TABLE `call_holds` (
	`call_sid` text NOT NULL,
	`doctor_id` integer NOT NULL,
	`local_date` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`call_sid`, `doctor_id`, `local_date`)
);
--> statement-breakpoint
-- A moved appointment is cancelled and points at the one that replaced it.
ALTER TABLE `appointments` ADD `moved_to` integer;
--> statement-breakpoint
-- reminders: one row per appointment and kind ever sent (evening before, ~2 hours before). The
-- unique index is what makes a late, repeated or concurrent cron send each reminder once.
CREATE TABLE `reminders` (
	`id` integer PRIMARY KEY NOT NULL,
	`appointment_id` integer NOT NULL,
	`kind` text NOT NULL,
	`run_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_appointment_kind` ON `reminders` (`appointment_id`,`kind`);
--> statement-breakpoint
-- The cron looks for booked appointments starting within two days: by start, not by scanning all.
CREATE INDEX `appointments_booked_start` ON `appointments` (`starts_at`) WHERE status = 'booked';
--> statement-breakpoint
-- When the clinic's reception answers the phone (its number is `phone`): "1-6 0830-1800" is
-- Monday to Saturday, 08:30 to 18:00 clinic-local (weekday 0 is Sunday). Null: always.
ALTER TABLE `clinics` ADD `opening_hours` text;
