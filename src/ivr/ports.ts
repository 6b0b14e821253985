/**
 * What the call flow needs from outside (storage, slot allocation, the clock) and what it
 * gives back: the flow is pure behind these, so it knows menus and words, not D1 or objects.
 */
import type { ConfirmResult } from "../booking/book.ts";
import type { PatientAppointment } from "../stores/patients.ts";
import type { MoveResult } from "../booking/move.ts";
import type { HeldSlot, Offer } from "../booking/offer.ts";
import type { Clinic, Doctor, Named } from "../db/directory.ts";
import type { CallPurpose } from "../db/schema.ts";
import type { ReasonSettings } from "../config.ts";
import type { Voice, VoiceVerb } from "../twilio/twiml.ts";
import type { PromptPack } from "../prompts/pack.ts";
import type { Language } from "../words/index.ts";
import type { CallState } from "./call-state.ts";
import type { HeardSpeech } from "./speech.ts";
import type { Step } from "./steps.ts";
import type { JoinResult } from "../booking/waitlist.ts";
import type { LiveOffer } from "../stores/waitlist.ts";

export interface IvrPorts {
  states(): Promise<Named[]>;
  districts(stateId: number): Promise<Named[]>;
  clinics(districtId: number): Promise<Named[]>;
  clinic(clinicId: number): Promise<Clinic | undefined>;
  specializations(clinicId: number): Promise<Named[]>;
  doctors(clinicId: number, specializationId?: number): Promise<Doctor[]>;
  holdEarliest(
    clinic: Clinic,
    doctors: readonly Doctor[],
    options: { after?: { date: string; minute: number }; previous?: HeldSlot },
  ): Promise<Offer | null>;
  release(held: HeldSlot): Promise<void>;
  /** Holds exactly this time (one offered before) if it is still free, letting go of `previous`. */
  holdAt(clinic: Clinic, doctor: Doctor, slot: HeldSlot, previous?: HeldSlot): Promise<Offer | null>;
  /** Books the held slot, if the held doctor is one this call chose (clinic, speciality, doctor). */
  confirm(
    held: HeldSlot,
    chosen: { clinicId: number; specializationId?: number; doctorId?: number },
  ): Promise<ConfirmResult | { kind: "no-caller-id" }>;
  /**
   * Who is calling (one D1 round trip): a number the line can book for, with its upcoming
   * appointments and the language it chose before, or a withheld number.
   */
  caller(): Promise<
    | { kind: "withheld" }
    | { kind: "known"; upcoming: PatientAppointment[]; language?: Language; waitlistOffer?: LiveOffer }
  >;
  /** Puts the caller on the waitlist for what they chose (a doctor, a speciality or the clinic) over some days. */
  joinWaitlist(scope: {
    clinicId: number;
    doctorId?: number;
    specializationId?: number;
    fromDate: string;
    toDate: string;
  }): Promise<JoinResult | { kind: "no-caller-id" }>;
  /** The time held for this caller from the waitlist, if it still is (read again for a repeat). */
  waitlistOffer(): Promise<LiveOffer | null>;
  /** Books the time held for this caller (offer `offerId`), as a confirm books. */
  takeWaitlistOffer(offerId: number): Promise<ConfirmResult | { kind: "no-caller-id" }>;
  /** Passes the held time to the next in line. */
  passWaitlistOffer(offerId: number): Promise<boolean>;
  /** The caller's upcoming appointments, soonest first (none for a withheld number). */
  upcoming(): Promise<PatientAppointment[]>;
  /** Cancels one of the caller's upcoming appointments; null when it is no longer theirs to cancel. */
  cancelAppointment(appointmentId: number): Promise<PatientAppointment | null>;
  /** Moves one of the caller's appointments to the held time, if the held doctor is one the call may choose. */
  move(
    held: HeldSlot,
    appointmentId: number,
    chosen: { clinicId: number; specializationId?: number; doctorId?: number },
  ): Promise<MoveResult | { kind: "no-caller-id" }>;
  /** Stores the language the caller chose, for their next call. */
  rememberLanguage(language: Language): Promise<void>;
  /**
   * The call the line placed that this request belongs to (by its outbox row, or, where the
   * provider names only its own call id, by that), if it is this patient's and still live; with
   * `answered`, it is noted answered (a person, unless a machine was detected). Null: ignore it.
   */
  outboundCall(ref: { id?: number; attempt?: number }, answered?: { machine: boolean }): Promise<OutboundAnswer | null>;
  /** Notes what the answered call did (confirmed, cancel, move, opted-out). */
  noteOutbound(id: number, outcome: string): Promise<void>;
  /** The patient will come: marks their appointment confirmed (once). False when it is no longer theirs and booked. */
  confirmAppointment(appointmentId: number): Promise<boolean>;
  /** The patient pressed "stop these calls": no reminder call is placed to this number again. */
  stopReminderCalls(): Promise<void>;
  now(): Date;
}

/** An answered outbound call: its outbox row, why it was placed, and the appointment (null: no longer booked). */
export interface OutboundAnswer {
  id: number;
  purpose: CallPurpose;
  appointment: PatientAppointment | null;
}

export interface IvrInput {
  step: Step;
  state: CallState;
  /** Keys pressed; undefined or "" when the caller said nothing. */
  digits: string | undefined;
  /** What the caller said instead, where the menu listens for speech. */
  speech?: HeardSpeech;
  /** After a <Dial>: how the dialled call ended (completed, busy, no-answer, failed, canceled). */
  dialStatus?: string;
  /** On a call the line placed: the provider detected an answering machine. */
  machine?: boolean;
}

export interface IvrOutput {
  verbs: VoiceVerb[];
  /** How the call ended, when this answer ends it. */
  outcome?:
    | "booked"
    | "cancelled"
    | "moved"
    | "not-moved"
    | "gave-up"
    | "no-caller-id"
    | "limit-reached"
    | "no-slots"
    | "reception"
    | "confirmed"
    | "opted-out"
    | "waitlisted"
    | "fault";
  /** The time this answer offers (and the call now holds), for releasing it when the call ends. */
  held?: HeldSlot;
}

export interface FlowSettings {
  horizonDays: number;
  /** The languages callers may choose, in menu order; the first is the default. */
  languages: readonly Language[];
  /** Languages whose menus also listen for speech. */
  speechLanguages: readonly Language[];
  /** Configured voices that replace a catalogue's own. */
  voices: Partial<Record<Language, Voice>>;
  /** Recorded prompt packs, by language: their clips play instead of the voice (src/prompts). */
  packs?: Partial<Record<Language, PromptPack>>;
  maxActivePerPhone: number;
  /** Days a caller who heard no free time waits for one (default 14, never past the horizon). */
  waitlistDays?: number;
  /** How long a freed time is held for a waiting patient (default 15 minutes). */
  waitlistHoldMs?: number;
  /** The reason-for-visit question after a booking, with the origin its callbacks go to; absent = not asked. */
  reason?: ReasonSettings & { origin: string };
}
