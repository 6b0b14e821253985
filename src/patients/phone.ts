/**
 * Phone numbers to E.164, the same way for callers and SMS senders, so a patient created by
 * a call is found again by SMS. The seed system read "+91..." from a query string as " 91...",
 * and its CANCEL never found anyone who had booked by phone.
 */

/** E.164 for a number, or null for withheld, SIP/client addresses and junk. */
export function normalizePhone(raw: string | null | undefined, defaultCountryCode = "91"): string | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  // A "+" decoded from a URL query string arrives as a space: " 919876543210".
  const hadPlus = trimmed.startsWith("+") || (raw.startsWith(" ") && /^\d{11,15}$/.test(trimmed));
  if (/[a-z@]/i.test(trimmed)) return null; // client:alice, sip:..., "anonymous"
  let digits = trimmed.replace(/[\s().\-]/g, "").replace(/^\+/, "");
  if (!/^\d+$/.test(digits)) return null;

  if (!hadPlus) {
    if (digits.startsWith("00"))
      digits = digits.slice(2); // international prefix
    else if (digits.length === 11 && digits.startsWith("0"))
      digits = defaultCountryCode + digits.slice(1); // 0 + 10-digit trunk
    else if (digits.length === 10) digits = defaultCountryCode + digits; // national Indian number
  }
  if (digits.length < 8 || digits.length > 15 || digits.startsWith("0")) return null;
  return `+${digits}`;
}

/** The last four digits, for names and messages that must not spell out the whole number. */
export function lastFour(phone: string): string {
  return phone.slice(-4);
}

/**
 * Caller IDs that stand for a withheld number. Twilio has passed the carrier's words spelt on
 * a phone keypad (ANONYMOUS -> +266696687, RESTRICTED -> +7378742833, UNAVAILABLE ->
 * +86282452253, BLOCKED, UNKNOWN, PRIVATE) and now often the words themselves, which
 * normalizePhone already refuses.
 */
const WITHHELD = new Set(["+266696687", "+7378742833", "+86282452253", "+2562533", "+8656696", "+7748283"]);

/** The caller's number, or null when it is withheld or unusable: nobody to book for or text. */
export function callerNumber(raw: string | null | undefined): string | null {
  const phone = normalizePhone(raw);
  return phone && !WITHHELD.has(phone) ? phone : null;
}
