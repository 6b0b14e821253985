CREATE TABLE `appointments` (
	`id` integer PRIMARY KEY NOT NULL,
	`doctor_id` integer NOT NULL,
	`clinic_id` integer NOT NULL,
	`patient_id` integer NOT NULL,
	`local_date` text NOT NULL,
	`slot_number` integer NOT NULL,
	`starts_at` text NOT NULL,
	`token` text NOT NULL,
	`status` text DEFAULT 'booked' NOT NULL,
	`source` text NOT NULL,
	`call_sid` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`cancelled_at` text,
	FOREIGN KEY (`doctor_id`) REFERENCES `doctors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_live_slot` ON `appointments` (`doctor_id`,`local_date`,`slot_number`) WHERE status <> 'cancelled';--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_live_token` ON `appointments` (`clinic_id`,`local_date`,`token`) WHERE status <> 'cancelled';--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_patient_time` ON `appointments` (`patient_id`,`starts_at`) WHERE status = 'booked';--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_call` ON `appointments` (`call_sid`) WHERE call_sid IS NOT NULL;--> statement-breakpoint
CREATE INDEX `appointments_patient_start` ON `appointments` (`patient_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `appointments_clinic_day` ON `appointments` (`clinic_id`,`local_date`);--> statement-breakpoint
CREATE TABLE `call_log` (
	`call_sid` text PRIMARY KEY NOT NULL,
	`from_number` text,
	`to_number` text,
	`steps` text DEFAULT '[]' NOT NULL,
	`outcome` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text
);
--> statement-breakpoint
CREATE TABLE `clinics` (
	`id` integer PRIMARY KEY NOT NULL,
	`district_id` integer NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`timezone` text DEFAULT 'Asia/Kolkata' NOT NULL,
	`phone` text,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clinics_district` ON `clinics` (`district_id`);--> statement-breakpoint
CREATE TABLE `districts` (
	`id` integer PRIMARY KEY NOT NULL,
	`state_id` integer NOT NULL,
	`name` text NOT NULL,
	FOREIGN KEY (`state_id`) REFERENCES `states`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `districts_state_name` ON `districts` (`state_id`,`name`);--> statement-breakpoint
CREATE TABLE `doctor_days_off` (
	`id` integer PRIMARY KEY NOT NULL,
	`doctor_id` integer NOT NULL,
	`local_date` text NOT NULL,
	`reason` text,
	FOREIGN KEY (`doctor_id`) REFERENCES `doctors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `doctor_days_off_day` ON `doctor_days_off` (`doctor_id`,`local_date`);--> statement-breakpoint
CREATE TABLE `doctor_hours` (
	`id` integer PRIMARY KEY NOT NULL,
	`doctor_id` integer NOT NULL,
	`weekday` integer NOT NULL,
	`start_minute` integer NOT NULL,
	`end_minute` integer NOT NULL,
	`slot_minutes` integer DEFAULT 15 NOT NULL,
	FOREIGN KEY (`doctor_id`) REFERENCES `doctors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `doctor_hours_day` ON `doctor_hours` (`doctor_id`,`weekday`);--> statement-breakpoint
CREATE TABLE `doctors` (
	`id` integer PRIMARY KEY NOT NULL,
	`clinic_id` integer NOT NULL,
	`name` text NOT NULL,
	`specialization_id` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`specialization_id`) REFERENCES `specializations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `doctors_clinic` ON `doctors` (`clinic_id`);--> statement-breakpoint
CREATE TABLE `patient_accounts` (
	`id` integer PRIMARY KEY NOT NULL,
	`patient_id` integer NOT NULL,
	`login` text NOT NULL,
	`password_hash` text NOT NULL,
	`password_salt` text NOT NULL,
	`password_iterations` integer NOT NULL,
	`must_change_password` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patient_accounts_patient_id_unique` ON `patient_accounts` (`patient_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `patient_accounts_login_unique` ON `patient_accounts` (`login`);--> statement-breakpoint
CREATE TABLE `patients` (
	`id` integer PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`name` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patients_phone_unique` ON `patients` (`phone`);--> statement-breakpoint
CREATE TABLE `sms_outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`to_number` text NOT NULL,
	`body` text NOT NULL,
	`purpose` text NOT NULL,
	`sensitive` integer DEFAULT false NOT NULL,
	`appointment_id` integer,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error` text,
	`error_code` integer,
	`message_sid` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sms_outbox_due` ON `sms_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `sms_outbox_sid` ON `sms_outbox` (`message_sid`);--> statement-breakpoint
CREATE TABLE `specializations` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `specializations_name_unique` ON `specializations` (`name`);--> statement-breakpoint
CREATE TABLE `states` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `states_name_unique` ON `states` (`name`);