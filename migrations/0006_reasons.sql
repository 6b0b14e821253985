-- The reason for a visit, visit notes, the doctor's summary and the urgent mark.
-- Hand-written; src/db/schema.ts mirrors it.
-- A red-flag reason marks its appointment urgent; the desk sorts urgent first. Only ever set, never cleared by AI.
ALTER TABLE `appointments` ADD `urgent` integer NOT NULL DEFAULT 0;--> statement-breakpoint
-- One reason per appointment: said on the call (speech transcript) or recorded (transcribed later).
CREATE TABLE `visit_reasons` (
	`appointment_id` integer PRIMARY KEY NOT NULL REFERENCES `appointments`(`id`),
	`clinic_id` integer NOT NULL REFERENCES `clinics`(`id`),
	`patient_id` integer NOT NULL REFERENCES `patients`(`id`),
	`language` text NOT NULL,
	`method` text NOT NULL,
	`transcript` text,
	`transcription_status` text NOT NULL DEFAULT 'none',
	`recording_sid` text,
	`recording_seconds` integer,
	`recording_deleted_at` text,
	`red_flags` text NOT NULL DEFAULT '[]',
	`ai_red_flags` text NOT NULL DEFAULT '[]',
	`created_at` text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	`updated_at` text
);--> statement-breakpoint
CREATE UNIQUE INDEX `visit_reasons_recording` ON `visit_reasons` (`recording_sid`) WHERE recording_sid IS NOT NULL;--> statement-breakpoint
CREATE INDEX `visit_reasons_created` ON `visit_reasons` (`created_at`);--> statement-breakpoint
-- Short notes a doctor (or the desk) writes per appointment: the patient's history at that clinic.
CREATE TABLE `visit_notes` (
	`id` integer PRIMARY KEY NOT NULL,
	`appointment_id` integer NOT NULL REFERENCES `appointments`(`id`),
	`clinic_id` integer NOT NULL REFERENCES `clinics`(`id`),
	`patient_id` integer NOT NULL REFERENCES `patients`(`id`),
	`author_role` text NOT NULL,
	`author_doctor_id` integer REFERENCES `doctors`(`id`),
	`body` text NOT NULL,
	`created_at` text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	`updated_at` text
);--> statement-breakpoint
CREATE INDEX `visit_notes_history` ON `visit_notes` (`clinic_id`,`patient_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `visit_notes_appointment` ON `visit_notes` (`appointment_id`);--> statement-breakpoint
CREATE INDEX `visit_notes_created` ON `visit_notes` (`created_at`);--> statement-breakpoint
-- The doctor's summary of an appointment: at most 5 lines, by Workers AI or the keyword fallback.
CREATE TABLE `visit_summaries` (
	`appointment_id` integer PRIMARY KEY NOT NULL REFERENCES `appointments`(`id`),
	`clinic_id` integer NOT NULL REFERENCES `clinics`(`id`),
	`text` text NOT NULL,
	`method` text NOT NULL,
	`model` text,
	`fallback_cause` text,
	`generated_at` text NOT NULL
);--> statement-breakpoint
CREATE INDEX `visit_summaries_generated` ON `visit_summaries` (`generated_at`);
