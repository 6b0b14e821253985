CREATE TABLE `reconcile_cursor` (
	`id` integer PRIMARY KEY NOT NULL,
	`doctor_id` integer DEFAULT 0 NOT NULL,
	`appointment_id` integer DEFAULT 0 NOT NULL,
	`cancelled_since` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `appointments_cancelled` ON `appointments` (`cancelled_at`) WHERE cancelled_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `doctors_calendar_undelivered` ON `doctors` (`id`) WHERE calendar_pushed_version < calendar_version;