/**
 * The call flow: given the step Twilio asked for, the call state from the URL and the keys
 * pressed, decide what the caller hears next. Storage and slot allocation come in through
 * `IvrPorts`, so this file knows menus and words, not D1 or Durable Objects.
 *
 * welcome -> state -> district -> clinic -> booking type -> [specialization -> doctor] -> offer -> booked
 * A level with one choice is announced and skipped. Each failed try (silence or a wrong key)
 * counts; the third ends the call politely, so no loop can run forever.
 */
import type { ConfirmResult } from "../booking/book.ts";
import type { HeldSlot, Offer } from "../booking/offer.ts";
import { slotWords } from "../booking/words.ts";
import { spokenToken } from "../booking/token.ts";
import type { Clinic, Doctor, Named } from "../db/directory.ts";
import { askReasonVerbs, type ReasonSettings } from "../reasons/ask.ts";
import type { GatherChild, VoiceVerb } from "../twilio/twiml.ts";
import { actionUrl, type CallState } from "./call-state.ts";
import { menuLines, resolveChoice } from "./menu.ts";
import { prompts, type Catalogue } from "./prompts.ts";

export const MAX_TRIES = 3;

export const IVR_PATHS = {
  welcome: "/api/ivr/welcome/",
  state: "/api/ivr/handle-state/",
  district: "/api/ivr/handle-district/",
  clinic: "/api/ivr/handle-clinic/",
  bookingType: "/api/ivr/handle-booking-type/",
  specialization: "/api/ivr/handle-specialization/",
  doctor: "/api/ivr/handle-doctor/",
  confirm: "/api/ivr/confirm-booking/",
} as const;

export type Step = keyof typeof IVR_PATHS;
type Level = Exclude<Step, "welcome" | "confirm">;

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
  currentHold(clinic: Clinic, doctor: Doctor, held: HeldSlot): Promise<Offer | null>;
  release(held: HeldSlot): Promise<void>;
  confirm(clinic: Clinic, offer: Offer): Promise<ConfirmResult | { kind: "no-caller-id" }>;
  /** Who is calling: a number the line can book for (and how many upcoming appointments it has), or not. */
  caller(): Promise<{ kind: "withheld" } | { kind: "known"; upcoming: number }>;
  now(): Date;
}

export interface IvrInput {
  step: Step;
  state: CallState;
  /** Keys pressed; undefined or "" when the caller said nothing. */
  digits: string | undefined;
}

export interface IvrOutput {
  verbs: VoiceVerb[];
  /** How the call ended, when this answer ends it. */
  outcome?: "booked" | "gave-up" | "no-caller-id" | "limit-reached" | "no-slots" | "fault";
}

export interface FlowSettings {
  horizonDays: number;
  maxActivePerPhone: number;
  /** The reason-for-visit question after a booking, with the origin its callbacks go to; absent = not asked. */
  reason?: ReasonSettings & { origin: string };
}

type MenuItem = Named & { anyOf?: number };

/** The words for one language and the voice that speaks them. */
function say(words: Catalogue, text: string): GatherChild {
  return { kind: "Say", text, voice: words.voice };
}

function gather(words: Catalogue, action: string, lines: string[]): VoiceVerb[] {
  return [
    {
      kind: "Gather",
      input: "dtmf",
      numDigits: 1,
      timeout: 6,
      action,
      voice: words.voice,
      children: [say(words, lines.join(" "))],
    },
    // Silence falls through the Gather to here: the same handler, with no Digits.
    { kind: "Redirect", url: action },
  ];
}

function hangup(words: Catalogue, text: string, outcome: IvrOutput["outcome"]): IvrOutput {
  return { verbs: [say(words, text), { kind: "Hangup" }], ...(outcome ? { outcome } : {}) };
}

/** The apology a caller hears when anything fails on our side. */
export function apologyVerbs(words: Catalogue = prompts("en")): VoiceVerb[] {
  return [say(words, words.apology), { kind: "Hangup" }];
}

