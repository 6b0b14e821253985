-- A slot is its time: appointments are unique per doctor and start instant, and
-- carry their end; the slot number counted from the day's start is gone.
DROP INDEX `appointments_live_slot`;--> statement-breakpoint
ALTER TABLE `appointments` ADD `ends_at` text NOT NULL DEFAULT '';--> statement-breakpoint
-- Existing appointments last one slot of their doctor's hours on that weekday (15 minutes by default).
UPDATE `appointments` SET `ends_at` = strftime('%Y-%m-%dT%H:%M:%fZ', `starts_at`, '+' || coalesce(
  (SELECT h.slot_minutes FROM doctor_hours h
    WHERE h.doctor_id = appointments.doctor_id AND h.weekday = CAST(strftime('%w', appointments.local_date) AS INTEGER)),
  15) || ' minutes');--> statement-breakpoint
-- The old guard keyed on slot numbers let a change of hours put two live appointments on one
-- doctor and time; the earliest booking keeps it, later ones are cancelled so the new guard holds.
UPDATE `appointments` SET `status` = 'cancelled', `cancelled_at` = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 WHERE `status` <> 'cancelled' AND EXISTS (
   SELECT 1 FROM appointments a2 WHERE a2.doctor_id = appointments.doctor_id AND a2.starts_at = appointments.starts_at
     AND a2.status <> 'cancelled' AND a2.id < appointments.id);--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_live_start` ON `appointments` (`doctor_id`,`starts_at`) WHERE status <> 'cancelled';--> statement-breakpoint
ALTER TABLE `appointments` DROP COLUMN `slot_number`;--> statement-breakpoint
ALTER TABLE `doctors` ADD `token_prefix` text;--> statement-breakpoint
CREATE UNIQUE INDEX `doctors_clinic_prefix` ON `doctors` (`clinic_id`,`token_prefix`) WHERE token_prefix IS NOT NULL;--> statement-breakpoint
CREATE INDEX `patients_created` ON `patients` (`created_at`);
