/**
 * The call flow: given the step Twilio asked for, the call state from the URL and the keys
 * pressed, decide what the caller hears next. Storage and slot allocation come in through
 * `IvrPorts`, so this file knows menus and words, not D1 or Durable Objects.
 *
 * welcome -> [language] -> state -> district -> clinic -> booking type -> [specialization -> doctor] -> offer -> booked
 *   -> [token again] -> reason for the visit (src/reasons, its own routes) -> goodbye
 * A new caller first chooses a language (each option said in its own language and voice); a
 * returning caller is greeted in the language they chose before, with 0 to change it.
 * A level with one choice is announced and skipped. Each failed try (silence, a wrong key or
 * speech we could not match) counts; the third ends the call politely, so no loop can run
 * forever. Star repeats the question and is not a miss.
 * Every word comes from the caller's catalogue (src/words); this file stays language-free.
 */
import type { ConfirmResult } from "../booking/book.ts";
import type { PatientAppointment } from "../booking/cancel.ts";
import type { MoveResult } from "../booking/move.ts";
import type { HeldSlot, Offer } from "../booking/offer.ts";
import type { Clinic, Doctor, Named } from "../db/directory.ts";
import { allNames, nameIn } from "../db/display-names.ts";
import { askReasonVerbs, type ReasonSettings } from "../reasons/ask.ts";
import type { Voice, VoiceVerb } from "../twilio/twiml.ts";
import { wordsFor, type Catalogue, type Language, type SpokenAppointment } from "../words/index.ts";
import { spokenSlot } from "../words/slot.ts";
import { localClock } from "../slots/calendar.ts";
import { spokenDay } from "../words/slot.ts";
import { actionUrl, MAX_BACK, type CallState } from "./call-state.ts";
import { dayFromKeys } from "./day-choice.ts";
import { isOpen, parseOpeningHours, type OpeningHours } from "./opening-hours.ts";
import { menuLines, pageItems, REPEAT_KEY, resolveChoice } from "./menu.ts";
import { languageMenuVerbs, spokenLanguageKey } from "./language-menu.ts";
import { breaths, languageOf, say, spoken } from "./speak.ts";
import { matchSpeech, menuOptions, offerOptions, UNMATCHED, type HeardSpeech } from "./speech.ts";

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
} as const;

export type Step = keyof typeof IVR_PATHS;
type Level = Exclude<
  Step,
  "welcome" | "language" | "confirm" | "booked" | "mine" | "pick" | "cancel" | "day" | "reception"
>;

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
const RECEPTION_STEPS: ReadonlySet<Step> = new Set<Step>([
  "bookingType",
  "specialization",
  "doctor",
  "confirm",
  "day",
  "mine",
]);

/** At the offer, beside 1 book, 2 next time and 3 start again (or keep, when moving). */
export const PREVIOUS_TIME_KEY = "4";
export const ANOTHER_DAY_KEY = "5";
export const MORNING_KEY = "6";
export const AFTERNOON_KEY = "7";
/** Where a clinic's afternoon starts: 12:00, clinic-local. */
const NOON = 12 * 60;

/** At the move offer: the earliest time with any doctor of the same clinic and speciality. */
export const ANY_DOCTOR_KEY = "8";

/** What the line knows about a caller before the first menu. */
export interface CallerProfile {
  language?: Language;
}

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
  caller(): Promise<{ kind: "withheld" } | { kind: "known"; upcoming: PatientAppointment[]; language?: Language }>;
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
  now(): Date;
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
  maxActivePerPhone: number;
  /** The reason-for-visit question after a booking, with the origin its callbacks go to; absent = not asked. */
  reason?: ReasonSettings & { origin: string };
}

type MenuItem = Named & { anyOf?: number };

function hangup(words: Catalogue, text: string, outcome: IvrOutput["outcome"]): IvrOutput {
  return { verbs: [say(words, text), { kind: "Hangup" }], ...(outcome ? { outcome } : {}) };
}

/** The apology a caller hears when anything fails on our side. */
export function apologyVerbs(words: Catalogue = wordsFor("en")): VoiceVerb[] {
  return [say(words, words.apology), { kind: "Hangup" }];
}

export async function runIvr(input: IvrInput, ports: IvrPorts, settings: FlowSettings): Promise<IvrOutput> {
  const flow = new Flow(input.state.lang, ports, settings);
  // Keys win when Twilio sends both; speech only counts where this language listens for it.
  const speech = input.digits || !flow.listens ? undefined : input.speech;
  if (input.step === "reception") return flow.afterReception(input.state, input.dialStatus);
  if (input.digits === RECEPTION_KEY && RECEPTION_STEPS.has(input.step)) {
    const connected = await flow.reception(input.step, input.state);
    if (connected) return connected;
  }
  switch (input.step) {
    case "welcome":
      return flow.welcome();
    case "language":
      // The language menu listens in its own recogniser's language, whatever the call's.
      return flow.atLanguageMenu(input.state, input.digits, input.digits ? undefined : input.speech);
    case "confirm":
      return flow.atOffer(input.state, speech ? flow.offerKey(speech) : input.digits, Boolean(speech));
    case "booked":
      return flow.afterBooking(input.state, speech ? flow.offerKey(speech) : input.digits);
    case "mine":
      return flow.atMyAppointments(input.state, input.digits);
    case "pick":
      return flow.atPick(input.state, input.digits);
    case "cancel":
      return flow.atCancel(input.state, input.digits);
    case "day":
      return flow.atDay(input.state, input.digits);
    default:
      return flow.choose(input.step, input.state, input.digits, speech);
  }
}

