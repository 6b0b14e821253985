CREATE INDEX `appointments_doctor_day` ON `appointments` (`doctor_id`,`local_date`);--> statement-breakpoint
CREATE INDEX `sms_inbound_command` ON `sms_inbound` (`command`);--> statement-breakpoint
CREATE INDEX `sms_outbox_appointment` ON `sms_outbox` (`appointment_id`);