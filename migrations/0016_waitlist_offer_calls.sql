-- Waitlist offers by call: a freed time held for a waiting patient is offered by a call ("press 1
-- to take it, 2 to pass") where the clinic's reminder calls are on, through the same call outbox.
-- A row is now about an appointment (a reminder) or a waitlist offer, so appointment_id becomes
-- nullable and waitlist_offer_id is added: SQLite cannot drop a NOT NULL in place, so the table
-- is rebuilt with its rows (nothing references call_outbox). call_outbox_waitlist_offer: one
-- call per offer, ever (the insert that writes it is INSERT OR IGNORE).
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_call_outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`appointment_id` integer,
	`waitlist_offer_id` integer,
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
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`waitlist_offer_id`) REFERENCES `waitlist_offers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_call_outbox`("id", "appointment_id", "purpose", "to_number", "language", "status", "calls", "api_attempts", "next_attempt_at", "not_after", "provider", "provider_call_id", "answered_at", "outcome", "last_error", "created_at", "updated_at") SELECT "id", "appointment_id", "purpose", "to_number", "language", "status", "calls", "api_attempts", "next_attempt_at", "not_after", "provider", "provider_call_id", "answered_at", "outcome", "last_error", "created_at", "updated_at" FROM `call_outbox`;--> statement-breakpoint
DROP TABLE `call_outbox`;--> statement-breakpoint
ALTER TABLE `__new_call_outbox` RENAME TO `call_outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `call_outbox_appointment_purpose` ON `call_outbox` (`appointment_id`,`purpose`);--> statement-breakpoint
CREATE UNIQUE INDEX `call_outbox_waitlist_offer` ON `call_outbox` (`waitlist_offer_id`) WHERE waitlist_offer_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `call_outbox_due` ON `call_outbox` (`status`,`next_attempt_at`) WHERE status IN ('pending', 'placing', 'ringing');--> statement-breakpoint
CREATE UNIQUE INDEX `call_outbox_provider_call` ON `call_outbox` (`provider_call_id`) WHERE provider_call_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `call_outbox_created` ON `call_outbox` (`created_at`);