CREATE TABLE `sms_inbound` (
	`id` integer PRIMARY KEY NOT NULL,
	`message_sid` text NOT NULL,
	`from_number` text,
	`to_number` text,
	`body` text NOT NULL,
	`command` text NOT NULL,
	`reply` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sms_inbound_message_sid_unique` ON `sms_inbound` (`message_sid`);--> statement-breakpoint
CREATE INDEX `sms_inbound_from` ON `sms_inbound` (`from_number`,`created_at`);--> statement-breakpoint
ALTER TABLE `sms_outbox` ADD `callback_base` text;