const NEXT_LEVEL: Record<Level, Level | "offer"> = {
  state: "district",
  district: "clinic",
  clinic: "bookingType",
  bookingType: "specialization",
  specialization: "doctor",
  doctor: "offer",
};

class Flow {
  private readonly words: Catalogue;
  private readonly ports: IvrPorts;
  private readonly settings: FlowSettings;
  /** Whether this call's menus accept speech as well as keys. */
  readonly listens: boolean;

  constructor(language: Language, ports: IvrPorts, settings: FlowSettings) {
    this.words = wordsFor(language, settings.voices[language]);
    this.ports = ports;
    this.settings = settings;
    this.listens = settings.speechLanguages.includes(language);
  }

  private get language(): Language {
    return this.words.language;
  }

  /** A question, answered by keys or (where this language listens) by speech. */
  private question(action: string, groups: string[][], hints: string[], timeout: number): VoiceVerb {
    const hintText = hints.join(", ").slice(0, 1000);
    const listening = this.listens
      ? { input: "dtmf speech" as const, speechTimeout: "auto" as const, ...(hintText ? { hints: hintText } : {}) }
      : { input: "dtmf" as const };
    return {
      kind: "Gather",
      numDigits: 1,
      // No finishing key: # is a key of its own (the language menu).
      finishOnKey: "",
      timeout,
      action,
      voice: languageOf(this.words),
      ...listening,
      children: spoken(this.words, groups),
    };
  }

  /** Asks, and on silence comes back to the same handler with no Digits. */
  private gather(action: string, groups: string[][], hints: string[] = []): VoiceVerb[] {
    return [this.question(action, groups, hints, 6), { kind: "Redirect", url: action }];
  }

  /**
   * The first thing a caller hears. A withheld number cannot be booked for (no SMS, no way to
   * find the booking again), and a phone at its limit cannot book more: both are told at once,
   * not after the menus, in the caller's language (in every offered one when it is unknown).
   * Then a new number hears the language menu; a returning one is greeted in its language.
   */
  async welcome(): Promise<IvrOutput> {
    const { languages } = this.settings;
    const caller = await this.ports.caller();
    if (caller.kind === "withheld") return this.inEveryLanguage((w) => w.noCallerIdWelcome, "no-caller-id");
    const preferred = caller.language && languages.includes(caller.language) ? caller.language : undefined;
    const start = (language: Language, switchable: boolean) => {
      const flow = new Flow(language, this.ports, this.settings);
      const w = flow.words;
      const notices = [w.welcome, w.repeatHint, ...(switchable ? [w.switchLanguage] : [])];
      const s: CallState = { lang: language, page: 0, tries: 0, ...(switchable ? { switchable: true } : {}) };
      // A caller with appointments hears the next one and what they can do with it first.
      if (caller.upcoming.length > 0) return flow.myAppointmentsMenu(s, caller.upcoming, notices);
      return flow.enter("state", s, notices);
    };
    if (languages.length <= 1) return start(languages[0] ?? this.language, false);
    if (preferred) return start(preferred, true);
    return this.languageMenu({ lang: languages[0]!, page: 0, tries: 0 }, []);
  }

  /** One message said in each offered language, in its own voice, then goodbye. */
  private inEveryLanguage(text: (w: Catalogue) => string, outcome: IvrOutput["outcome"]): IvrOutput {
    const says = this.settings.languages.map((l) => {
      const w = wordsFor(l, this.settings.voices[l]);
      return say(w, text(w));
    });
    return { verbs: [...says, { kind: "Hangup" }], ...(outcome ? { outcome } : {}) };
  }

  private languageMenu(s: CallState, notices: string[]): IvrOutput {
    const action = actionUrl(IVR_PATHS.language, { lang: s.lang, page: 0, tries: s.tries });
    return {
      verbs: languageMenuVerbs(this.settings, action, notices.length ? say(this.words, notices.join(" ")) : null),
    };
  }

  /** The caller answered the language menu. Silence (or giving up) goes on in the first language. */
  async atLanguageMenu(s: CallState, pressed: string | undefined, speech?: HeardSpeech): Promise<IvrOutput> {
    const { languages } = this.settings;
    const digits = speech ? (spokenLanguageKey(this.settings, speech, REPEAT_KEY) ?? UNMATCHED) : pressed;
    if (digits === REPEAT_KEY) return this.languageMenu(s, []);
    const key = Number(digits);
    const chosen = digits && /^\d$/.test(digits) ? languages[key - 1] : undefined;
    if (!chosen && digits && s.tries + 1 < MAX_TRIES) {
      const notice = digits === UNMATCHED ? this.words.notUnderstood : this.words.notAChoice;
      return this.languageMenu({ ...s, tries: s.tries + 1 }, [notice]);
    }
    const language = chosen ?? languages[0] ?? this.language;
    const [upcoming] = await Promise.all([
      this.ports.upcoming(),
      chosen ? this.ports.rememberLanguage(chosen) : undefined,
    ]);
    const flow = new Flow(language, this.ports, this.settings);
    const start: CallState = { lang: language, page: 0, tries: 0 };
    const notices = [flow.words.welcome, flow.words.repeatHint];
    if (upcoming.length > 0) return flow.myAppointmentsMenu(start, upcoming, notices);
    return flow.enter("state", start, notices);
  }

