/**
 * Every word the line says or texts, one catalogue per language (en.ts, kn.ts, hi.ts). The
 * `Catalogue` interface is the contract: a language missing an entry does not compile, so no
 * language ever falls back to another one silently. Voice and (later) web pages take
 * their words from here; the callers of a catalogue stay language-free.
 */
import type { Voice } from "../twilio/twiml.ts";
import { en } from "./en.ts";
import { hi } from "./hi.ts";
import { kn } from "./kn.ts";

/** In the order the line offers them when nothing is configured. */
export const ALL_LANGUAGES = ["kn", "en", "hi"] as const;
export type Language = (typeof ALL_LANGUAGES)[number];

export function isLanguage(value: string): value is Language {
  return (ALL_LANGUAGES as readonly string[]).includes(value);
}

/**
 * A language whose prompts are recorded clips (Tulu, Konkani: no Twilio voice speaks them).
 * Room for later: the flow plays `clipUrl(text)` instead of saying the text. None exists yet.
 */
export interface RecordedVoice {
  language: string;
  clipUrl: (text: string) => string;
}

/** When a slot is, relative to the clinic's today. */
export type SpokenDay = { kind: "today" } | { kind: "tomorrow" } | { kind: "date"; date: string };

export interface OfferWords {
  doctor: string;
  /** The day and time as this language says it: "today at 9:15 AM", "ಇವತ್ತು ಬೆಳಿಗ್ಗೆ 9 ಗಂಟೆ 15 ನಿಮಿಷಕ್ಕೆ". */
  when: string;
}

/** An appointment as a call says it: `when` relative to today, `token` spelt for the ear. */
export interface SpokenAppointment {
  doctor: string;
  clinic: string;
  when: string;
  token: string;
}

/** Words a caller may say instead of pressing a key (matched after lower-casing). */
export interface SpeechWords {
  /** numbers[n]: ways to say the key n (0-9), cardinal and ordinal. */
  numbers: readonly (readonly string[])[];
  yes: readonly string[];
  no: readonly string[];
  /** "start again" at the offer. */
  restart: readonly string[];
  /** "say that again": the same as pressing star. */
  repeat: readonly string[];
  /** What a caller may say for this language on the language menu. */
  languageNames: readonly string[];
}

