-- The waitlist: patients who heard no time that suits them wait for one that frees, first
-- come first offered. doctor_id / specialization_id 0 mean "any" (a plain unique index then
-- keeps one waiting entry per patient and scope). Each offer is one waitlist_offers row whose
-- time the doctor-day object holds for that patient alone until expires_at_ms.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_waitlist` (
	`id` integer PRIMARY KEY NOT NULL,
	`patient_id` integer NOT NULL,
	`clinic_id` integer NOT NULL,
	`doctor_id` integer DEFAULT 0 NOT NULL,
	`specialization_id` integer DEFAULT 0 NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`language` text NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`ended_at` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_waitlist`("id", "patient_id", "clinic_id", "doctor_id", "specialization_id", "from_date", "to_date", "language", "status", "created_at", "ended_at") SELECT "id", "patient_id", "clinic_id", "doctor_id", "specialization_id", "from_date", "to_date", "language", "status", "created_at", "ended_at" FROM `waitlist`;--> statement-breakpoint
DROP TABLE `waitlist`;--> statement-breakpoint
ALTER TABLE `__new_waitlist` RENAME TO `waitlist`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `waitlist_one_waiting` ON `waitlist` (`patient_id`,`clinic_id`,`doctor_id`,`specialization_id`) WHERE status = 'waiting';--> statement-breakpoint
CREATE INDEX `waitlist_clinic_waiting` ON `waitlist` (`clinic_id`,`created_at`) WHERE status = 'waiting';