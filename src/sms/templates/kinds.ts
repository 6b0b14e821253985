/**
 * Every SMS the line sends is a template: fixed text registered on an operator's DLT portal,
 * with named, typed variables. A text that differs from its registered template by one
 * character is dropped by the operator, so the fixed text lives here and in the language files
 * (en.ts, kn.ts, hi.ts) only, and rendering fills variables and nothing else.
 */

/** Each variable's DLT type, its registered maximum length and how a longer value is shortened. */
export interface VariableSpec {
  /** The DLT portal's variable type (numeric, alphanumeric, url, cbn = call-back number). */
  dltType: "numeric" | "alphanumeric" | "url" | "cbn";
  max: number;
  /**
   * "name": a longer value is cut at a word boundary (a clinic's or doctor's name stays readable);
   * "exact": never shortened (a token, a time, a number): a longer value is a fault, not a text.
   */
  shorten: "name" | "exact";
  sample: string;
}

/** DLT's usual limit for one {#var#}. */
export const DEFAULT_VARIABLE_MAX = 30;

export const VARIABLES = {
  token: { dltType: "alphanumeric", max: DEFAULT_VARIABLE_MAX, shorten: "exact", sample: "KS-12" },
  oldToken: { dltType: "alphanumeric", max: DEFAULT_VARIABLE_MAX, shorten: "exact", sample: "KS-9" },
  doctor: { dltType: "alphanumeric", max: DEFAULT_VARIABLE_MAX, shorten: "name", sample: "Dr. Kavya Shetty" },
  clinic: { dltType: "alphanumeric", max: DEFAULT_VARIABLE_MAX, shorten: "name", sample: "Puttur Town Clinic" },
  date: { dltType: "alphanumeric", max: DEFAULT_VARIABLE_MAX, shorten: "exact", sample: "25-11-2026" },
  time: { dltType: "alphanumeric", max: DEFAULT_VARIABLE_MAX, shorten: "exact", sample: "9:15 AM" },
  /** Until when a freed time is held for a waiting patient (same day, clinic-local). */
  until: { dltType: "alphanumeric", max: DEFAULT_VARIABLE_MAX, shorten: "exact", sample: "9:30 AM" },
  phone: { dltType: "cbn", max: DEFAULT_VARIABLE_MAX, shorten: "exact", sample: "08242440001" },
  n: { dltType: "numeric", max: DEFAULT_VARIABLE_MAX, shorten: "exact", sample: "1" },
  of: { dltType: "numeric", max: DEFAULT_VARIABLE_MAX, shorten: "exact", sample: "2" },
  login: { dltType: "alphanumeric", max: DEFAULT_VARIABLE_MAX, shorten: "exact", sample: "+919876543210" },
  password: { dltType: "alphanumeric", max: DEFAULT_VARIABLE_MAX, shorten: "exact", sample: "Ab3dE6gH9k" },
  // A URL cannot be shortened readably; DLT's {#url#} type takes a whitelisted address.
  url: { dltType: "url", max: 100, shorten: "exact", sample: "https://clinic-line.example.in/me" },
} as const satisfies Record<string, VariableSpec>;

export type VariableName = keyof typeof VARIABLES;

const APPOINTMENT = ["token", "doctor", "clinic", "date", "time"] as const;

/**
 * Every kind of SMS and the variables its text carries. A `...Reply` kind is the wording used
 * where inbound SMS works (SMS_INBOUND=on): it may say "reply CANCEL". Its plain twin says how
 * to cancel by calling the line instead. Replies to inbound texts exist only where inbound works.
 */
export const TEMPLATE_VARIABLES = {
  booked: [...APPOINTMENT, "phone"],
  bookedReply: APPOINTMENT,
  /** Cancelled by the patient (a call, the patient page, or an SMS). */
  cancelled: APPOINTMENT,
  cancelledByClinic: [...APPOINTMENT, "phone"],
  /** Cancelled because the doctor took the day off. */
  cancelledForLeave: [...APPOINTMENT, "phone"],
  /** Moved by the patient (a call or the patient page): the new token replaces the old one. */
  moved: ["oldToken", ...APPOINTMENT, "phone"],
  movedReply: ["oldToken", ...APPOINTMENT],
  movedByClinic: ["oldToken", ...APPOINTMENT, "phone"],
  movedByClinicReply: ["oldToken", ...APPOINTMENT],
  reminderEvening: [...APPOINTMENT, "phone"],
  reminderSoon: [...APPOINTMENT, "phone"],
  /** A freed time held for a waiting patient: taken by calling the line and pressing 1 (never by reply). */
  waitlistOffer: ["doctor", "clinic", "date", "time", "until", "phone"],
  // Replies to inbound texts (STATUS, CANCEL, anything else).
  upcoming: ["n", "of", ...APPOINTMENT],
  noUpcoming: ["phone"],
  nothingToCancel: [],
  tokenNotFound: ["token"],
  help: ["phone"],
  apology: [],
  // Asked for on the patient page; sent after a call when a recorded reason carried a red flag.
  account: ["login", "password", "url"],
  accountNoPage: ["login", "password"],
  emergencyAdvice: [],
} as const satisfies Record<string, readonly VariableName[]>;

export type TemplateKey = keyof typeof TEMPLATE_VARIABLES;
export const TEMPLATE_KEYS = Object.keys(TEMPLATE_VARIABLES) as TemplateKey[];

/** The values a kind's text needs, each named and a string. */
export type TemplateVars<K extends TemplateKey> = Record<(typeof TEMPLATE_VARIABLES)[K][number], string>;

/** Kinds sent only where inbound SMS works: a DLT-only line need not register them. */
export const INBOUND_ONLY: ReadonlySet<TemplateKey> = new Set<TemplateKey>([
  "bookedReply",
  "movedReply",
  "movedByClinicReply",
  "upcoming",
  "noUpcoming",
  "nothingToCancel",
  "tokenNotFound",
  "help",
  "apology",
]);

/** One language's SMS: the fixed texts ("{token}" marks a variable) and its clock. */
export interface SmsLanguage {
  /** "9:15 AM", "ಬೆಳಿಗ್ಗೆ 9:15", "सुबह 9:15": 12-hour, the part of day in the language. */
  time: (minute: number) => string;
  texts: Record<TemplateKey, string>;
  /** Sample values in this language (the clinic's name as this language writes it). */
  samples: Partial<Record<VariableName, string>>;
}