  /** The choices of a level for this call state; null when the state does not lead there. */
  private async items(level: Level, s: CallState): Promise<MenuItem[] | null> {
    const w = this.words;
    switch (level) {
      case "state":
        return this.ports.states();
      case "district":
        return s.state === undefined ? null : this.ports.districts(s.state);
      case "clinic":
        return s.district === undefined ? null : this.ports.clinics(s.district);
      case "bookingType":
        return s.clinic === undefined
          ? null
          : [
              { id: 1, name: "next" },
              { id: 2, name: "specialization" },
            ];
      case "specialization":
        return s.clinic === undefined ? null : this.ports.specializations(s.clinic);
      case "doctor": {
        if (s.clinic === undefined || s.spec === undefined) return null;
        const [doctors, specs] = await Promise.all([
          this.ports.doctors(s.clinic, s.spec),
          this.ports.specializations(s.clinic),
        ]);
        const spec = specs.find((x) => x.id === s.spec);
        if (!spec || doctors.length === 0) return null;
        // "Any doctor of it" is only a real choice when there are several.
        return doctors.length === 1
          ? doctors
          : [{ id: 0, name: w.anyDoctorOf(nameIn(spec, this.language)), anyOf: spec.id }, ...doctors];
      }
    }
  }

  private prompt(level: Level): string {
    const w = this.words;
    return {
      state: w.chooseState,
      district: w.chooseDistrict,
      clinic: w.chooseClinic,
      bookingType: "",
      specialization: w.chooseSpecialization,
      doctor: w.chooseDoctor,
    }[level];
  }

  private async menu(level: Level, s: CallState, items: MenuItem[], notices: string[]): Promise<IvrOutput> {
    const action = actionUrl(IVR_PATHS[level], s);
    if (level === "bookingType") {
      const [clinic, doctors] = await Promise.all([this.ports.clinic(s.clinic!), this.ports.doctors(s.clinic!)]);
      if (!clinic) return this.restart(s, [this.words.notAChoice]);
      if (doctors.length === 0) {
        // Nothing to book here: back to the other clinics of the district, if it has any
        // (with a single clinic, going back would land right here again).
        const { clinic: _none, ...district } = s;
        const siblings = s.district === undefined ? [] : await this.ports.clinics(s.district);
        if (siblings.length <= 1) return hangup(this.words, this.words.noDoctorsAtAll, "no-slots");
        return this.enter("clinic", { ...district, page: 0 }, [...notices, this.words.noDoctors]);
      }
      const question = [this.words.bookingType(nameIn(clinic, this.language)), ...this.receptionHint(clinic)];
      return { verbs: this.gather(action, [[...notices, ...question]]) };
    }
    const named = items.map((item) => ({ ...item, name: nameIn(item, this.language) }));
    const lines = menuLines(this.words, named, s.page);
    const hints = pageItems(items, s.page).flatMap(allNames);
    const clinic = s.clinic === undefined ? undefined : await this.ports.clinic(s.clinic);
    const person = clinic ? this.receptionHint(clinic) : [];
    return { verbs: this.gather(action, [[...notices, this.prompt(level)], ...breaths([...lines, ...person])], hints) };
  }

  /** The key an answer to the offer (or to "hear your token again") stands for. */
  offerKey(speech: HeardSpeech): string {
    return matchSpeech(speech, offerOptions(this.words.speech)) ?? UNMATCHED;
  }

  private restart(s: CallState, notices: string[]): Promise<IvrOutput> {
    // Starting again never re-offers the language switch: that was for the greeting only.
    return this.enter("state", { lang: s.lang, page: 0, tries: s.tries }, notices);
  }

  /** Arrives at a level: asks its question, or announces and skips a level with one choice. */
  async enter(level: Level | "offer", s: CallState, notices: string[]): Promise<IvrOutput> {
    if (level === "offer") return this.offer(s, notices, {});
    const items = await this.items(level, s);
    if (items === null || items.length === 0) {
      // A stale or tampered URL, or a place with nothing under it: back to the top, said plainly.
      if (level === "state") return hangup(this.words, this.words.apology, "fault");
      return this.restart({ ...s, tries: s.tries + 1 }, [...notices, this.words.notAChoice]);
    }
    if (items.length === 1 && level !== "bookingType") {
      const only = items[0]!;
      if (level === "doctor") return this.offer({ ...s, doctor: only.id }, notices, {});
      // Skipping a level is not the caller's choice: the greeting's switch key stays on offer.
      const next = { ...this.chosen(level, s, only), ...(s.switchable ? { switchable: true as const } : {}) };
      return this.enter(NEXT_LEVEL[level], next, [
        ...notices,
        this.words.onlyChoice(this.words.level[level], nameIn(only, this.language)),
      ]);
    }
    return this.menu(level, { ...s, page: 0 }, items, notices);
  }

  private chosen(level: Level, s: CallState, item: MenuItem): CallState {
    const base = { lang: s.lang, page: 0, tries: 0 };
    switch (level) {
      case "state":
        return { ...base, state: item.id };
      case "district":
        return { ...base, state: s.state, district: item.id };
      case "clinic":
        return { ...base, state: s.state, district: s.district, clinic: item.id };
      case "bookingType":
      case "specialization":
        return {
          ...base,
          state: s.state,
          district: s.district,
          clinic: s.clinic,
          ...(level === "specialization" ? { spec: item.id } : {}),
        };
      case "doctor":
        return {
          ...base,
          state: s.state,
          district: s.district,
          clinic: s.clinic,
          spec: s.spec,
          ...(item.anyOf === undefined ? { doctor: item.id } : {}),
        };
    }
  }

  /** A failed try: say why and ask again, or after the last try say goodbye. */
  private async retry(level: Level, s: CallState, items: MenuItem[], notice: string): Promise<IvrOutput> {
    const tries = s.tries + 1;
    if (tries >= MAX_TRIES) return hangup(this.words, this.words.goodbyeAfterRetries, "gave-up");
    return this.menu(level, { ...s, tries }, items, [notice]);
  }

