/**
 * The call's steps and the keys that mean the same at every menu: the step names are the
 * seed system's webhook paths, so an existing number's Voice URL points here unchanged.
 */
import type { Named } from "../db/directory.ts";

export const MAX_TRIES = 3;

export const IVR_PATHS = {
  welcome: "/api/ivr/welcome/",
  language: "/api/ivr/handle-language/",
  state: "/api/ivr/handle-state/",
  district: "/api/ivr/handle-district/",
  clinic: "/api/ivr/handle-clinic/",
  bookingType: "/api/ivr/handle-booking-type/",
  specialization: "/api/ivr/handle-specialization/",
  doctor: "/api/ivr/handle-doctor/",
  confirm: "/api/ivr/confirm-booking/",
  booked: "/api/ivr/booked/",
  mine: "/api/ivr/handle-my-appointments/",
  pick: "/api/ivr/handle-pick-appointment/",
  cancel: "/api/ivr/confirm-cancel/",
  day: "/api/ivr/handle-day/",
  reception: "/api/ivr/reception-done/",
  /** The answered outbound call (a reminder; src/calls): the line called the patient. */
  outbound: "/api/ivr/outbound/",
  outboundKey: "/api/ivr/outbound-key/",
  /** A returning caller's time held for them from the waitlist: 1 take, 2 pass. */
  waitlist: "/api/ivr/handle-waitlist-offer/",
} as const;

export type Step = keyof typeof IVR_PATHS;
/**
 * Pressed on the first menu after a returning caller's greeting: the language menu. # because
 * 0 is the reception and 1-9 may all be choices; the menus' Gathers take # as a key.
 */
export const SWITCH_LANGUAGE_KEY = "#";

/** At any menu of a clinic with a reception number: a person. */
export const RECEPTION_KEY = "0";
/** How long the reception's phone rings before the caller is back at the menu. */
export const RECEPTION_RING_SECONDS = 20;
/** The steps whose question 0 interrupts (and, after the reception, asks again). */
export const RECEPTION_STEPS: ReadonlySet<Step> = new Set<Step>([
  "bookingType",
  "specialization",
  "doctor",
  "confirm",
  "day",
  "mine",
  "outboundKey",
]);

/**
 * The offer: 1 book (or move), 2 the next time, 3 other times and days (a second menu), and when
 * moving 4 keeps the appointment. No menu offers more than four choices besides 0 and *.
 */
export const OTHER_TIMES_KEY = "3";
export const KEEP_KEY = "4";
/** Said, never pressed: "start again" at an offer (keys reach it from "no free time" only, as 3). */
export const RESTART_KEY = "restart";
/** The second menu: other times and days. */
export const PREVIOUS_TIME_KEY = "1";
export const ANOTHER_DAY_KEY = "2";
export const MORNING_KEY = "3";
export const AFTERNOON_KEY = "4";
/** Where a clinic's afternoon starts: 12:00, clinic-local. */
export const NOON = 12 * 60;

/**
 * In the second menu of a move to one doctor with colleagues, when no earlier time was heard
 * (so "the previous time" has nothing to offer): the earliest time with any doctor of the same
 * clinic and speciality.
 */
export const ANY_DOCTOR_KEY = "1";

/**
 * Where no time suits (no free time on the horizon, or none on the day asked for): join the
 * waiting list. 5, a key no other choice of those menus uses.
 */
export const WAITLIST_KEY = "5";
export const TAKE_HELD_KEY = "1";
export const PASS_HELD_KEY = "2";

/** A menu level (a step that lists choices) and what comes after it. */
export type Level = Exclude<
  Step,
  | "welcome"
  | "language"
  | "confirm"
  | "booked"
  | "mine"
  | "pick"
  | "cancel"
  | "day"
  | "reception"
  | "outbound"
  | "outboundKey"
  | "waitlist"
>;

export const NEXT_LEVEL: Record<Level, Level | "offer"> = {
  state: "district",
  district: "clinic",
  clinic: "bookingType",
  bookingType: "specialization",
  specialization: "doctor",
  doctor: "offer",
};

/** A menu choice; "any doctor of this speciality" names the speciality it stands for. */
export type MenuItem = Named & { anyOf?: number };