export interface Catalogue {
  language: Language;
  voice: Voice | RecordedVoice;
  /** The language's own name, as its speakers say it. */
  name: string;
  // The language menu and switching
  chooseLanguage: (key: string) => string;
  /** The language menu is on # (0 is the reception). */
  switchLanguage: string;
  // Menus
  welcome: string;
  repeatHint: string;
  choose: (name: string, key: string) => string;
  moreChoices: (key: string) => string;
  /** On a menu's last page: its key goes back to the first choices. */
  firstChoices: (key: string) => string;
  onlyChoice: (what: string, name: string) => string;
  chooseState: string;
  chooseDistrict: string;
  chooseClinic: string;
  chooseSpecialization: string;
  chooseDoctor: string;
  level: { state: string; district: string; clinic: string; specialization: string; doctor: string };
  bookingType: (clinic: string) => string;
  anyDoctorOf: (specialization: string) => string;
  notAChoice: string;
  noInput: string;
  notUnderstood: string;
  // The offer and the booking
  offer: (s: OfferWords) => string;
  holdLost: string;
  noSlots: (horizonDays: number) => string;
  /** Asked for a later time when there is none. */
  noLaterSlots: string;
  noDoctors: string;
  noDoctorsAtAll: string;
  booked: (s: OfferWords & { token: string }) => string;
  /** After the token: the SMS that will follow, or why none will (a number the line may not text). */
  textWillFollow: string;
  noTextToThisNumber: string;
  hearTokenAgain: string;
  tokenAgain: (token: string) => string;
  /** At the greeting, for a hidden number (nothing can be booked without it). */
  noCallerIdWelcome: string;
  noCallerId: string;
  tooManyAppointments: (limit: number) => string;
  sameTimeTaken: string;
  // The reason for the visit, asked after the token (src/ivr/reason-step.ts)
  /** Asked when Twilio's speech recognition serves the language (SPEECH_LANGUAGES). */
  reasonAskBySpeech: string;
  /** Asked before a recording, when it does not: the caller speaks after the beep. */
  reasonAskByRecording: string;
  /** The reason was heard and kept. */
  reasonThanks: string;
  /**
   * Said (twice) the moment a spoken reason carries a red flag: call 108 (India's ambulance
   * number) for an ambulance now, in everyday words (ಇಮರ್ಜೆನ್ಸಿ, ಆಂಬುಲೆನ್ಸ್; इमरजेंसी, एम्बुलेंस).
   * English says it digit by digit, as it is said aloud; Kannada and Hindi write the number
   * before a word that carries the ending ("108 ನಂಬರ್‌ಗೆ", "108 नंबर पर").
   */
  reasonEmergency: string;
  /** Said after every recording: it is transcribed later, so it cannot be checked during the call. */
  reasonIfEmergency: string;
  // Endings
  goodbyeAfterRetries: string;
  goodbye: string;
  apology: string;
  // Saying days, times and tokens
  when: (day: SpokenDay, minute: number) => string;
  /** "K S, 2": the letters named so a speaker of this language recognises them. */
  spokenToken: (token: string) => string;
  // Reaching a person: 0 dials the clinic's reception during its opening hours
  receptionHint: string;
  connectingReception: (clinic: string) => string;
  receptionClosed: (hours: string) => string;
  receptionNoAnswer: (hours: string) => string;
  /** "Monday to Saturday, 8:30 AM to 6:00 PM" (weekday 0 is Sunday; minutes from midnight). */
  openingHours: (fromWeekday: number, toWeekday: number, opens: number, closes: number) => string;
  // Choosing a day and a part of the day at the offer
  /**
   * The second menu after 3 at the offer: 1 the previous time (when there is one), 2 another day,
   * 3 morning, 4 afternoon or evening (any time from 12:00, so the evening is named too).
   */
  otherTimes: (withPrevious: boolean) => string;
  askDay: string;
  notADay: string;
  dayPassed: string;
  dayTooFar: (horizonDays: number) => string;
  noTimeOn: (day: SpokenDay) => string;
  noMorningOn: (day: SpokenDay) => string;
  noAfternoonOn: (day: SpokenDay) => string;
  noEarlierTime: string;
  // The returning caller: their appointments, cancelling and moving one by phone
  /** The greeting's news: the next appointment (and how many there are, when several). */
  nextAppointment: (a: SpokenAppointment, count: number) => string;
  returningChoices: string;
  appointmentLine: (n: number, a: SpokenAppointment) => string;
  /** An appointment as a menu names it: by day, time and doctor, never by token alone. */
  appointmentName: (doctor: string, when: string) => string;
  whichToCancel: string;
  whichToMove: string;
  confirmCancel: (a: OfferWords) => string;
  cancelledByCall: (a: SpokenAppointment) => string;
  appointmentKept: string;
  appointmentGone: string;
  /** At its limit a phone can still hear, cancel and move, but not book another. */
  limitReachedMenu: (limit: number) => string;
  moveOffer: (s: OfferWords) => string;
  moveAnyDoctor: (specialization: string, key: string) => string;
  moved: (s: OfferWords & { token: string }) => string;
  notMoved: (a: OfferWords) => string;
  // The reminder call, placed the evening before (src/calls); 0 is receptionHint, as at every menu
  /** What the answered call says first: doctor, clinic, day, time and token. */
  reminderCall: (a: SpokenAppointment) => string;
  reminderChoices: string;
  reminderConfirmed: string;
  reminderCallsStopped: string;
  // The waitlist: joining when no time suits, and a freed time held for a waiting patient
  /** After "no free time": 5 joins the waiting list for the next days. */
  joinWaitlistHint: string;
  /** After "no free time on <day>" and the first time after it: 5 waits for a time on that day. */
  waitForDayHint: (day: SpokenDay) => string;
  /** Joined (or already on the list): how a freed time reaches them, and goodbye. */
  joinedWaitlist: (holdMinutes: number) => string;
  /** A returning caller's held time, first: 1 takes it, 2 passes it on. `until` in minutes from midnight. */
  waitlistOffer: (s: OfferWords & { until: number }) => string;
  waitlistPassed: string;
  speech: SpeechWords;
}

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, kn, hi };

/** The catalogue of a language, spoken by `voice` when the configuration chose another one. */
export function wordsFor(language: Language, voice?: Voice): Catalogue {
  const words = CATALOGUES[language];
  return voice ? { ...words, voice } : words;
}