  /** The key a spoken answer to this page of a menu stands for: an item's name, a number word, "again". */
  private heardKey(level: Level, items: MenuItem[], page: number, speech: HeardSpeech): string {
    // The booking type's items are internal words, not names anyone says: numbers only.
    const names = pageItems(items, page).map((item) => (level === "bookingType" ? [] : allNames(item)));
    return matchSpeech(speech, menuOptions(this.words.speech, names)) ?? UNMATCHED;
  }

  async choose(level: Level, s: CallState, digits: string | undefined, speech?: HeardSpeech): Promise<IvrOutput> {
    const items = await this.items(level, s);
    if (items === null || items.length === 0)
      return this.restart({ ...s, tries: s.tries + 1 }, [this.words.notAChoice]);
    const keys = speech ? this.heardKey(level, items, s.page, speech) : digits;
    if (keys === REPEAT_KEY) return this.menu(level, s, items, []);
    if (s.switchable && s.page === 0 && keys === SWITCH_LANGUAGE_KEY)
      return this.languageMenu({ lang: s.lang, page: 0, tries: 0 }, []);
    const choice = resolveChoice(items, s.page, keys);
    switch (choice.kind) {
      case "silent":
        return this.retry(level, s, items, this.words.noInput);
      case "invalid":
        return this.retry(level, s, items, keys === UNMATCHED ? this.words.notUnderstood : this.words.notAChoice);
      case "page":
        return this.menu(level, { ...s, page: choice.page }, items, []);
      case "chosen": {
        const next = this.chosen(level, s, choice.item);
        if (level === "bookingType")
          return choice.item.id === 1 ? this.offer(next, [], {}) : this.enter("specialization", next, []);
        return this.enter(NEXT_LEVEL[level], next, []);
      }
    }
  }

  /** The doctors an offer may come from: one chosen doctor, any of a specialization, or the whole clinic. */
  private async scope(s: CallState): Promise<{ clinic: Clinic; doctors: Doctor[] } | null> {
    if (s.clinic === undefined) return null;
    const [clinic, doctors] = await Promise.all([this.ports.clinic(s.clinic), this.ports.doctors(s.clinic, s.spec)]);
    if (!clinic) return null;
    const chosen = s.doctor === undefined ? doctors : doctors.filter((d) => d.id === s.doctor);
    return chosen.length > 0 ? { clinic, doctors: chosen } : null;
  }

  private async offerVerbs(
    s: CallState,
    clinic: Clinic,
    offer: { doctor: Doctor; date: string; startMinute: number },
    notices: string[],
  ): Promise<IvrOutput> {
    const held: CallState = {
      ...s,
      page: 0,
      hold: { doctorId: offer.doctor.id, date: offer.date, startMinute: offer.startMinute },
    };
    const words = spokenSlot(
      this.words,
      { doctorName: offer.doctor.name, date: offer.date, startMinute: offer.startMinute },
      this.ports.now(),
      clinic.timezone,
    );
    const { yes, no, restart } = this.words.speech;
    const question =
      s.act === "move" ? [this.words.moveOffer(words), ...(await this.anyDoctorHint(s))] : [this.words.offer(words)];
    question.push(this.words.offerMore, ...this.receptionHint(clinic));
    return {
      held: held.hold!,
      verbs: this.gather(actionUrl(IVR_PATHS.confirm, held), [[...notices, ...question]], [...yes, ...no, ...restart]),
    };
  }

  /** Holds the earliest free slot in scope and offers it. */
  async offer(
    s: CallState,
    notices: string[],
    options: { after?: { date: string; minute: number }; previous?: HeldSlot },
    /** What to say before a time found this way, e.g. "there is no free time on that day". */
    explain: (found: Offer, clinic: Clinic) => string[] = () => [],
  ): Promise<IvrOutput> {
    const scope = await this.scope(s);
    if (!scope) return this.restart({ ...s, tries: s.tries + 1 }, [...notices, this.words.notAChoice]);
    const offer = await this.ports.holdEarliest(scope.clinic, scope.doctors, options);
    const { hold: _dropped, ...rest } = s;
    if (!offer) {
      // After "next time", nothing later is not the same as nothing at all.
      const said = options.after ? this.words.noLaterSlots : this.words.noSlots(this.settings.horizonDays);
      return {
        verbs: this.gather(actionUrl(IVR_PATHS.confirm, rest), [[...notices, said]]),
        outcome: "no-slots",
      };
    }
    return this.offerVerbs(rest, scope.clinic, offer, [...notices, ...explain(offer, scope.clinic)]);
  }

