/**
 * What each SMS says, made from the facts of an appointment and the line's settings: which
 * template (a "reply CANCEL" wording only where inbound SMS works), and its variables in the
 * reader's language (an absolute date, a 12-hour time with the part of day).
 */
import type { Config } from "../config.ts";
import type { Language } from "../words/index.ts";
import { smsDate } from "./templates/clock.ts";
import { renderTemplate, SMS_LANGUAGES, type RenderedSms } from "./templates/index.ts";

/** An appointment as an SMS names it. */
export interface SmsAppointment {
  token: string;
  doctor: string;
  /** The clinic's name in the reader's language. */
  clinic: string;
  /** Clinic-local "YYYY-MM-DD" and minutes from midnight. */
  date: string;
  startMinute: number;
}

/** The settings every text depends on. */
export interface SmsWording {
  /** Whether patients can text the line (SMS_INBOUND): only then may a text say "reply CANCEL". */
  inbound: boolean;
  /** The number patients call, as they dial it. */
  line: string;
}

export function smsWording(config: Pick<Config, "sms">): SmsWording {
  return { inbound: config.sms.inbound, line: dialable(config.sms.lineNumber) };
}

/** "+918242440001" -> "08242440001": how an Indian number is dialled, and two characters shorter. */
export function dialable(phone: string): string {
  return /^\+91\d{10}$/.test(phone) ? `0${phone.slice(3)}` : phone;
}

function appointmentVars(a: SmsAppointment, language: Language) {
  return {
    token: a.token,
    doctor: a.doctor,
    clinic: a.clinic,
    date: smsDate(a.date),
    time: SMS_LANGUAGES[language].time(a.startMinute),
  };
}

export type AppointmentNews =
  "booked" | "cancelled" | "cancelledByClinic" | "cancelledForLeave" | "reminderEvening" | "reminderSoon";

/** A text about one appointment: booked, cancelled (by whom), a reminder. */
export function appointmentSms(
  kind: AppointmentNews,
  language: Language,
  a: SmsAppointment,
  wording: SmsWording,
): RenderedSms {
  const vars = { ...appointmentVars(a, language), phone: wording.line };
  if (kind === "booked" && wording.inbound)
    return renderTemplate("bookedReply", language, appointmentVars(a, language));
  return renderTemplate(kind, language, vars);
}

/** A moved appointment: `a` is the new one, `oldToken` the one it replaces. */
export function movedSms(
  by: "patient" | "clinic",
  language: Language,
  a: SmsAppointment,
  oldToken: string,
  wording: SmsWording,
): RenderedSms {
  const vars = { ...appointmentVars(a, language), oldToken };
  if (wording.inbound) return renderTemplate(by === "clinic" ? "movedByClinicReply" : "movedReply", language, vars);
  return renderTemplate(by === "clinic" ? "movedByClinic" : "moved", language, { ...vars, phone: wording.line });
}

/** A freed time held for a waiting patient until `untilMinute` (clinic-local): call the line and press 1. */
export function waitlistOfferSms(
  language: Language,
  a: Omit<SmsAppointment, "token">,
  untilMinute: number,
  wording: SmsWording,
): RenderedSms {
  const { token: _none, ...vars } = appointmentVars({ ...a, token: "" }, language);
  return renderTemplate("waitlistOffer", language, {
    ...vars,
    until: SMS_LANGUAGES[language].time(untilMinute),
    phone: wording.line,
  });
}

/** STATUS: one text per upcoming appointment. */
export function upcomingSms(language: Language, a: SmsAppointment, n: number, of: number): RenderedSms {
  return renderTemplate("upcoming", language, { ...appointmentVars(a, language), n: String(n), of: String(of) });
}

export function tokenNotFoundSms(language: Language, token: string): RenderedSms {
  return renderTemplate("tokenNotFound", language, { token });
}

/** Replies and notices with no appointment in them. */
export function noticeSms(
  kind: "noUpcoming" | "help" | "nothingToCancel" | "apology" | "emergencyAdvice",
  language: Language,
  wording: SmsWording,
): RenderedSms {
  switch (kind) {
    case "noUpcoming":
    case "help":
      return renderTemplate(kind, language, { phone: wording.line });
    default:
      return renderTemplate(kind, language, {});
  }
}

/** The temporary password; `page` is the patient page's address when the public address is known. */
export function accountSms(language: Language, login: string, password: string, page: string): RenderedSms {
  return page
    ? renderTemplate("account", language, { login, password, url: page })
    : renderTemplate("accountNoPage", language, { login, password });
}
