/**
 * A returning caller's appointments (hear them, cancel one, move one) and the clinic's
 * reception (0 at a menu during its hours).
 */
import type { PatientAppointment } from "../stores/patients.ts";
import type { HeldSlot } from "../booking/offer.ts";
import type { Named } from "../db/directory.ts";
import { nameIn } from "../db/display-names.ts";
import { localClock } from "../slots/calendar.ts";
import type { SpokenAppointment } from "../words/index.ts";
import { spokenSlot } from "../words/slot.ts";
import { gather, hangup, hoursText, receptionHint, receptionHours, type Call } from "./call.ts";
import { actionUrl, type CallState } from "./call-state.ts";
import { menuLines, REPEAT_KEY, resolveChoice } from "./menu.ts";
import { isOpen } from "./opening-hours.ts";
import type { IvrOutput } from "./ports.ts";
import { breaths, say } from "./speak.ts";
import {
  IVR_PATHS,
  MAX_TRIES,
  RECEPTION_RING_SECONDS,
  RECEPTION_STEPS,
  SWITCH_LANGUAGE_KEY,
  type Step,
} from "./steps.ts";

/** An appointment as the caller hears it: doctor, clinic, day relative to today, time, spelt token. */
export function spokenAppointment(f: Call, a: PatientAppointment): SpokenAppointment {
  const slot = spokenSlot(f.words, a, f.ports.now(), a.timezone);
  const clinic = nameIn({ name: a.clinicName, displayNames: a.clinicDisplayNames }, f.language);
  return { ...slot, clinic, token: f.words.spokenToken(a.token) };
}

export function appointmentItems(f: Call, upcoming: readonly PatientAppointment[]): Named[] {
  return upcoming.map((a) => {
    const { doctor, when } = spokenSlot(f.words, a, f.ports.now(), a.timezone);
    return { id: a.id, name: f.words.appointmentName(doctor, when) };
  });
}

/** The returning caller's choices: 1 hear all, 2 cancel, 3 move, 4 book a new one. */
export async function myChoices(f: Call, s: CallState, said: string[]): Promise<IvrOutput> {
  const clinic = s.clinic === undefined ? undefined : await f.ports.clinic(s.clinic);
  const choices = [f.words.returningChoices, ...(clinic ? receptionHint(f, clinic) : [])];
  return { verbs: gather(f, actionUrl(IVR_PATHS.mine, s), [said, choices]) };
}

/** The returning caller's greeting: the next appointment, then what they can do (0: its clinic's reception). */
export function myAppointmentsMenu(
  f: Call,
  s: CallState,
  upcoming: readonly PatientAppointment[],
  notices: string[],
): Promise<IvrOutput> {
  const next = spokenAppointment(f, upcoming[0]!);
  const withClinic: CallState = { ...s, clinic: upcoming[0]!.clinicId };
  // A phone at its limit hears so at once, not after choosing to book (it may still cancel or move).
  const limit = f.settings.maxActivePerPhone;
  const atLimit = upcoming.length >= limit ? [f.words.limitReachedMenu(limit)] : [];
  return myChoices(f, withClinic, [...notices, f.words.nextAppointment(next, upcoming.length), ...atLimit]);
}

/** 0 at a menu: the clinic's reception during its hours, else its hours and the question again. */
export async function reception(f: Call, step: Step, s: CallState): Promise<IvrOutput | null> {
  const clinic = s.clinic === undefined ? undefined : await f.ports.clinic(s.clinic);
  const hours = clinic && receptionHours(f, clinic);
  // No number or no hours: 0 was never offered, so it is an ordinary wrong key.
  if (!clinic || !hours) return null;
  const w = f.words;
  if (!isOpen(hours, localClock(f.ports.now(), clinic.timezone)))
    return askAgain(f, step, s, [w.receptionClosed(hoursText(f, hours))]);
  const back = actionUrl(IVR_PATHS.reception, { ...s, ret: step });
  return {
    verbs: [
      say(w, w.connectingReception(nameIn(clinic, f.language))),
      { kind: "Dial", number: clinic.phone!, timeout: RECEPTION_RING_SECONDS, action: back },
    ],
    outcome: "reception",
  };
}

