/**
 * Offering a time and booking it: the earliest free time in scope is held and said; 1 books,
 * 2 the next time, 3 other times and days (a second menu: 1 the time heard before, 2 another
 * day, 3 morning, 4 afternoon or evening); after a booking the token is said twice, then the
 * reason for the visit is asked.
 */
import type { Booking } from "../booking/book.ts";
import type { HeldSlot, Offer } from "../booking/offer.ts";
import type { Clinic, Doctor } from "../db/directory.ts";
import { nameIn } from "../db/display-names.ts";
import type { VoiceVerb } from "../providers/verbs.ts";
import { askReasonVerbs } from "./reason-step.ts";
import { localClock } from "../slots/calendar.ts";
import { spokenDay, spokenSlot } from "../words/slot.ts";
import { gather, hangup, question, receptionHint, type Call } from "./call.ts";
import { actionUrl, MAX_BACK, type CallState } from "./call-state.ts";
import { dayFromKeys } from "./day-choice.ts";
import { REPEAT_KEY } from "./menu.ts";
import type { IvrOutput } from "./ports.ts";
import { languageOf, say, spoken } from "./speak.ts";
import { matchSpeech, offerOptions, UNMATCHED, type HeardSpeech } from "./speech.ts";
import {
  AFTERNOON_KEY,
  ANOTHER_DAY_KEY,
  ANY_DOCTOR_KEY,
  IVR_PATHS,
  KEEP_KEY,
  MAX_TRIES,
  MORNING_KEY,
  NOON,
  OTHER_TIMES_KEY,
  PREVIOUS_TIME_KEY,
  RESTART_KEY,
  WAITLIST_KEY,
} from "./steps.ts";
import { joinWaitlist, waitlistHint } from "./waitlist-join.ts";

/** The key an answer to the offer (or to "hear your token again") stands for. */
export function offerKey(f: Call, speech: HeardSpeech): string {
  return matchSpeech(speech, offerOptions(f.words.speech)) ?? UNMATCHED;
}

/** The doctors an offer may come from: one chosen doctor, any of a specialization, or the whole clinic. */
export async function scopeOf(f: Call, s: CallState): Promise<{ clinic: Clinic; doctors: Doctor[] } | null> {
  if (s.clinic === undefined) return null;
  const [clinic, doctors] = await Promise.all([f.ports.clinic(s.clinic), f.ports.doctors(s.clinic, s.spec)]);
  if (!clinic) return null;
  const chosen = s.doctor === undefined ? doctors : doctors.filter((d) => d.id === s.doctor);
  return chosen.length > 0 ? { clinic, doctors: chosen } : null;
}

export async function offerVerbs(
  f: Call,
  s: CallState,
  clinic: Clinic,
  offer: { doctor: Doctor; date: string; startMinute: number },
  notices: string[],
): Promise<IvrOutput> {
  const { others: _closed, ...offered } = s;
  const held: CallState = {
    ...offered,
    page: 0,
    hold: { doctorId: offer.doctor.id, date: offer.date, startMinute: offer.startMinute },
  };
  const words = spokenSlot(
    f.words,
    { doctorName: offer.doctor.name, date: offer.date, startMinute: offer.startMinute },
    f.ports.now(),
    clinic.timezone,
  );
  const { yes, no, restart } = f.words.speech;
  const question = [s.act === "move" ? f.words.moveOffer(words) : f.words.offer(words)];
  // A time on another day than the one asked for: 5 waits for that day instead.
  if (s.want && offer.date !== s.want) question.push(...waitlistHint(f, s, clinic, false));
  question.push(...receptionHint(f, clinic));
  return {
    held: held.hold!,
    verbs: gather(f, actionUrl(IVR_PATHS.confirm, held), [[...notices, ...question]], [...yes, ...no, ...restart]),
  };
}

