/**
 * The one way this Worker writes logs. Logs leave the clinic (Workers observability, tail
 * consumers), so nothing in them may identify a patient or say anything about their health:
 * phone numbers keep only their last four digits, free text (SMS bodies, reasons, notes) is
 * never printed, and errors are reduced to their name and a message cut before any bound
 * SQL parameters (drizzle puts `params: ...` in its error messages, D1 values included).
 */

export type LogValue = string | number | boolean | null | undefined;
export type LogFields = Record<string, LogValue | unknown>;

/** Fields whose values are free text a patient wrote or that describe them: never logged. */
const FREE_TEXT_FIELDS = new Set([
  "body",
  "text",
  "reason",
  "reasons",
  "note",
  "notes",
  "params",
  "password",
  "secret",
]);

/** Longest message kept from an error, after redaction; enough to tell faults apart. */
const MAX_ERROR_MESSAGE = 160;

// A run of 7-15 digits, optionally after "+", not part of a longer word (SIDs are hex words).
const PHONE_LIKE = /(?<![\p{L}\p{N}_])\+?\d{7,15}(?![\p{L}\p{N}_])/gu;

/** Replaces every phone-number-like run of digits with its last four: "+919812345678" -> "…5678". */
export function redactPhones(text: string): string {
  return text.replace(PHONE_LIKE, (match) => `…${match.slice(-4)}`);
}

/** A phone number as logs show it: the last four digits only. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return "(none)";
  const digits = phone.replace(/\D/g, "");
  return digits.length > 4 ? `…${digits.slice(-4)}` : "(short)";
}

/**
 * An error as logs may show it: its name and the first line of its message, cut at any
 * "params:" (bound SQL values), phone numbers masked, length capped. The cause is described
 * the same way, since D1 errors arrive wrapped in drizzle's.
 */
export function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error))
    return typeof error === "string" ? "non-Error thrown" : `non-Error thrown (${typeof error})`;
  const message = (error.message.split(/\bparams:/i)[0] ?? "").split("\n")[0]!.trim();
  let text = `${error.name}: ${redactPhones(message).slice(0, MAX_ERROR_MESSAGE)}`;
  if (error.cause !== undefined && depth < 2) text += ` (cause: ${describeError(error.cause, depth + 1)})`;
  return text;
}

function safeValue(key: string, value: unknown): LogValue {
  if (FREE_TEXT_FIELDS.has(key.toLowerCase())) return "[withheld]";
  if (value instanceof Error || key === "error") return describeError(value);
  if (typeof value === "string") return redactPhones(value).slice(0, 300);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return value;
  return `[${typeof value}]`;
}

function line(message: string, fields: LogFields | undefined): string {
  let text = redactPhones(message);
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      const safe = safeValue(key, value);
      if (safe !== undefined) text += ` ${key}=${typeof safe === "string" ? JSON.stringify(safe) : String(safe)}`;
    }
  }
  return text;
}

/** Each call writes one line: the message, then key=value pairs, all redacted. */
export const log = {
  info(message: string, fields?: LogFields): void {
    console.log(line(message, fields));
  },
  warn(message: string, fields?: LogFields): void {
    console.warn(line(message, fields));
  },
  error(message: string, fields?: LogFields): void {
    console.error(line(message, fields));
  },
};
