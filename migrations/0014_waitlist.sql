-- The waitlist: patients who heard no time that suits them wait for one that frees, first
-- come first offered. doctor_id / specialization_id 0 mean "any" (a plain unique index then
-- keeps one waiting entry per patient and scope). Each offer is one waitlist_offers row whose
-- time the doctor-day object holds for that patient alone until expires_at_ms.
CREATE TABLE `waitlist` (
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
CREATE UNIQUE INDEX `waitlist_one_waiting` ON `waitlist` (`patient_id`,`clinic_id`,`doctor_id`,`specialization_id`) WHERE status = 'waiting';--> statement-breakpoint
CREATE INDEX `waitlist_clinic_waiting` ON `waitlist` (`clinic_id`,`created_at`) WHERE status = 'waiting';--> statement-breakpoint
CREATE TABLE `waitlist_offers` (
	`id` integer PRIMARY KEY NOT NULL,
	`entry_id` integer NOT NULL,
	`doctor_id` integer NOT NULL,
	`local_date` text NOT NULL,
	`start_minute` integer NOT NULL,
	`hold_id` text NOT NULL,
	`offered_at` text NOT NULL,
	`expires_at_ms` integer NOT NULL,
	`outcome` text DEFAULT 'offered' NOT NULL,
	FOREIGN KEY (`entry_id`) REFERENCES `waitlist`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `waitlist_offers_hold` ON `waitlist_offers` (`hold_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `waitlist_offers_entry_time` ON `waitlist_offers` (`entry_id`,`doctor_id`,`local_date`,`start_minute`);--> statement-breakpoint
CREATE INDEX `waitlist_offers_live` ON `waitlist_offers` (`expires_at_ms`) WHERE outcome = 'offered';--> statement-breakpoint
CREATE INDEX `waitlist_offers_time` ON `waitlist_offers` (`doctor_id`,`local_date`,`start_minute`);--> statement-breakpoint
CREATE INDEX `waitlist_offers_at` ON `waitlist_offers` (`offered_at`);