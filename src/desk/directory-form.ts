/** Reading the admin's directory forms; every problem is reported against its field. */
import { normalizePhone } from "../patients/phone.ts";
import { parseDisplayNames } from "../db/display-names.ts";
import { parseOpeningHours } from "../ivr/opening-hours.ts";
import { isValidTimeZone } from "../slots/calendar.ts";
import { STAFF_ROLES, type StaffRole } from "../db/schema.ts";

type Form = Record<string, string | File | (string | File)[]>;
const text = (form: Form, name: string, max = 200) =>
  typeof form[name] === "string" ? (form[name] as string).trim().slice(0, max) : "";

export interface FormResult<T> {
  value: T | null;
  errors: Record<string, string>;
}

export interface ClinicFields {
  districtId: number;
  name: string;
  address: string;
  timezone: string;
  phone: string | null;
  /** JSON {"kn": ..., "hi": ...}: the name callers of those languages hear; null when none. */
  displayNames: string | null;
  /** "1-6 0830-1800": when the reception answers (0 at a menu dials it then); null when unknown. */
  openingHours: string | null;
  /** The evening-before reminder calls (src/calls): they cost money, so the clinic opts in. */
  reminderCalls: boolean;
}

export function readClinic(form: Form, districtIds: number[]): FormResult<ClinicFields> {
  const errors: Record<string, string> = {};
  const name = text(form, "name", 120);
  const address = text(form, "address");
  const timezone = text(form, "timezone", 64) || "Asia/Kolkata";
  const rawPhone = text(form, "phone", 20);
  const districtId = Number(text(form, "district"));
  const phone = rawPhone ? normalizePhone(rawPhone) : null;
  if (!name) errors.name = "A clinic needs a name.";
  if (!address) errors.address = "A clinic needs an address.";
  if (!isValidTimeZone(timezone)) errors.timezone = "Not a time zone (e.g. Asia/Kolkata).";
  if (rawPhone && !phone) errors.phone = "Not a phone number (e.g. 0824 2440001).";
  if (!districtIds.includes(districtId)) errors.district = "Choose a district.";
  const names = Object.fromEntries(
    (["kn", "hi"] as const).map((language) => [language, text(form, `name_${language}`, 120)]).filter(([, n]) => n),
  );
  const displayNames = Object.keys(names).length ? JSON.stringify(names) : null;
  const hours = text(form, "opening_hours", 20);
  if (hours && !parseOpeningHours(hours))
    errors.opening_hours = 'Weekdays and times like "1-6 0830-1800" (0 is Sunday; opening before closing).';
  const openingHours = hours || null;
  // A checkbox: present when ticked, absent otherwise (so saving the form always states it).
  const reminderCalls = text(form, "reminder_calls") === "1";
  return {
    value: Object.keys(errors).length
      ? null
      : { districtId, name, address, timezone, phone, displayNames, openingHours, reminderCalls },
    errors,
  };
}

export interface StaffFields {
  username: string;
  role: StaffRole;
  clinicIds: number[];
  doctorId: number | null;
}

export function readStaff(form: Form, clinicIds: number[], doctorIds: number[]): FormResult<StaffFields> {
  const errors: Record<string, string> = {};
  const username = text(form, "username", 64).toLowerCase();
  const role = text(form, "role") as StaffRole;
  const chosen = Object.keys(form)
    .filter((k) => /^clinic-\d+$/.test(k))
    .map((k) => Number(k.slice(7)));
  const doctorId = Number(text(form, "doctor")) || null;
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(username))
    errors.username = "3-64 letters, digits, dots, dashes or underscores.";
  if (!STAFF_ROLES.includes(role)) errors.role = "Choose a role.";
  if (role === "desk" && (chosen.length === 0 || chosen.some((id) => !clinicIds.includes(id))))
    errors.clinics = "A desk user needs at least one clinic.";
  if (role === "doctor" && (doctorId === null || !doctorIds.includes(doctorId))) errors.doctor = "Choose the doctor.";
  return {
    value: Object.keys(errors).length
      ? null
      : { username, role, clinicIds: role === "desk" ? chosen : [], doctorId: role === "doctor" ? doctorId : null },
    errors,
  };
}

/** A clinic's stored display name in one language, for the form's default. */
export function displayNameOf(clinic: { displayNames?: string | null } | undefined, language: "kn" | "hi"): string {
  return parseDisplayNames(clinic?.displayNames)[language] ?? "";
}