/** Holds the earliest free slot in scope and offers it. */
export async function offer(
  f: Call,
  s: CallState,
  notices: string[],
  options: { after?: { date: string; minute: number }; previous?: HeldSlot },
  /** What to say before a time found this way, e.g. "there is no free time on that day". */
  explain: (found: Offer, clinic: Clinic) => string[] = () => [],
): Promise<IvrOutput> {
  const scope = await scopeOf(f, s);
  if (!scope) return f.go.restart(f, { ...s, tries: s.tries + 1 }, [...notices, f.words.notAChoice]);
  const offer = await f.ports.holdEarliest(scope.clinic, scope.doctors, options);
  const { hold: _dropped, ...rest } = s;
  if (!offer) {
    // After "next time", nothing later is not the same as nothing at all.
    const said = options.after ? f.words.noLaterSlots : f.words.noSlots(f.settings.horizonDays);
    const wait = waitlistHint(f, rest, scope.clinic, !options.after);
    return {
      verbs: gather(f, actionUrl(IVR_PATHS.confirm, rest), [[...notices, said, ...wait]]),
      outcome: "no-slots",
    };
  }
  return offerVerbs(f, rest, scope.clinic, offer, [...notices, ...explain(offer, scope.clinic)]);
}

/** The caller answered an offer: 1 book, 2 next time, 3 other times and days, 4 keep (moving); star: again. */
export async function atOffer(f: Call, s: CallState, digits: string | undefined, spoke = false): Promise<IvrOutput> {
  // Booking goes straight to the doctor-day object: it knows whether this call still holds
  // the time, and the directory is read meanwhile.
  if (!s.others && digits === "1" && s.hold && s.clinic !== undefined)
    return s.act === "move" && s.appt !== undefined ? f.go.moveTo(f, s, s.appt, s.hold) : book(f, s, s.hold);
  const scope = await scopeOf(f, s);
  if (!scope) {
    if (s.hold) await f.ports.release(s.hold);
    return f.go.restart(f, { ...s, tries: s.tries + 1 }, [f.words.notAChoice]);
  }
  // What this call was offered, as its URL says (signed by the provider): said again, not re-checked.
  const doctor = s.hold && scope.doctors.find((d) => d.id === s.hold!.doctorId);
  const shown = s.hold && doctor ? { doctor, date: s.hold.date, startMinute: s.hold.startMinute } : null;
  if (s.others) return atOtherTimes(f, s, scope, shown, digits, spoke);

  if (digits === REPEAT_KEY && shown) return offerVerbs(f, s, scope.clinic, shown, []);
  if (
    digits === WAITLIST_KEY &&
    waitlistHint(f, s, scope.clinic, !shown).length > 0 &&
    (!shown || shown.date !== s.want)
  )
    return joinWaitlist(f, s, scope.clinic);
  const keep = s.act === "move" && digits === KEEP_KEY;
  // With a time offered, 3 is "other times and days"; with none ("no free time"), 3 chooses again.
  if (digits === OTHER_TIMES_KEY && shown) return otherTimes(f, s, scope, []);
  if (digits === OTHER_TIMES_KEY || digits === RESTART_KEY || keep) {
    if (s.hold) await f.ports.release(s.hold);
    // Moving, starting again keeps the appointment as it is.
    if (s.act === "move") return hangup(f.words, `${f.words.appointmentKept} ${f.words.goodbye}`, undefined);
    return f.go.restart(f, { ...s, tries: 0 }, []);
  }
  if (digits === "2") {
    const after = shown ? { date: shown.date, minute: shown.startMinute } : undefined;
    return offer(f, onward(s), [], { ...(after ? { after } : {}), ...previousOf(s) });
  }
  return missedOffer(f, s, scope, shown, digits, spoke);
}

/** Every way on from a time heard keeps it, so "the previous time" can come back to it. */
function onward(s: CallState): CallState {
  const { others: _closed, ...rest } = s;
  return s.hold ? { ...rest, back: [...(s.back ?? []), s.hold].slice(-MAX_BACK) } : rest;
}

