-- Hardening: the daily outbound SMS budget, indexes the retention job scans by age,
-- and length caps on the names callers hear (enforced at write time for every writer: seed
-- files, staff tools, consoles). Hand-written; tables and indexes mirrored in src/db/schema.ts
-- (drizzle does not model triggers).
CREATE TABLE `sms_daily_usage` (
	`day` text PRIMARY KEY NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`alerted_at` text
);
--> statement-breakpoint
CREATE INDEX `call_log_created` ON `call_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `sms_inbound_created` ON `sms_inbound` (`created_at`);--> statement-breakpoint
CREATE INDEX `sms_outbox_created` ON `sms_outbox` (`created_at`);--> statement-breakpoint
CREATE TRIGGER `states_name_cap_insert` BEFORE INSERT ON `states`
WHEN length(NEW.`name`) > 120
BEGIN
	SELECT RAISE(ABORT, 'states.name is longer than 120 characters');
END;--> statement-breakpoint
CREATE TRIGGER `states_name_cap_update` BEFORE UPDATE ON `states`
WHEN length(NEW.`name`) > 120
BEGIN
	SELECT RAISE(ABORT, 'states.name is longer than 120 characters');
END;--> statement-breakpoint
CREATE TRIGGER `districts_name_cap_insert` BEFORE INSERT ON `districts`
WHEN length(NEW.`name`) > 120
BEGIN
	SELECT RAISE(ABORT, 'districts.name is longer than 120 characters');
END;--> statement-breakpoint
CREATE TRIGGER `districts_name_cap_update` BEFORE UPDATE ON `districts`
WHEN length(NEW.`name`) > 120
BEGIN
	SELECT RAISE(ABORT, 'districts.name is longer than 120 characters');
END;--> statement-breakpoint
CREATE TRIGGER `clinics_name_cap_insert` BEFORE INSERT ON `clinics`
WHEN length(NEW.`name`) > 120
BEGIN
	SELECT RAISE(ABORT, 'clinics.name is longer than 120 characters');
END;--> statement-breakpoint
CREATE TRIGGER `clinics_name_cap_update` BEFORE UPDATE ON `clinics`
WHEN length(NEW.`name`) > 120
BEGIN
	SELECT RAISE(ABORT, 'clinics.name is longer than 120 characters');
END;--> statement-breakpoint
CREATE TRIGGER `clinics_address_cap_insert` BEFORE INSERT ON `clinics`
WHEN length(NEW.`address`) > 300
BEGIN
	SELECT RAISE(ABORT, 'clinics.address is longer than 300 characters');
END;--> statement-breakpoint
CREATE TRIGGER `clinics_address_cap_update` BEFORE UPDATE ON `clinics`
WHEN length(NEW.`address`) > 300
BEGIN
	SELECT RAISE(ABORT, 'clinics.address is longer than 300 characters');
END;--> statement-breakpoint
CREATE TRIGGER `specializations_name_cap_insert` BEFORE INSERT ON `specializations`
WHEN length(NEW.`name`) > 120
BEGIN
	SELECT RAISE(ABORT, 'specializations.name is longer than 120 characters');
END;--> statement-breakpoint
CREATE TRIGGER `specializations_name_cap_update` BEFORE UPDATE ON `specializations`
WHEN length(NEW.`name`) > 120
BEGIN
	SELECT RAISE(ABORT, 'specializations.name is longer than 120 characters');
END;--> statement-breakpoint
CREATE TRIGGER `doctors_name_cap_insert` BEFORE INSERT ON `doctors`
WHEN length(NEW.`name`) > 120
BEGIN
	SELECT RAISE(ABORT, 'doctors.name is longer than 120 characters');
END;--> statement-breakpoint
CREATE TRIGGER `doctors_name_cap_update` BEFORE UPDATE ON `doctors`
WHEN length(NEW.`name`) > 120
BEGIN
	SELECT RAISE(ABORT, 'doctors.name is longer than 120 characters');
END;
