-- Issue 12: everything by phone. Hand-written (not drizzle-kit generate); mirrored in src/db/schema.ts.
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
