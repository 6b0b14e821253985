-- The clinic desk: staff accounts and their clinics, server-side sessions, sign-in
-- throttling, the audit trail, and the visit steps of an appointment (arrived, in consultation).
CREATE TABLE `staff_users` (
	`id` integer PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`role` text NOT NULL CHECK (`role` IN ('admin', 'desk', 'doctor')),
	`doctor_id` integer REFERENCES `doctors`(`id`),
	`password_hash` text NOT NULL,
	`password_salt` text NOT NULL,
	`password_iterations` integer NOT NULL,
	`active` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX `staff_users_username` ON `staff_users` (`username`);--> statement-breakpoint
CREATE TABLE `staff_clinics` (
	`user_id` integer NOT NULL REFERENCES `staff_users`(`id`),
	`clinic_id` integer NOT NULL REFERENCES `clinics`(`id`),
	PRIMARY KEY (`user_id`, `clinic_id`)
);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL CHECK (`kind` IN ('staff', 'patient')),
	`subject_id` integer NOT NULL,
	`csrf_token` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);--> statement-breakpoint
CREATE INDEX `sessions_subject` ON `sessions` (`kind`, `subject_id`);--> statement-breakpoint
CREATE TABLE `login_failures` (
	`id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`failed_at` text NOT NULL
);--> statement-breakpoint
CREATE INDEX `login_failures_key` ON `login_failures` (`key`, `failed_at`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`clinic_id` integer,
	`action` text NOT NULL,
	`detail` text NOT NULL DEFAULT '{}'
);--> statement-breakpoint
CREATE INDEX `audit_log_clinic` ON `audit_log` (`clinic_id`, `at`);--> statement-breakpoint
ALTER TABLE `appointments` ADD `visit` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `visit_at` text;--> statement-breakpoint
-- The doctor's own note on a visit: shown to that doctor only, never logged or audited in full.
ALTER TABLE `appointments` ADD `doctor_note` text;