  /** The caller answered an offer: 1 book, 2 next time, 3 start again (star: hear it again). */
  async atOffer(s: CallState, digits: string | undefined, spoke = false): Promise<IvrOutput> {
    // Booking goes straight to the doctor-day object: it knows whether this call still holds
    // the time, and the directory is read meanwhile.
    if (digits === "1" && s.hold && s.clinic !== undefined)
      return s.act === "move" && s.appt !== undefined ? this.moveTo(s, s.appt, s.hold) : this.book(s, s.hold);
    const scope = await this.scope(s);
    if (!scope) {
      if (s.hold) await this.ports.release(s.hold);
      return this.restart({ ...s, tries: s.tries + 1 }, [this.words.notAChoice]);
    }
    // What this call was offered, as its URL says (signed by Twilio): said again, not re-checked.
    const doctor = s.hold && scope.doctors.find((d) => d.id === s.hold!.doctorId);
    const shown = s.hold && doctor ? { doctor, date: s.hold.date, startMinute: s.hold.startMinute } : null;

    if (digits === REPEAT_KEY && shown) return this.offerVerbs(s, scope.clinic, shown, []);
    if (digits === "3") {
      if (s.hold) await this.ports.release(s.hold);
      // Moving, 3 keeps the appointment as it is; booking, it starts again.
      if (s.act === "move") return hangup(this.words, `${this.words.appointmentKept} ${this.words.goodbye}`, undefined);
      return this.restart({ ...s, tries: 0 }, []);
    }
    if (digits === ANY_DOCTOR_KEY && s.act === "move" && s.doctor !== undefined) {
      const { doctor: _same, hold: _offered, ...anyDoctor } = s;
      return this.offer({ ...anyDoctor, tries: 0 }, [], s.hold ? { previous: s.hold } : {});
    }
    // Every way on from a time heard keeps it, so "the previous time" can come back to it.
    const onward: CallState = s.hold ? { ...s, back: [...(s.back ?? []), s.hold].slice(-MAX_BACK) } : s;
    const previous = s.hold ? { previous: s.hold } : {};
    if (digits === "2") {
      const after = shown ? { date: shown.date, minute: shown.startMinute } : undefined;
      return this.offer(onward, [], { ...(after ? { after } : {}), ...previous });
    }
    if (digits === PREVIOUS_TIME_KEY && shown) return this.previousTime(s, scope, shown);
    if (digits === ANOTHER_DAY_KEY) return this.askDay(s, []);
    if (digits === MORNING_KEY || digits === AFTERNOON_KEY) {
      const date = shown?.date ?? localClock(this.ports.now(), scope.clinic.timezone).date;
      const said = (clinic: Clinic) => spokenDay(date, this.ports.now(), clinic.timezone);
      if (digits === MORNING_KEY)
        return this.offer(onward, [], { after: { date, minute: -1 }, ...previous }, (found, clinic) =>
          found.date !== date || found.startMinute >= NOON ? [this.words.noMorningOn(said(clinic))] : [],
        );
      return this.offer(onward, [], { after: { date, minute: NOON - 1e-6 }, ...previous }, (found, clinic) =>
        found.date !== date ? [this.words.noAfternoonOn(said(clinic))] : [],
      );
    }
    // Silence, a wrong key, or 1 with nothing offered.
    const tries = s.tries + 1;
    if (tries >= MAX_TRIES) {
      if (s.hold) await this.ports.release(s.hold);
      return hangup(this.words, this.words.goodbyeAfterRetries, "gave-up");
    }
    const notice = spoke ? this.words.notUnderstood : digits ? this.words.notAChoice : this.words.noInput;
    if (shown) return this.offerVerbs({ ...s, tries }, scope.clinic, shown, [notice]);
    return this.offer({ ...s, tries }, [notice], s.hold ? { previous: s.hold } : {});
  }

  private async book(s: CallState, held: HeldSlot): Promise<IvrOutput> {
    const result = await this.ports.confirm(held, {
      clinicId: s.clinic!,
      ...(s.spec !== undefined ? { specializationId: s.spec } : {}),
      ...(s.doctor !== undefined ? { doctorId: s.doctor } : {}),
    });
    const w = this.words;
    switch (result.kind) {
      case "booked": {
        const { offer } = result.booking;
        const clinic = (await this.ports.clinic(s.clinic!))!;
        const said = spokenSlot(
          w,
          { doctorName: offer.doctor.name, date: offer.date, startMinute: offer.startMinute },
          this.ports.now(),
          clinic.timezone,
        );
        const token = result.booking.token;
        const appointment = result.booking.appointmentId;
        const again = actionUrl(IVR_PATHS.booked, { lang: s.lang, page: 0, tries: 0, token, appointment });
        return {
          verbs: [
            say(w, w.booked({ ...said, token: w.spokenToken(token) })),
            say(w, result.booking.texted ? w.textWillFollow : w.noTextToThisNumber),
            // Star (or "again") hears the token once more; silence falls through to the reason
            // for the visit (or, with REASON_CAPTURE=off, to goodbye).
            this.question(again, [[w.hearTokenAgain]], [], 4),
            ...this.afterToken(appointment),
          ],
          outcome: "booked",
        };
      }
      case "hold-lost":
        return this.offer(s, [w.holdLost], {
          previous: held,
          ...(result.skipPast ? { after: result.skipPast } : {}),
        });
      case "out-of-scope":
        return this.restart({ ...s, tries: s.tries + 1 }, [w.notAChoice]);
      case "no-caller-id":
        await this.ports.release(held);
        return hangup(w, w.noCallerId, "no-caller-id");
      case "limit-reached":
        await this.ports.release(held);
        return hangup(w, w.tooManyAppointments(result.limit), "limit-reached");
      case "same-time": {
        const clinic = (await this.ports.clinic(s.clinic!))!;
        return this.offerVerbs(s, clinic, result.offer, [w.sameTimeTaken]);
      }
    }
  }

  /** Back to the time heard before this one, if it is still free; else the next free time after it. */
  private async previousTime(
    s: CallState,
    scope: { clinic: Clinic; doctors: Doctor[] },
    shown: { doctor: Doctor; date: string; startMinute: number },
  ): Promise<IvrOutput> {
    const back = s.back ?? [];
    const target = back.at(-1);
    const doctor = target && scope.doctors.find((d) => d.id === target.doctorId);
    if (!target || !doctor) return this.offerVerbs(s, scope.clinic, shown, [this.words.noEarlierTime]);
    const { back: _all, ...rest } = s;
    const earlier: CallState = back.length > 1 ? { ...rest, back: back.slice(0, -1) } : rest;
    const offer = await this.ports.holdAt(scope.clinic, doctor, target, s.hold);
    if (offer) return this.offerVerbs(earlier, scope.clinic, offer, []);
    // Taken meanwhile: the first free time after it (the time just heard, or one between).
    return this.offer(earlier, [this.words.holdLost], {
      after: { date: target.date, minute: target.startMinute },
      ...(s.hold ? { previous: s.hold } : {}),
    });
  }

