/**
 * Which numbers this line may text. SMS pumping (toll fraud) works by getting a service to
 * text numbers whose carrier shares the fee with the fraudster: premium, satellite and
 * international-network ranges, or whole countries the service has no business in. A line
 * for Karnataka clinics texts Indian mobiles; everything else is refused here, before Twilio
 * is asked (Twilio's own geo-permissions and SMS pumping protection are the second layer).
 * Pure: no I/O, so the booking flow can ask it before promising the caller an SMS.
 */
import type { Config } from "../config.ts";

export type SmsBlockReason =
  "not-a-phone-number" | "short-code" | "premium-or-satellite" | "country-not-allowed" | "not-a-mobile-number";

export type SmsDestination = { allowed: true } | { allowed: false; reason: SmsBlockReason };

/**
 * ITU ranges that are never a patient's phone, whatever the configuration says: Inmarsat and
 * global satellite systems, international networks, international premium rate, shared cost,
 * freephone and personal numbering.
 */
const NEVER_TEXTED = ["+870", "+878", "+881", "+882", "+883", "+888", "+979", "+808", "+800"];

/** Per-country rules for allowed countries: India texts mobiles only (not landlines, 1800, 1900). */
const MOBILE_NUMBER: Record<string, RegExp> = {
  "+91": /^\+91[6-9]\d{9}$/,
};

export function smsDestination(phone: string, config: Pick<Config, "smsAllowedCountryCodes">): SmsDestination {
  if (/^\+?\d{3,6}$/.test(phone)) return { allowed: false, reason: "short-code" };
  if (!/^\+[1-9]\d{7,14}$/.test(phone)) return { allowed: false, reason: "not-a-phone-number" };
  if (NEVER_TEXTED.some((prefix) => phone.startsWith(prefix)))
    return { allowed: false, reason: "premium-or-satellite" };
  const country = config.smsAllowedCountryCodes.find((code) => phone.startsWith(code));
  if (!country) return { allowed: false, reason: "country-not-allowed" };
  const mobile = MOBILE_NUMBER[country];
  if (mobile && !mobile.test(phone)) return { allowed: false, reason: "not-a-mobile-number" };
  return { allowed: true };
}
