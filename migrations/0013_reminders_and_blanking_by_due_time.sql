-- The reminder cron reads only what it will send: each booked appointment carries the instant
-- its next reminder is due (remind_at; null until the cron first sees it, '' when none is left),
-- so a run reads the due ones and the new ones, not every appointment of the next two days.
-- The new index replaces appointments_booked_start, which only that read used.
DROP INDEX `appointments_booked_start`;--> statement-breakpoint
ALTER TABLE `appointments` ADD `remind_at` text;--> statement-breakpoint
CREATE INDEX `appointments_remind` ON `appointments` (`remind_at`,`starts_at`) WHERE status = 'booked';--> statement-breakpoint
-- Retention blanks settled texts whose words are older than a day: by status and, within one,
-- in the order of their last update, so a run reads the texts it blanks, not every text that
-- still carries words. It replaces the index on status alone.
DROP INDEX `sms_outbox_unblanked`;--> statement-breakpoint
CREATE INDEX `sms_outbox_unblanked_since` ON `sms_outbox` (`status`, coalesce("updated_at", "created_at")) WHERE body <> '';