  /** "For today, press 1 and then hash ...": keys up to # (no numDigits), silence comes back here. */
  private askDay(s: CallState, notices: string[]): IvrOutput {
    const action = actionUrl(IVR_PATHS.day, s);
    return {
      verbs: [
        {
          kind: "Gather",
          finishOnKey: "#",
          timeout: 8,
          action,
          voice: languageOf(this.words),
          input: "dtmf",
          children: spoken(this.words, [[...notices, this.words.askDay]]),
        },
        { kind: "Redirect", url: action },
      ],
    };
  }

  /** The caller entered a day: its first free time in scope, or why not, and the question again. */
  async atDay(s: CallState, digits: string | undefined): Promise<IvrOutput> {
    const w = this.words;
    const scope = await this.scope(s);
    if (!scope) {
      if (s.hold) await this.ports.release(s.hold);
      return this.restart({ ...s, tries: s.tries + 1 }, [w.notAChoice]);
    }
    if (digits === REPEAT_KEY) return this.askDay(s, []);
    const now = this.ports.now();
    const today = localClock(now, scope.clinic.timezone).date;
    const day = dayFromKeys(digits, today, this.settings.horizonDays);
    if (day.kind === "date") {
      const onward: CallState = s.hold ? { ...s, tries: 0, back: [...(s.back ?? []), s.hold].slice(-MAX_BACK) } : s;
      return this.offer(
        onward,
        [],
        { after: { date: day.date, minute: -1 }, ...(s.hold ? { previous: s.hold } : {}) },
        (found, clinic) => (found.date !== day.date ? [w.noTimeOn(spokenDay(day.date, now, clinic.timezone))] : []),
      );
    }
    const tries = s.tries + 1;
    if (tries >= MAX_TRIES) {
      if (s.hold) await this.ports.release(s.hold);
      return hangup(w, w.goodbyeAfterRetries, "gave-up");
    }
    const notice = {
      silent: w.noInput,
      invalid: w.notADay,
      passed: w.dayPassed,
      "too-far": w.dayTooFar(this.settings.horizonDays),
    }[day.kind];
    return this.askDay({ ...s, tries }, [notice]);
  }

  /** "To hear any Paediatrics doctor of this clinic, press 8": only while moving to one doctor who has colleagues. */
  private async anyDoctorHint(s: CallState): Promise<string[]> {
    if (s.doctor === undefined || s.spec === undefined || s.clinic === undefined) return [];
    const [doctors, specs] = await Promise.all([
      this.ports.doctors(s.clinic, s.spec),
      this.ports.specializations(s.clinic),
    ]);
    const spec = specs.find((x) => x.id === s.spec);
    if (!spec || doctors.length < 2) return [];
    return [this.words.moveAnyDoctor(nameIn(spec, this.language), ANY_DOCTOR_KEY)];
  }

  /** An appointment as the caller hears it: doctor, clinic, day relative to today, time, spelt token. */
  private spokenAppointment(a: PatientAppointment): SpokenAppointment {
    const slot = spokenSlot(this.words, a, this.ports.now(), a.timezone);
    const clinic = nameIn({ name: a.clinicName, displayNames: a.clinicDisplayNames }, this.language);
    return { ...slot, clinic, token: this.words.spokenToken(a.token) };
  }

  private appointmentItems(upcoming: readonly PatientAppointment[]): Named[] {
    return upcoming.map((a) => {
      const { doctor, when } = spokenSlot(this.words, a, this.ports.now(), a.timezone);
      return { id: a.id, name: this.words.appointmentName(doctor, when) };
    });
  }

  /** The returning caller's choices: 1 hear all, 2 cancel, 3 move, 4 book a new one. */
  private async myChoices(s: CallState, said: string[]): Promise<IvrOutput> {
    const clinic = s.clinic === undefined ? undefined : await this.ports.clinic(s.clinic);
    const choices = [this.words.returningChoices, ...(clinic ? this.receptionHint(clinic) : [])];
    return { verbs: this.gather(actionUrl(IVR_PATHS.mine, s), [said, choices]) };
  }

  /** The returning caller's greeting: the next appointment, then what they can do (0: its clinic's reception). */
  myAppointmentsMenu(s: CallState, upcoming: readonly PatientAppointment[], notices: string[]): Promise<IvrOutput> {
    const next = this.spokenAppointment(upcoming[0]!);
    const withClinic: CallState = { ...s, clinic: upcoming[0]!.clinicId };
    // A phone at its limit hears so at once, not after choosing to book (it may still cancel or move).
    const limit = this.settings.maxActivePerPhone;
    const atLimit = upcoming.length >= limit ? [this.words.limitReachedMenu(limit)] : [];
    return this.myChoices(withClinic, [...notices, this.words.nextAppointment(next, upcoming.length), ...atLimit]);
  }

  /** The clinic's reception hours, when it has a number and hours: 0 is offered only then. */
  private receptionHours(clinic: Clinic): OpeningHours | null {
    return clinic.phone ? parseOpeningHours(clinic.openingHours) : null;
  }

  private receptionHint(clinic: Clinic): string[] {
    return this.receptionHours(clinic) ? [this.words.receptionHint] : [];
  }

  private hoursText(hours: OpeningHours): string {
    return this.words.openingHours(hours.fromWeekday, hours.toWeekday, hours.opens, hours.closes);
  }