function previousOf(s: CallState): { previous?: HeldSlot } {
  return s.hold ? { previous: s.hold } : {};
}

/**
 * A miss (silence, a wrong key, speech not understood): `askAgain` with the try counted and why,
 * or after the last try goodbye, letting the held time go.
 */
async function missed(
  f: Call,
  s: CallState,
  digits: string | undefined,
  spoke: boolean,
  askAgain: (tries: number, notice: string) => Promise<IvrOutput>,
): Promise<IvrOutput> {
  const tries = s.tries + 1;
  if (tries >= MAX_TRIES) {
    if (s.hold) await f.ports.release(s.hold);
    return hangup(f.words, f.words.goodbyeAfterRetries, "gave-up");
  }
  return askAgain(tries, spoke ? f.words.notUnderstood : digits ? f.words.notAChoice : f.words.noInput);
}

type Scope = { clinic: Clinic; doctors: Doctor[] };
type Shown = { doctor: Doctor; date: string; startMinute: number };

/** Silence, a wrong key, or 1 with nothing offered: the offer again. */
function missedOffer(
  f: Call,
  s: CallState,
  scope: Scope,
  shown: Shown | null,
  digits: string | undefined,
  spoke: boolean,
): Promise<IvrOutput> {
  const { others: _closed, ...rest } = s;
  return missed(f, s, digits, spoke, (tries, notice) =>
    shown
      ? offerVerbs(f, { ...rest, tries }, scope.clinic, shown, [notice])
      : offer(f, { ...rest, tries }, [notice], previousOf(s)),
  );
}

/**
 * The second menu: 1 the previous time, 2 another day, 3 morning, 4 afternoon or evening. When
 * moving to one doctor with colleagues and no earlier time was heard, 1 is any doctor of the
 * same speciality instead.
 */
export async function otherTimes(f: Call, s: CallState, scope: Scope, notices: string[]): Promise<IvrOutput> {
  const withPrevious = (s.back ?? []).length > 0;
  const anyDoctor = withPrevious ? [] : await anyDoctorHint(f, s);
  const lines = [f.words.otherTimes(withPrevious), ...anyDoctor, ...receptionHint(f, scope.clinic)];
  const hints = [...f.words.speech.numbers.slice(1, 5).flat(), ...f.words.speech.repeat];
  return {
    verbs: gather(f, actionUrl(IVR_PATHS.confirm, { ...s, others: true }), [[...notices, ...lines]], hints),
  };
}

async function atOtherTimes(
  f: Call,
  s: CallState,
  scope: Scope,
  shown: Shown | null,
  digits: string | undefined,
  spoke: boolean,
): Promise<IvrOutput> {
  const next = onward(s);
  const previous = previousOf(s);
  const { others: _closed, ...here } = s;
  if (digits === REPEAT_KEY) return otherTimes(f, s, scope, []);
  if (digits === ANY_DOCTOR_KEY && !(s.back ?? []).length && s.act === "move" && s.doctor !== undefined) {
    const { doctor: _same, hold: _offered, ...anyDoctor } = next;
    return offer(f, { ...anyDoctor, tries: 0 }, [], previous);
  }
  if (digits === PREVIOUS_TIME_KEY && shown) return previousTime(f, here, scope, shown);
  if (digits === ANOTHER_DAY_KEY) return askDay(f, here, []);
  if (digits === MORNING_KEY || digits === AFTERNOON_KEY) {
    const date = shown?.date ?? localClock(f.ports.now(), scope.clinic.timezone).date;
    const said = (clinic: Clinic) => spokenDay(date, f.ports.now(), clinic.timezone);
    if (digits === MORNING_KEY)
      return offer(f, next, [], { after: { date, minute: -1 }, ...previous }, (found, clinic) =>
        found.date !== date || found.startMinute >= NOON ? [f.words.noMorningOn(said(clinic))] : [],
      );
    return offer(f, next, [], { after: { date, minute: NOON - 1e-6 }, ...previous }, (found, clinic) =>
      found.date !== date ? [f.words.noAfternoonOn(said(clinic))] : [],
    );
  }
  return missed(f, s, digits, spoke, (tries, notice) => otherTimes(f, { ...s, tries }, scope, [notice]));
}

