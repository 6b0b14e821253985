/**
 * Every word a caller hears or an SMS user reads, keyed by language. English now; Kannada
 * (kn-IN) and Hindi (hi-IN) are added as further catalogues of the same shape, each with a
 * Twilio voice that speaks its language (a mismatched voice and language fails the call).
 */
import type { Voice } from "../twilio/twiml.ts";

export const LANGUAGES = ["en"] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

export interface SlotWords {
  doctor: string;
  /** "today", "tomorrow" or "Wednesday, 26 November". */
  day: string;
  time: string;
}

const en = {
  voice: { voice: "Polly.Raveena", language: "en-IN" } satisfies Voice,
  welcome: "Welcome to the clinic appointment line.",
  choose: (name: string, key: string) => `For ${name}, press ${key}.`,
  moreChoices: (key: string) => `For more choices, press ${key}.`,
  previousChoices: (key: string) => `For the previous choices, press ${key}.`,
  onlyChoice: (what: string, name: string) => `The ${what} is ${name}.`,
  chooseState: "Please choose your state.",
  chooseDistrict: "Please choose your district.",
  chooseClinic: "Please choose a clinic.",
  chooseSpecialization: "Please choose the kind of doctor you need.",
  chooseDoctor: "Please choose a doctor.",
  level: { state: "state", district: "district", clinic: "clinic", specialization: "speciality", doctor: "doctor" },
  bookingType: (clinic: string) =>
    `${clinic}. For the next available doctor, press 1. To choose a doctor by speciality, press 2.`,
  anyDoctorOf: (specialization: string) => `the earliest available ${specialization} doctor`,
  notAChoice: "Sorry, that is not one of the choices.",
  noInput: "Sorry, we did not hear a choice.",
  offer: (s: SlotWords) =>
    `${s.doctor} can see you ${s.day} at ${s.time}. To book this time, press 1. To hear the next available time, press 2. To start again, press 3.`,
  holdLost: "Sorry, that time is no longer held for you.",
  noSlots: (horizonDays: number) =>
    `Sorry, there is no free appointment in the next ${horizonDays} days. To choose again, press 3, or please call again later.`,
  noLaterSlots: "Sorry, there are no later times. To hear the earliest time again, press 2. To start again, press 3.",
  noDoctors: "Sorry, no doctor at this clinic is taking bookings by phone. Please choose another clinic.",
  noDoctorsAtAll: "Sorry, no doctor here is taking bookings by phone at the moment. Please call again later. Goodbye.",
  booked: (s: SlotWords & { token: string }) =>
    `Your appointment is booked with ${s.doctor}, ${s.day} at ${s.time}. Your token is ${s.token}. Again, your token is ${s.token}. You will receive an SMS with these details.`,
  noCallerIdWelcome:
    "Welcome to the clinic appointment line. Sorry, we cannot see your phone number, and we need it to book and to send your token. Please call again without hiding your number. Goodbye.",
  noCallerId: "Sorry, we cannot book without your phone number. Please call again without hiding your number. Goodbye.",
  tooManyAppointments: (limit: number) =>
    `Sorry, this phone number already has ${limit} upcoming appointments, which is the most we allow. To cancel one, text CANCEL to this number. Goodbye.`,
  sameTimeTaken: "This phone number already has an appointment at that time. Press 2 to hear the next available time.",
  goodbyeAfterRetries:
    "Sorry, we could not get your choice. Please call again at any time, or text STATUS to this number to hear your appointments. Goodbye.",
  goodbye: "Thank you for calling. Goodbye.",
  apology:
    "Sorry, something went wrong on our side and your request was not completed. Please call again in a few minutes. Goodbye.",
  today: "today",
  tomorrow: "tomorrow",
  /** "Wednesday, 26 November" for a date further ahead. */
  date: (date: string) =>
    new Date(`${date}T00:00:00Z`).toLocaleDateString("en-IN", {
      timeZone: "UTC",
      weekday: "long",
      day: "numeric",
      month: "long",
    }),
  /** "Wed 25 Nov": the absolute date every SMS carries. */
  shortDate: (date: string) =>
    new Date(`${date}T00:00:00Z`)
      .toLocaleDateString("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" })
      .replace(",", ""),
  // SMS
  smsBooked: (s: SlotWords & { token: string; clinic: string }) =>
    `Appointment booked: ${s.doctor}, ${s.clinic}, ${s.day} at ${s.time}. Token ${s.token}. Reply CANCEL ${s.token} to cancel.`,
  smsCancelled: (a: SlotWords & { token: string; clinic: string }) =>
    `Cancelled: ${a.token}, ${a.doctor}, ${a.clinic}, ${a.day} at ${a.time}. The time is now free for others.`,
  smsCancelledByClinic: (a: SlotWords & { token: string; clinic: string }) =>
    `Sorry, the clinic has cancelled your appointment ${a.token}, ${a.doctor}, ${a.clinic}, ${a.day} at ${a.time}. Please call this line to book a new time.`,
  smsMovedByClinic: (a: SlotWords & { token: string; clinic: string; oldToken: string }) =>
    `Your appointment ${a.oldToken} has been moved by the clinic: ${a.doctor}, ${a.clinic}, ${a.day} at ${a.time}. New token ${a.token}. Reply CANCEL ${a.token} to cancel.`,
  smsMovedForYou: (a: SlotWords & { token: string; clinic: string; oldToken: string }) =>
    `Moved: ${a.oldToken} is now ${a.doctor}, ${a.clinic}, ${a.day} at ${a.time}. New token ${a.token}. Reply CANCEL ${a.token} to cancel.`,
  smsNothingToCancel: "You have no upcoming appointment to cancel. Text STATUS to see your appointments.",
  smsTokenNotFound: (token: string) =>
    `No upcoming appointment with token ${token} was found for this number. Text STATUS to see your appointments.`,
  smsUpcoming: (list: (SlotWords & { token: string; clinic: string })[]) =>
    `Your appointments: ${list.map((a) => `${a.token} ${a.doctor}, ${a.clinic}, ${a.day} at ${a.time}`).join("; ")}. Reply CANCEL and the token to cancel one.`,
  smsNoUpcoming: (line: string) => `You have no upcoming appointments.${line ? ` To book, call ${line}.` : ""}`,
  smsHelp: (line: string) =>
    `Clinic appointment line: text STATUS to see your appointments, CANCEL to cancel your next one, or CANCEL and a token (like CANCEL KS-2) to cancel that one.${line ? ` To book, call ${line}.` : ""}`,
  smsUnknownSender: "Sorry, we could not read your phone number, so we cannot look up appointments for it.",
  smsApology: "Sorry, something went wrong and your message was not handled. Please try again in a few minutes.",
  /** `page`: where the patient signs in (the /me page), when the public address is known. */
  smsAccount: (login: string, password: string, page = "") =>
    `Your clinic account: login ${login}, temporary password ${password}. ${page ? `Sign in at ${page} to see your appointments and choose your own password.` : "Please change it when you first sign in."}`,
};

export type Catalogue = typeof en;

const catalogues: Record<Language, Catalogue> = { en };

export function prompts(language: Language): Catalogue {
  return catalogues[language];
}
