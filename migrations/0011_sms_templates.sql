-- Each SMS remembers the template (and language) it was rendered from: a DLT provider sends its template id.
ALTER TABLE `sms_outbox` ADD `template` text;--> statement-breakpoint
ALTER TABLE `sms_outbox` ADD `language` text;