-- Reminder calls: the evening before an appointment the line calls the patient, who presses 1 to
-- confirm, 2 to cancel, 3 to move, 0 for the clinic, 9 to stop these calls.
-- call_outbox: one row per appointment and purpose, ever (the reminder; later a waitlist offer):
-- a placer claims a row before asking the provider, so a crash or an outage neither loses nor
-- repeats a call. call_outbox_due serves the cron's "what is due" read (live rows only);
-- call_outbox_provider_call finds an Exotel call by its CallSid (its flow URL is not the line's).
CREATE TABLE `call_outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`appointment_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`to_number` text NOT NULL,
	`language` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`api_attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`not_after` text NOT NULL,
	`provider` text,
	`provider_call_id` text,
	`answered_at` text,
	`outcome` text,
	`last_error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `call_outbox_appointment_purpose` ON `call_outbox` (`appointment_id`,`purpose`);--> statement-breakpoint
CREATE INDEX `call_outbox_due` ON `call_outbox` (`status`,`next_attempt_at`) WHERE status IN ('pending', 'placing', 'ringing');--> statement-breakpoint
CREATE UNIQUE INDEX `call_outbox_provider_call` ON `call_outbox` (`provider_call_id`) WHERE provider_call_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `call_outbox_created` ON `call_outbox` (`created_at`);--> statement-breakpoint
-- The patient pressed 1 on the reminder call: the desk shows the appointment confirmed.
ALTER TABLE `appointments` ADD `confirmed_at` text;--> statement-breakpoint
-- The reminder calls' read: booked appointments of the next 40 hours by start (each then checked
-- for a call row by call_outbox_appointment_purpose).
CREATE INDEX `appointments_to_call` ON `appointments` (`starts_at`) WHERE status = 'booked';--> statement-breakpoint
-- Per clinic: reminder calls on (1) or off (0, the default: calls cost money, the clinic opts in).
ALTER TABLE `clinics` ADD `reminder_calls` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- The patient pressed 9 "to stop these calls": no reminder call is placed to them after it.
ALTER TABLE `patients` ADD `reminder_calls_off_at` text;