export async function runIvr(input: IvrInput, ports: IvrPorts, settings: FlowSettings): Promise<IvrOutput> {
  const words = prompts(input.state.lang);
  const flow = new Flow(words, ports, settings);
  if (input.step === "welcome") return flow.welcome(input.state);
  if (input.step === "confirm") return flow.atOffer(input.state, input.digits);
  return flow.choose(input.step, input.state, input.digits);
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

  constructor(words: Catalogue, ports: IvrPorts, settings: FlowSettings) {
    this.words = words;
    this.ports = ports;
    this.settings = settings;
  }

  /**
   * The first thing a caller hears. A withheld number cannot be booked for (no SMS, no way to
   * find the booking again), and a phone at its limit cannot book more: both are told at once,
   * not after the menus.
   */
  async welcome(s: CallState): Promise<IvrOutput> {
    const caller = await this.ports.caller();
    if (caller.kind === "withheld") return hangup(this.words, this.words.noCallerIdWelcome, "no-caller-id");
    if (caller.upcoming >= this.settings.maxActivePerPhone)
      return hangup(this.words, this.words.tooManyAppointments(this.settings.maxActivePerPhone), "limit-reached");
    return this.enter("state", { lang: s.lang, page: 0, tries: 0 }, [this.words.welcome]);
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
        return doctors.length === 1 ? doctors : [{ id: 0, name: w.anyDoctorOf(spec.name), anyOf: spec.id }, ...doctors];
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
      return { verbs: gather(this.words, action, [...notices, this.words.bookingType(clinic.name)]) };
    }
    return {
      verbs: gather(this.words, action, [...notices, this.prompt(level), ...menuLines(this.words, items, s.page)]),
    };
  }

  private restart(s: CallState, notices: string[]): Promise<IvrOutput> {
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
      return this.enter(NEXT_LEVEL[level], this.chosen(level, s, only), [
        ...notices,
        this.words.onlyChoice(this.words.level[level], only.name),
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

  async choose(level: Level, s: CallState, digits: string | undefined): Promise<IvrOutput> {
    const items = await this.items(level, s);
    if (items === null || items.length === 0)
      return this.restart({ ...s, tries: s.tries + 1 }, [this.words.notAChoice]);
    const choice = resolveChoice(items, s.page, digits);
    switch (choice.kind) {
      case "silent":
        return this.retry(level, s, items, this.words.noInput);
      case "invalid":
        return this.retry(level, s, items, this.words.notAChoice);
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

  private offerVerbs(s: CallState, clinic: Clinic, offer: Offer, notices: string[]): IvrOutput {
    const held: CallState = {
      ...s,
      page: 0,
      hold: { doctorId: offer.doctor.id, date: offer.date, startMinute: offer.startMinute },
    };
    const words = slotWords(
      this.words,
      { doctorName: offer.doctor.name, date: offer.date, startMinute: offer.startMinute },
      this.ports.now(),
      clinic.timezone,
    );
    return { verbs: gather(this.words, actionUrl(IVR_PATHS.confirm, held), [...notices, this.words.offer(words)]) };
  }

  /** Holds the earliest free slot in scope and offers it. */
  async offer(
    s: CallState,
    notices: string[],
    options: { after?: { date: string; minute: number }; previous?: HeldSlot },
  ): Promise<IvrOutput> {
    const scope = await this.scope(s);
    if (!scope) return this.restart({ ...s, tries: s.tries + 1 }, [...notices, this.words.notAChoice]);
    const offer = await this.ports.holdEarliest(scope.clinic, scope.doctors, options);
    const { hold: _dropped, ...rest } = s;
    if (!offer) {
      // After "next time", nothing later is not the same as nothing at all.
      const said = options.after ? this.words.noLaterSlots : this.words.noSlots(this.settings.horizonDays);
      return {
        verbs: gather(this.words, actionUrl(IVR_PATHS.confirm, rest), [...notices, said]),
        outcome: "no-slots",
      };
    }
    return this.offerVerbs(rest, scope.clinic, offer, notices);
  }

  /** The caller answered an offer: 1 book, 2 next time, 3 start again. */
  async atOffer(s: CallState, digits: string | undefined): Promise<IvrOutput> {
    const scope = await this.scope(s);
    if (!scope) {
      if (s.hold) await this.ports.release(s.hold);
      return this.restart({ ...s, tries: s.tries + 1 }, [this.words.notAChoice]);
    }
    const doctor = s.hold && scope.doctors.find((d) => d.id === s.hold!.doctorId);
    const current = s.hold && doctor ? await this.ports.currentHold(scope.clinic, doctor, s.hold) : null;

    if (digits === "3") {
      if (s.hold) await this.ports.release(s.hold);
      return this.restart({ ...s, tries: 0 }, []);
    }
    if (digits === "2") {
      const after = current ? { date: current.date, minute: current.startMinute } : undefined;
      return this.offer(s, [], { ...(after ? { after } : {}), ...(s.hold ? { previous: s.hold } : {}) });
    }
    if (digits === "1" && s.hold) {
      if (!current) return this.offer(s, [this.words.holdLost], { previous: s.hold });
      return this.book(s, scope.clinic, current);
    }
    // Silence, a wrong key, or 1 with nothing offered.
    const tries = s.tries + 1;
    if (tries >= MAX_TRIES) {
      if (s.hold) await this.ports.release(s.hold);
      return hangup(this.words, this.words.goodbyeAfterRetries, "gave-up");
    }
    const notice = digits ? this.words.notAChoice : this.words.noInput;
    if (current) return this.offerVerbs({ ...s, tries }, scope.clinic, current, [notice]);
    return this.offer(
      { ...s, tries },
      [notice, ...(s.hold ? [this.words.holdLost] : [])],
      s.hold ? { previous: s.hold } : {},
    );
  }

  private async book(s: CallState, clinic: Clinic, offer: Offer): Promise<IvrOutput> {
    const result = await this.ports.confirm(clinic, offer);
    const w = this.words;
    switch (result.kind) {
      case "booked": {
        const said = slotWords(
          w,
          { doctorName: offer.doctor.name, date: offer.date, startMinute: offer.startMinute },
          this.ports.now(),
          clinic.timezone,
        );
        const bookedLine = w.booked({ ...said, token: spokenToken(result.booking.token) });
        const reason = this.settings.reason;
        if (!reason?.enabled) return hangup(w, bookedLine, "booked");
        // The booking is committed: the reason question comes after it and cannot touch it.
        const ask = askReasonVerbs(reason, {
          lang: s.lang,
          appointmentId: result.booking.appointmentId,
          origin: reason.origin,
        });
        return { verbs: [say(w, bookedLine), ...ask], outcome: "booked" };
      }
      case "hold-lost":
        return this.offer(s, [w.holdLost], {
          previous: s.hold!,
          ...(result.skipPast ? { after: result.skipPast } : {}),
        });
      case "no-caller-id":
        await this.ports.release(s.hold!);
        return hangup(w, w.noCallerId, "no-caller-id");
      case "limit-reached":
        await this.ports.release(s.hold!);
        return hangup(w, w.tooManyAppointments(result.limit), "limit-reached");
      case "same-time":
        return this.offerVerbs(s, clinic, offer, [w.sameTimeTaken]);
    }
  }
}