/** The booking said: doctor, day, time and token (twice), the SMS to come, then star or the reason for the visit. */
export function bookedAnswer(f: Call, s: CallState, booking: Booking, timezone: string): IvrOutput {
  const w = f.words;
  const { offer, token, appointmentId: appointment } = booking;
  const said = spokenSlot(
    w,
    { doctorName: offer.doctor.name, date: offer.date, startMinute: offer.startMinute },
    f.ports.now(),
    timezone,
  );
  const again = actionUrl(IVR_PATHS.booked, { lang: s.lang, page: 0, tries: 0, token, appointment });
  return {
    verbs: [
      say(w, w.booked({ ...said, token: w.spokenToken(token) })),
      say(w, booking.texted ? w.textWillFollow : w.noTextToThisNumber),
      // Star (or "again") hears the token once more; silence falls through to the reason
      // for the visit (or, with REASON_CAPTURE=off, to goodbye).
      question(f, again, [[w.hearTokenAgain]], [], 4),
      ...afterToken(f, appointment),
    ],
    outcome: "booked",
  };
}

export async function book(f: Call, s: CallState, held: HeldSlot): Promise<IvrOutput> {
  const result = await f.ports.confirm(held, {
    clinicId: s.clinic!,
    ...(s.spec !== undefined ? { specializationId: s.spec } : {}),
    ...(s.doctor !== undefined ? { doctorId: s.doctor } : {}),
  });
  const w = f.words;
  switch (result.kind) {
    case "booked":
      return bookedAnswer(f, s, result.booking, (await f.ports.clinic(s.clinic!))!.timezone);
    case "hold-lost":
      return offer(f, s, [w.holdLost], {
        previous: held,
        ...(result.skipPast ? { after: result.skipPast } : {}),
      });
    case "out-of-scope":
      return f.go.restart(f, { ...s, tries: s.tries + 1 }, [w.notAChoice]);
    case "no-caller-id":
      await f.ports.release(held);
      return hangup(w, w.noCallerId, "no-caller-id");
    case "limit-reached":
      await f.ports.release(held);
      return hangup(w, w.tooManyAppointments(result.limit), "limit-reached");
    case "same-time": {
      const clinic = (await f.ports.clinic(s.clinic!))!;
      return offerVerbs(f, s, clinic, result.offer, [w.sameTimeTaken]);
    }
  }
}

/** Back to the time heard before this one, if it is still free; else the next free time after it. */
export async function previousTime(
  f: Call,
  s: CallState,
  scope: { clinic: Clinic; doctors: Doctor[] },
  shown: { doctor: Doctor; date: string; startMinute: number },
): Promise<IvrOutput> {
  const back = s.back ?? [];
  const target = back.at(-1);
  const doctor = target && scope.doctors.find((d) => d.id === target.doctorId);
  if (!target || !doctor) return offerVerbs(f, s, scope.clinic, shown, [f.words.noEarlierTime]);
  const { back: _all, ...rest } = s;
  const earlier: CallState = back.length > 1 ? { ...rest, back: back.slice(0, -1) } : rest;
  const again = await f.ports.holdAt(scope.clinic, doctor, target, s.hold);
  if (again) return offerVerbs(f, earlier, scope.clinic, again, []);
  // Taken meanwhile: the first free time after it (the time just heard, or one between).
  return offer(f, earlier, [f.words.holdLost], {
    after: { date: target.date, minute: target.startMinute },
    ...(s.hold ? { previous: s.hold } : {}),
  });
}