  /** 0 at a menu: the clinic's reception during its hours, else its hours and the question again. */
  async reception(step: Step, s: CallState): Promise<IvrOutput | null> {
    const clinic = s.clinic === undefined ? undefined : await this.ports.clinic(s.clinic);
    const hours = clinic && this.receptionHours(clinic);
    // No number or no hours: 0 was never offered, so it is an ordinary wrong key.
    if (!clinic || !hours) return null;
    const w = this.words;
    if (!isOpen(hours, localClock(this.ports.now(), clinic.timezone)))
      return this.askAgain(step, s, [w.receptionClosed(this.hoursText(hours))]);
    const back = actionUrl(IVR_PATHS.reception, { ...s, ret: step });
    return {
      verbs: [
        say(w, w.connectingReception(nameIn(clinic, this.language))),
        { kind: "Dial", number: clinic.phone!, timeout: RECEPTION_RING_SECONDS, action: back },
      ],
      outcome: "reception",
    };
  }

  /** Back from the reception: goodbye after a conversation; otherwise the hours and the question again. */
  async afterReception(s: CallState, dialStatus: string | undefined): Promise<IvrOutput> {
    const w = this.words;
    const { ret, ...rest } = s;
    if (dialStatus === "completed") return hangup(w, w.goodbye, undefined);
    const step = ret && ret in IVR_PATHS ? (ret as Step) : undefined;
    if (!step || !RECEPTION_STEPS.has(step)) return this.restart({ ...rest, tries: 0 }, []);
    const clinic = rest.clinic === undefined ? undefined : await this.ports.clinic(rest.clinic);
    const hours = clinic && this.receptionHours(clinic);
    return this.askAgain(step, rest, hours ? [w.receptionNoAnswer(this.hoursText(hours))] : []);
  }

  /** A step's question again, as star asks it, after `notices`. */
  private async askAgain(step: Step, s: CallState, notices: string[]): Promise<IvrOutput> {
    const again = await runIvr({ step, state: s, digits: REPEAT_KEY }, this.ports, this.settings);
    return { ...again, verbs: [...(notices.length ? [say(this.words, notices.join(" "))] : []), ...again.verbs] };
  }

  async atMyAppointments(s: CallState, digits: string | undefined): Promise<IvrOutput> {
    const w = this.words;
    if (s.switchable && digits === SWITCH_LANGUAGE_KEY)
      return this.languageMenu({ lang: s.lang, page: 0, tries: 0 }, []);
    const upcoming = await this.ports.upcoming();
    const base: CallState = {
      lang: s.lang,
      page: 0,
      tries: 0,
      ...(upcoming[0] ? { clinic: upcoming[0].clinicId } : {}),
    };
    // Cancelled meanwhile (by SMS, by the clinic): nothing left to hear, cancel or move.
    if (upcoming.length === 0) return this.enter("state", base, digits === "4" ? [] : [w.appointmentGone]);
    switch (digits) {
      case REPEAT_KEY:
        return this.myAppointmentsMenu(s, upcoming, []);
      case "1":
        return this.myChoices(
          base,
          upcoming.map((a, i) => w.appointmentLine(i + 1, this.spokenAppointment(a))),
        );
      case "2":
      case "3":
        return this.whichAppointment(digits === "2" ? "cancel" : "move", base, upcoming, []);
      case "4":
        // At the limit a phone can still cancel or move; booking another waits until it is under.
        if (upcoming.length >= this.settings.maxActivePerPhone)
          return this.myChoices(base, [w.limitReachedMenu(this.settings.maxActivePerPhone)]);
        return this.enter("state", { lang: s.lang, page: 0, tries: 0 }, []);
    }
    const tries = s.tries + 1;
    if (tries >= MAX_TRIES) return hangup(w, w.goodbyeAfterRetries, "gave-up");
    return this.myChoices({ ...s, tries }, [digits ? w.notAChoice : w.noInput]);
  }

  /** With one appointment, straight on; with several, the caller picks it by day, time and doctor. */
  private async whichAppointment(
    act: "cancel" | "move",
    s: CallState,
    upcoming: readonly PatientAppointment[],
    notices: string[],
  ): Promise<IvrOutput> {
    if (upcoming.length === 1) return this.onAppointment(act, s, upcoming[0]!, notices);
    const w = this.words;
    const lines = menuLines(w, this.appointmentItems(upcoming), s.page);
    const question = act === "cancel" ? w.whichToCancel : w.whichToMove;
    return {
      verbs: this.gather(actionUrl(IVR_PATHS.pick, { ...s, act }), [[...notices, question], ...breaths(lines)]),
    };
  }

  private onAppointment(act: "cancel" | "move", s: CallState, a: PatientAppointment, notices: string[]) {
    return act === "cancel" ? this.askCancel(s, a, notices) : this.moveOffer(s, a, notices);
  }

  async atPick(s: CallState, digits: string | undefined): Promise<IvrOutput> {
    const w = this.words;
    const upcoming = await this.ports.upcoming();
    const base: CallState = { lang: s.lang, page: 0, tries: 0 };
    if (!s.act || upcoming.length === 0) return this.enter("state", base, [w.appointmentGone]);
    if (digits === REPEAT_KEY) return this.whichAppointment(s.act, s, upcoming, []);
    const choice = resolveChoice(this.appointmentItems(upcoming), s.page, digits);
    if (choice.kind === "page") return this.whichAppointment(s.act, { ...s, page: choice.page }, upcoming, []);
    if (choice.kind === "chosen")
      return this.onAppointment(
        s.act,
        base,
        upcoming.find((a) => a.id === choice.item.id)!,
        [],
      );
    const tries = s.tries + 1;
    if (tries >= MAX_TRIES) return hangup(w, w.goodbyeAfterRetries, "gave-up");
    const notice = choice.kind === "silent" ? w.noInput : w.notAChoice;
    return this.whichAppointment(s.act, { ...s, tries }, upcoming, [notice]);
  }

