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
 * Every word comes from the caller's catalogue (src/words); the flow stays language-free.
 *
 * In files: steps.ts (paths and keys), ports.ts (what the flow needs and answers),
 * flow-base.ts (asking a question), menu-flow.ts (welcome, language, menus), offer-flow.ts
 * (offers, booking, day choice, after the token), and here the returning caller's
 * appointments, the reception and runIvr, the entry point.
 */
import type { PatientAppointment } from "../booking/cancel.ts";
import type { HeldSlot } from "../booking/offer.ts";
import type { Named } from "../db/directory.ts";
import { nameIn } from "../db/display-names.ts";
import { localClock } from "../slots/calendar.ts";
import type { VoiceVerb } from "../twilio/twiml.ts";
import { wordsFor, type Catalogue, type Language, type SpokenAppointment } from "../words/index.ts";
import { spokenSlot } from "../words/slot.ts";
import { actionUrl, type CallState } from "./call-state.ts";
import { hangup } from "./flow-base.ts";
import { menuLines, REPEAT_KEY, resolveChoice } from "./menu.ts";
import { OfferFlow } from "./offer-flow.ts";
import { isOpen } from "./opening-hours.ts";
import type { FlowSettings, IvrInput, IvrOutput, IvrPorts } from "./ports.ts";
import { breaths, say } from "./speak.ts";
import {
  IVR_PATHS,
  MAX_TRIES,
  RECEPTION_KEY,
  RECEPTION_RING_SECONDS,
  RECEPTION_STEPS,
  SWITCH_LANGUAGE_KEY,
  type Step,
} from "./steps.ts";

export * from "./steps.ts";
export type * from "./ports.ts";

/** The apology a caller hears when anything fails on our side. */
export function apologyVerbs(words: Catalogue = wordsFor("en")): VoiceVerb[] {
  return [say(words, words.apology), { kind: "Hangup" }];
}

export async function runIvr(input: IvrInput, ports: IvrPorts, settings: FlowSettings): Promise<IvrOutput> {
  const flow = new CallFlow(input.state.lang, ports, settings);
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

/** The whole flow; this part: a returning caller's appointments (hear, cancel, move) and the reception. */
class CallFlow extends OfferFlow {
  protected withLanguage(language: Language): CallFlow {
    return new CallFlow(language, this.ports, this.settings);
  }

  /** An appointment as the caller hears it: doctor, clinic, day relative to today, time, spelt token. */
  protected spokenAppointment(a: PatientAppointment): SpokenAppointment {
    const slot = spokenSlot(this.words, a, this.ports.now(), a.timezone);
    const clinic = nameIn({ name: a.clinicName, displayNames: a.clinicDisplayNames }, this.language);
    return { ...slot, clinic, token: this.words.spokenToken(a.token) };
  }

  protected appointmentItems(upcoming: readonly PatientAppointment[]): Named[] {
    return upcoming.map((a) => {
      const { doctor, when } = spokenSlot(this.words, a, this.ports.now(), a.timezone);
      return { id: a.id, name: this.words.appointmentName(doctor, when) };
    });
  }

  /** The returning caller's choices: 1 hear all, 2 cancel, 3 move, 4 book a new one. */
  protected async myChoices(s: CallState, said: string[]): Promise<IvrOutput> {
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
  protected async askAgain(step: Step, s: CallState, notices: string[]): Promise<IvrOutput> {
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
  protected async whichAppointment(
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

  protected onAppointment(act: "cancel" | "move", s: CallState, a: PatientAppointment, notices: string[]) {
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
  protected askCancel(s: CallState, a: PatientAppointment, notices: string[]): IvrOutput {
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
  protected async moveOffer(s: CallState, a: PatientAppointment, notices: string[]): Promise<IvrOutput> {
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

  protected async moveTo(s: CallState, appointmentId: number, held: HeldSlot): Promise<IvrOutput> {
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
}