/** "For today, press 1 and then hash ...": keys up to # (no numDigits), silence comes back here. */
export function askDay(f: Call, s: CallState, notices: string[]): IvrOutput {
  const action = actionUrl(IVR_PATHS.day, s);
  return {
    verbs: [
      {
        kind: "Gather",
        finishOnKey: "#",
        timeout: 8,
        action,
        voice: languageOf(f.words),
        input: "dtmf",
        children: spoken(f.words, [[...notices, f.words.askDay]]),
      },
      { kind: "Redirect", url: action },
    ],
  };
}

/** The caller entered a day: its first free time in scope, or why not, and the question again. */
export async function atDay(f: Call, s: CallState, digits: string | undefined): Promise<IvrOutput> {
  const w = f.words;
  const scope = await scopeOf(f, s);
  if (!scope) {
    if (s.hold) await f.ports.release(s.hold);
    return f.go.restart(f, { ...s, tries: s.tries + 1 }, [w.notAChoice]);
  }
  if (digits === REPEAT_KEY) return askDay(f, s, []);
  const now = f.ports.now();
  const today = localClock(now, scope.clinic.timezone).date;
  const day = dayFromKeys(digits, today, f.settings.horizonDays);
  if (day.kind === "date") {
    const asked: CallState = { ...s, want: day.date };
    const onward: CallState = s.hold
      ? { ...asked, tries: 0, back: [...(s.back ?? []), s.hold].slice(-MAX_BACK) }
      : asked;
    return offer(
      f,
      onward,
      [],
      { after: { date: day.date, minute: -1 }, ...(s.hold ? { previous: s.hold } : {}) },
      (found, clinic) => (found.date !== day.date ? [w.noTimeOn(spokenDay(day.date, now, clinic.timezone))] : []),
    );
  }
  const tries = s.tries + 1;
  if (tries >= MAX_TRIES) {
    if (s.hold) await f.ports.release(s.hold);
    return hangup(w, w.goodbyeAfterRetries, "gave-up");
  }
  const notice = {
    silent: w.noInput,
    invalid: w.notADay,
    passed: w.dayPassed,
    "too-far": w.dayTooFar(f.settings.horizonDays),
  }[day.kind];
  return askDay(f, { ...s, tries }, [notice]);
}

/** "To hear any Paediatrics doctor of this clinic, press 1" (in the second menu): only while moving to one doctor who has colleagues. */
export async function anyDoctorHint(f: Call, s: CallState): Promise<string[]> {
  if (s.doctor === undefined || s.spec === undefined || s.clinic === undefined) return [];
  const [doctors, specs] = await Promise.all([f.ports.doctors(s.clinic, s.spec), f.ports.specializations(s.clinic)]);
  const spec = specs.find((x) => x.id === s.spec);
  if (!spec || doctors.length < 2) return [];
  return [f.words.moveAnyDoctor(nameIn(spec, f.language), ANY_DOCTOR_KEY)];
}

/**
 * What follows the token (and its repeat): the reason for the visit, asked once, skippable;
 * or goodbye when the question is off or the URL names no appointment. The booking is
 * committed by now: nothing the reason step does can touch it or its SMS.
 */
export function afterToken(f: Call, appointmentId: number | undefined): VoiceVerb[] {
  const w = f.words;
  const reason = f.settings.reason;
  if (!reason?.enabled || appointmentId === undefined) return [say(w, w.goodbye), { kind: "Hangup" }];
  return askReasonVerbs(reason, {
    lang: f.language,
    ...(f.settings.voices[f.language] ? { voice: f.settings.voices[f.language]! } : {}),
    // From the call's prompt pack where it has one: the question is played like every other prompt.
    words: w,
    appointmentId,
    origin: reason.origin,
  });
}

/** After the booking: star says the token once more; then (or at once) the reason for the visit. */
export function afterBooking(f: Call, s: CallState, digits: string | undefined): IvrOutput {
  const w = f.words;
  const next = afterToken(f, s.appointment);
  if (digits === REPEAT_KEY && s.token) return { verbs: [say(w, w.tokenAgain(w.spokenToken(s.token))), ...next] };
  return { verbs: next };
}
