-- The caller's language, and names of places and specialities in each language.
-- Hand-written (not drizzle-kit generate); mirrored in src/db/schema.ts.
-- display_names: JSON such as {"kn":"ಮಕ್ಕಳ ವೈದ್ಯರು","hi":"बाल रोग विशेषज्ञ"}; a language it does
-- not name hears the stored name.
ALTER TABLE `patients` ADD `preferred_language` text;
--> statement-breakpoint
ALTER TABLE `states` ADD `display_names` text;
--> statement-breakpoint
ALTER TABLE `districts` ADD `display_names` text;
--> statement-breakpoint
ALTER TABLE `clinics` ADD `display_names` text;
--> statement-breakpoint
ALTER TABLE `specializations` ADD `display_names` text;
