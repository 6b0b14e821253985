-- Hardening (issue 15): the daily outbound SMS budget, and indexes the retention job scans by age.
-- Hand-written; mirrored in src/db/schema.ts.
CREATE TABLE `sms_daily_usage` (
	`day` text PRIMARY KEY NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`alerted_at` text
);
--> statement-breakpoint
CREATE INDEX `call_log_created` ON `call_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `sms_inbound_created` ON `sms_inbound` (`created_at`);--> statement-breakpoint
CREATE INDEX `sms_outbox_created` ON `sms_outbox` (`created_at`);