/** Back from the reception: goodbye after a conversation; otherwise the hours and the question again. */
export async function afterReception(f: Call, s: CallState, dialStatus: string | undefined): Promise<IvrOutput> {
  const w = f.words;
  const { ret, ...rest } = s;
  if (dialStatus === "completed") return hangup(w, w.goodbye, undefined);
  const step = ret && ret in IVR_PATHS ? (ret as Step) : undefined;
  if (!step || !RECEPTION_STEPS.has(step)) return f.go.restart(f, { ...rest, tries: 0 }, []);
  const clinic = rest.clinic === undefined ? undefined : await f.ports.clinic(rest.clinic);
  const hours = clinic && receptionHours(f, clinic);
  return askAgain(f, step, rest, hours ? [w.receptionNoAnswer(hoursText(f, hours))] : []);
}

/** A step's question again, as star asks it, after `notices`. */
export async function askAgain(f: Call, step: Step, s: CallState, notices: string[]): Promise<IvrOutput> {
  const again = await f.go.run({ step, state: s, digits: REPEAT_KEY }, f.ports, f.settings);
  return { ...again, verbs: [...(notices.length ? [say(f.words, notices.join(" "))] : []), ...again.verbs] };
}

export async function atMyAppointments(f: Call, s: CallState, digits: string | undefined): Promise<IvrOutput> {
  const w = f.words;
  if (s.switchable && digits === SWITCH_LANGUAGE_KEY)
    return f.go.languageMenu(f, { lang: s.lang, page: 0, tries: 0 }, []);
  const upcoming = await f.ports.upcoming();
  const base: CallState = {
    lang: s.lang,
    page: 0,
    tries: 0,
    ...(upcoming[0] ? { clinic: upcoming[0].clinicId } : {}),
  };
  // Cancelled meanwhile (by SMS, by the clinic): nothing left to hear, cancel or move.
  if (upcoming.length === 0) return f.go.enter(f, "state", base, digits === "4" ? [] : [w.appointmentGone]);
  switch (digits) {
    case REPEAT_KEY:
      return myAppointmentsMenu(f, s, upcoming, []);
    case "1":
      return myChoices(
        f,
        base,
        upcoming.map((a, i) => w.appointmentLine(i + 1, spokenAppointment(f, a))),
      );
    case "2":
    case "3":
      return whichAppointment(f, digits === "2" ? "cancel" : "move", base, upcoming, []);
    case "4":
      // At the limit a phone can still cancel or move; booking another waits until it is under.
      if (upcoming.length >= f.settings.maxActivePerPhone)
        return myChoices(f, base, [w.limitReachedMenu(f.settings.maxActivePerPhone)]);
      return f.go.enter(f, "state", { lang: s.lang, page: 0, tries: 0 }, []);
  }
  const tries = s.tries + 1;
  if (tries >= MAX_TRIES) return hangup(w, w.goodbyeAfterRetries, "gave-up");
  return myChoices(f, { ...s, tries }, [digits ? w.notAChoice : w.noInput]);
}

/** With one appointment, straight on; with several, the caller picks it by day, time and doctor. */
export async function whichAppointment(
  f: Call,
  act: "cancel" | "move",
  s: CallState,
  upcoming: readonly PatientAppointment[],
  notices: string[],
): Promise<IvrOutput> {
  if (upcoming.length === 1) return onAppointment(f, act, s, upcoming[0]!, notices);
  const w = f.words;
  const lines = menuLines(w, appointmentItems(f, upcoming), s.page);
  const question = act === "cancel" ? w.whichToCancel : w.whichToMove;
  return {
    verbs: gather(f, actionUrl(IVR_PATHS.pick, { ...s, act }), [[...notices, question], ...breaths(lines)]),
  };
}

export function onAppointment(f: Call, act: "cancel" | "move", s: CallState, a: PatientAppointment, notices: string[]) {
  return act === "cancel" ? askCancel(f, s, a, notices) : moveOffer(f, s, a, notices);
}

