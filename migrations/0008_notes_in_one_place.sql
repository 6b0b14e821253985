-- One notes feature: the doctor's inline note on an appointment (appointments.doctor_note) becomes
-- that doctor's visit note on it, so the summary reads it and NOTES_RETENTION_DAYS deletes it.
-- Its age is the visit's (for retention), not the day of this migration.
INSERT INTO `visit_notes` (`appointment_id`, `clinic_id`, `patient_id`, `author_role`, `author_doctor_id`, `body`, `created_at`)
SELECT `id`, `clinic_id`, `patient_id`, 'doctor', `doctor_id`, trim(`doctor_note`), coalesce(`visit_at`, `starts_at`)
  FROM `appointments`
 WHERE `doctor_note` IS NOT NULL AND trim(`doctor_note`) <> '';
--> statement-breakpoint
ALTER TABLE `appointments` DROP COLUMN `doctor_note`;
