CREATE INDEX `appointments_doctor_day` ON `appointments` (`doctor_id`,`local_date`);--> statement-breakpoint
CREATE INDEX `doctor_days_off_date` ON `doctor_days_off` (`local_date`);--> statement-breakpoint
CREATE INDEX `sms_inbound_command` ON `sms_inbound` (`command`);--> statement-breakpoint
CREATE INDEX `sms_outbox_appointment` ON `sms_outbox` (`appointment_id`);--> statement-breakpoint
CREATE INDEX `sms_outbox_unblanked` ON `sms_outbox` (`status`) WHERE body <> '';--> statement-breakpoint
CREATE INDEX `visit_reasons_recorded` ON `visit_reasons` (`created_at`) WHERE recording_sid IS NOT NULL;