  /** "To cancel your appointment with Dr. X, tomorrow at 9:15 AM, press 1. To keep it, press 2." */
  private askCancel(s: CallState, a: PatientAppointment, notices: string[]): IvrOutput {
    const action = actionUrl(IVR_PATHS.cancel, { lang: s.lang, page: 0, tries: s.tries, act: "cancel", appt: a.id });
    const said = spokenSlot(this.words, a, this.ports.now(), a.timezone);
    return { verbs: this.gather(action, [[...notices, this.words.confirmCancel(said)]]) };
  }

  async atCancel(s: CallState, digits: string | undefined): Promise<IvrOutput> {
    const w = this.words;
    const base: CallState = { lang: s.lang, page: 0, tries: 0 };
    if (s.appt === undefined) return this.restart(base, [w.notAChoice]);
    if (digits === "1") {
      const cancelled = await this.ports.cancelAppointment(s.appt);
      if (!cancelled) return hangup(w, `${w.appointmentGone} ${w.goodbye}`, undefined);
      return hangup(w, `${w.cancelledByCall(this.spokenAppointment(cancelled))} ${w.goodbye}`, "cancelled");
    }
    const upcoming = await this.ports.upcoming();
    const target = upcoming.find((a) => a.id === s.appt);
    if (digits === "2" || !target) {
      const notice = target ? w.appointmentKept : w.appointmentGone;
      return upcoming.length > 0 ? this.myChoices(base, [notice]) : this.enter("state", base, [notice]);
    }
    if (digits === REPEAT_KEY) return this.askCancel(s, target, []);
    const tries = s.tries + 1;
    if (tries >= MAX_TRIES) return hangup(w, w.goodbyeAfterRetries, "gave-up");
    return this.askCancel({ ...s, tries }, target, [digits ? w.notAChoice : w.noInput]);
  }

  /** The first free time with the appointment's doctor (or its clinic, if the doctor left), offered as a move. */
  private async moveOffer(s: CallState, a: PatientAppointment, notices: string[]): Promise<IvrOutput> {
    const doctor = (await this.ports.doctors(a.clinicId)).find((d) => d.id === a.doctorId);
    const moving: CallState = {
      lang: s.lang,
      page: 0,
      tries: 0,
      act: "move",
      appt: a.id,
      clinic: a.clinicId,
      ...(doctor ? { spec: doctor.specializationId, doctor: doctor.id } : {}),
    };
    return this.offer(moving, notices, {});
  }

  private async moveTo(s: CallState, appointmentId: number, held: HeldSlot): Promise<IvrOutput> {
    const w = this.words;
    const result = await this.ports.move(held, appointmentId, {
      clinicId: s.clinic!,
      ...(s.spec !== undefined ? { specializationId: s.spec } : {}),
      ...(s.doctor !== undefined ? { doctorId: s.doctor } : {}),
    });
    const now = this.ports.now();
    switch (result.kind) {
      case "moved": {
        const { offer, token } = result.booking;
        const said = spokenSlot(w, { ...offer, doctorName: offer.doctor.name }, now, result.from.timezone);
        const text = `${w.moved({ ...said, token: w.spokenToken(token) })} ${w.goodbye}`;
        return hangup(w, text, "moved");
      }
      case "not-moved": {
        const said = spokenSlot(w, result.from, now, result.from.timezone);
        return hangup(w, `${w.notMoved(said)} ${w.goodbye}`, "not-moved");
      }
      case "gone":
        return hangup(w, `${w.appointmentGone} ${w.goodbye}`, undefined);
      case "hold-lost":
        return this.offer(s, [w.holdLost], { previous: held });
      case "same-time": {
        const clinic = (await this.ports.clinic(s.clinic!))!;
        return this.offerVerbs(s, clinic, result.offer, [w.sameTimeTaken]);
      }
      case "out-of-scope":
        return this.restart({ lang: s.lang, page: 0, tries: s.tries + 1 }, [w.notAChoice]);
      case "no-caller-id":
        await this.ports.release(held);
        return hangup(w, w.noCallerId, "no-caller-id");
    }
  }

  /** After the booking: star says the token once more; anything else says goodbye. */

  /**
   * What follows the token (and its repeat): the reason for the visit, asked once, skippable;
   * or goodbye when the question is off or the URL names no appointment. The booking is
   * committed by now: nothing the reason step does can touch it or its SMS.
   */
  private afterToken(appointmentId: number | undefined): VoiceVerb[] {
    const w = this.words;
    const reason = this.settings.reason;
    if (!reason?.enabled || appointmentId === undefined) return [say(w, w.goodbye), { kind: "Hangup" }];
    return askReasonVerbs(reason, {
      lang: this.language,
      ...(this.settings.voices[this.language] ? { voice: this.settings.voices[this.language]! } : {}),
      appointmentId,
      origin: reason.origin,
    });
  }

  /** After the booking: star says the token once more; then (or at once) the reason for the visit. */
  afterBooking(s: CallState, digits: string | undefined): IvrOutput {
    const w = this.words;
    const next = this.afterToken(s.appointment);
    if (digits === REPEAT_KEY && s.token) return { verbs: [say(w, w.tokenAgain(w.spokenToken(s.token))), ...next] };
    return { verbs: next };
  }
}