export async function atPick(f: Call, s: CallState, digits: string | undefined): Promise<IvrOutput> {
  const w = f.words;
  const upcoming = await f.ports.upcoming();
  const base: CallState = { lang: s.lang, page: 0, tries: 0 };
  if (!s.act || upcoming.length === 0) return f.go.enter(f, "state", base, [w.appointmentGone]);
  if (digits === REPEAT_KEY) return whichAppointment(f, s.act, s, upcoming, []);
  const choice = resolveChoice(appointmentItems(f, upcoming), s.page, digits);
  if (choice.kind === "page") return whichAppointment(f, s.act, { ...s, page: choice.page }, upcoming, []);
  if (choice.kind === "chosen")
    return onAppointment(
      f,
      s.act,
      base,
      upcoming.find((a) => a.id === choice.item.id)!,
      [],
    );
  const tries = s.tries + 1;
  if (tries >= MAX_TRIES) return hangup(w, w.goodbyeAfterRetries, "gave-up");
  const notice = choice.kind === "silent" ? w.noInput : w.notAChoice;
  return whichAppointment(f, s.act, { ...s, tries }, upcoming, [notice]);
}

/** "To cancel your appointment with Dr. X, tomorrow at 9:15 AM, press 1. To keep it, press 2." */
export function askCancel(f: Call, s: CallState, a: PatientAppointment, notices: string[]): IvrOutput {
  const action = actionUrl(IVR_PATHS.cancel, { lang: s.lang, page: 0, tries: s.tries, act: "cancel", appt: a.id });
  const said = spokenSlot(f.words, a, f.ports.now(), a.timezone);
  return { verbs: gather(f, action, [[...notices, f.words.confirmCancel(said)]]) };
}

export async function atCancel(f: Call, s: CallState, digits: string | undefined): Promise<IvrOutput> {
  const w = f.words;
  const base: CallState = { lang: s.lang, page: 0, tries: 0 };
  if (s.appt === undefined) return f.go.restart(f, base, [w.notAChoice]);
  if (digits === "1") {
    const cancelled = await f.ports.cancelAppointment(s.appt);
    if (!cancelled) return hangup(w, `${w.appointmentGone} ${w.goodbye}`, undefined);
    return hangup(w, `${w.cancelledByCall(spokenAppointment(f, cancelled))} ${w.goodbye}`, "cancelled");
  }
  const upcoming = await f.ports.upcoming();
  const target = upcoming.find((a) => a.id === s.appt);
  if (digits === "2" || !target) {
    const notice = target ? w.appointmentKept : w.appointmentGone;
    return upcoming.length > 0 ? myChoices(f, base, [notice]) : f.go.enter(f, "state", base, [notice]);
  }
  if (digits === REPEAT_KEY) return askCancel(f, s, target, []);
  const tries = s.tries + 1;
  if (tries >= MAX_TRIES) return hangup(w, w.goodbyeAfterRetries, "gave-up");
  return askCancel(f, { ...s, tries }, target, [digits ? w.notAChoice : w.noInput]);
}

/** The first free time with the appointment's doctor (or its clinic, if the doctor left), offered as a move. */
export async function moveOffer(f: Call, s: CallState, a: PatientAppointment, notices: string[]): Promise<IvrOutput> {
  const doctor = (await f.ports.doctors(a.clinicId)).find((d) => d.id === a.doctorId);
  const moving: CallState = {
    lang: s.lang,
    page: 0,
    tries: 0,
    act: "move",
    appt: a.id,
    clinic: a.clinicId,
    ...(doctor ? { spec: doctor.specializationId, doctor: doctor.id } : {}),
  };
  return f.go.offer(f, moving, notices, {});
}

export async function moveTo(f: Call, s: CallState, appointmentId: number, held: HeldSlot): Promise<IvrOutput> {
  const w = f.words;
  const result = await f.ports.move(held, appointmentId, {
    clinicId: s.clinic!,
    ...(s.spec !== undefined ? { specializationId: s.spec } : {}),
    ...(s.doctor !== undefined ? { doctorId: s.doctor } : {}),
  });
  const now = f.ports.now();
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
      return f.go.offer(f, s, [w.holdLost], { previous: held });
    case "same-time": {
      const clinic = (await f.ports.clinic(s.clinic!))!;
      return f.go.offerVerbs(f, s, clinic, result.offer, [w.sameTimeTaken]);
    }
    case "out-of-scope":
      return f.go.restart(f, { lang: s.lang, page: 0, tries: s.tries + 1 }, [w.notAChoice]);
    case "no-caller-id":
      await f.ports.release(held);
      return hangup(w, w.noCallerId, "no-caller-id");
  }
}
