/**
 * Offering a time and booking it: the earliest free time in scope is held and said; 1 books,
 * 2 the next time, 3 other times and days (a second menu: 1 the time heard before, 2 another
 * day, 3 morning, 4 afternoon or evening); after a booking the token is said twice, then the
 * reason for the visit is asked.
 */
import type { HeldSlot, Offer } from "../booking/offer.ts";
import type { Clinic, Doctor } from "../db/directory.ts";
import { nameIn } from "../db/display-names.ts";
import { askReasonVerbs } from "../reasons/ask.ts";
import { localClock } from "../slots/calendar.ts";
import type { VoiceVerb } from "../twilio/twiml.ts";
import { spokenDay, spokenSlot } from "../words/slot.ts";
import { actionUrl, MAX_BACK, type CallState } from "./call-state.ts";
import { dayFromKeys } from "./day-choice.ts";
import { hangup } from "./flow-base.ts";
import { MenuFlow } from "./menu-flow.ts";
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
} from "./steps.ts";

export abstract class OfferFlow extends MenuFlow {
  /** Moves the caller's appointment to the held time (flow.ts). */
  protected abstract moveTo(s: CallState, appointmentId: number, held: HeldSlot): Promise<IvrOutput>;

  /** The key an answer to the offer (or to "hear your token again") stands for. */
  offerKey(speech: HeardSpeech): string {
    return matchSpeech(speech, offerOptions(this.words.speech)) ?? UNMATCHED;
  }

  /** The doctors an offer may come from: one chosen doctor, any of a specialization, or the whole clinic. */
  protected async scope(s: CallState): Promise<{ clinic: Clinic; doctors: Doctor[] } | null> {
    if (s.clinic === undefined) return null;
    const [clinic, doctors] = await Promise.all([this.ports.clinic(s.clinic), this.ports.doctors(s.clinic, s.spec)]);
    if (!clinic) return null;
    const chosen = s.doctor === undefined ? doctors : doctors.filter((d) => d.id === s.doctor);
    return chosen.length > 0 ? { clinic, doctors: chosen } : null;
  }

  protected async offerVerbs(
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
      this.words,
      { doctorName: offer.doctor.name, date: offer.date, startMinute: offer.startMinute },
      this.ports.now(),
      clinic.timezone,
    );
    const { yes, no, restart } = this.words.speech;
    const question = [s.act === "move" ? this.words.moveOffer(words) : this.words.offer(words)];
    question.push(...this.receptionHint(clinic));
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

  /** The caller answered an offer: 1 book, 2 next time, 3 other times and days, 4 keep (moving); star: again. */
  async atOffer(s: CallState, digits: string | undefined, spoke = false): Promise<IvrOutput> {
    // Booking goes straight to the doctor-day object: it knows whether this call still holds
    // the time, and the directory is read meanwhile.
    if (!s.others && digits === "1" && s.hold && s.clinic !== undefined)
      return s.act === "move" && s.appt !== undefined ? this.moveTo(s, s.appt, s.hold) : this.book(s, s.hold);
    const scope = await this.scope(s);
    if (!scope) {
      if (s.hold) await this.ports.release(s.hold);
      return this.restart({ ...s, tries: s.tries + 1 }, [this.words.notAChoice]);
    }
    // What this call was offered, as its URL says (signed by Twilio): said again, not re-checked.
    const doctor = s.hold && scope.doctors.find((d) => d.id === s.hold!.doctorId);
    const shown = s.hold && doctor ? { doctor, date: s.hold.date, startMinute: s.hold.startMinute } : null;
    if (s.others) return this.atOtherTimes(s, scope, shown, digits, spoke);

    if (digits === REPEAT_KEY && shown) return this.offerVerbs(s, scope.clinic, shown, []);
    const keep = s.act === "move" && digits === KEEP_KEY;
    // With a time offered, 3 is "other times and days"; with none ("no free time"), 3 chooses again.
    if (digits === OTHER_TIMES_KEY && shown) return this.otherTimes(s, scope, []);
    if (digits === OTHER_TIMES_KEY || digits === RESTART_KEY || keep) {
      if (s.hold) await this.ports.release(s.hold);
      // Moving, starting again keeps the appointment as it is.
      if (s.act === "move") return hangup(this.words, `${this.words.appointmentKept} ${this.words.goodbye}`, undefined);
      return this.restart({ ...s, tries: 0 }, []);
    }
    if (digits === "2") {
      const after = shown ? { date: shown.date, minute: shown.startMinute } : undefined;
      return this.offer(this.onward(s), [], { ...(after ? { after } : {}), ...this.previous(s) });
    }
    return this.missedOffer(s, scope, shown, digits, spoke);
  }

  /** Every way on from a time heard keeps it, so "the previous time" can come back to it. */
  private onward(s: CallState): CallState {
    const { others: _closed, ...rest } = s;
    return s.hold ? { ...rest, back: [...(s.back ?? []), s.hold].slice(-MAX_BACK) } : rest;
  }

  private previous(s: CallState): { previous?: HeldSlot } {
    return s.hold ? { previous: s.hold } : {};
  }

  /**
   * A miss (silence, a wrong key, speech not understood): `askAgain` with the try counted and why,
   * or after the last try goodbye, letting the held time go.
   */
  private async missed(
    s: CallState,
    digits: string | undefined,
    spoke: boolean,
    askAgain: (tries: number, notice: string) => Promise<IvrOutput>,
  ): Promise<IvrOutput> {
    const tries = s.tries + 1;
    if (tries >= MAX_TRIES) {
      if (s.hold) await this.ports.release(s.hold);
      return hangup(this.words, this.words.goodbyeAfterRetries, "gave-up");
    }
    return askAgain(tries, spoke ? this.words.notUnderstood : digits ? this.words.notAChoice : this.words.noInput);
  }

  /** Silence, a wrong key, or 1 with nothing offered: the offer again. */
  private missedOffer(
    s: CallState,
    scope: { clinic: Clinic; doctors: Doctor[] },
    shown: { doctor: Doctor; date: string; startMinute: number } | null,
    digits: string | undefined,
    spoke: boolean,
  ): Promise<IvrOutput> {
    const { others: _closed, ...rest } = s;
    return this.missed(s, digits, spoke, (tries, notice) =>
      shown
        ? this.offerVerbs({ ...rest, tries }, scope.clinic, shown, [notice])
        : this.offer({ ...rest, tries }, [notice], this.previous(s)),
    );
  }

  /**
   * The second menu: 1 the previous time, 2 another day, 3 morning, 4 afternoon or evening. When
   * moving to one doctor with colleagues and no earlier time was heard, 1 is any doctor of the
   * same speciality instead.
   */
  protected async otherTimes(
    s: CallState,
    scope: { clinic: Clinic; doctors: Doctor[] },
    notices: string[],
  ): Promise<IvrOutput> {
    const withPrevious = (s.back ?? []).length > 0;
    const anyDoctor = withPrevious ? [] : await this.anyDoctorHint(s);
    const lines = [this.words.otherTimes(withPrevious), ...anyDoctor, ...this.receptionHint(scope.clinic)];
    const hints = [...this.words.speech.numbers.slice(1, 5).flat(), ...this.words.speech.repeat];
    return {
      verbs: this.gather(actionUrl(IVR_PATHS.confirm, { ...s, others: true }), [[...notices, ...lines]], hints),
    };
  }

  private async atOtherTimes(
    s: CallState,
    scope: { clinic: Clinic; doctors: Doctor[] },
    shown: { doctor: Doctor; date: string; startMinute: number } | null,
    digits: string | undefined,
    spoke: boolean,
  ): Promise<IvrOutput> {
    const onward = this.onward(s);
    const previous = this.previous(s);
    const { others: _closed, ...here } = s;
    if (digits === REPEAT_KEY) return this.otherTimes(s, scope, []);
    if (digits === ANY_DOCTOR_KEY && !(s.back ?? []).length && s.act === "move" && s.doctor !== undefined) {
      const { doctor: _same, hold: _offered, ...anyDoctor } = onward;
      return this.offer({ ...anyDoctor, tries: 0 }, [], previous);
    }
    if (digits === PREVIOUS_TIME_KEY && shown) return this.previousTime(here, scope, shown);
    if (digits === ANOTHER_DAY_KEY) return this.askDay(here, []);
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
    return this.missed(s, digits, spoke, (tries, notice) => this.otherTimes({ ...s, tries }, scope, [notice]));
  }

  protected async book(s: CallState, held: HeldSlot): Promise<IvrOutput> {
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
  protected async previousTime(
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
  protected askDay(s: CallState, notices: string[]): IvrOutput {
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
  protected async anyDoctorHint(s: CallState): Promise<string[]> {
    if (s.doctor === undefined || s.spec === undefined || s.clinic === undefined) return [];
    const [doctors, specs] = await Promise.all([
      this.ports.doctors(s.clinic, s.spec),
      this.ports.specializations(s.clinic),
    ]);
    const spec = specs.find((x) => x.id === s.spec);
    if (!spec || doctors.length < 2) return [];
    return [this.words.moveAnyDoctor(nameIn(spec, this.language), ANY_DOCTOR_KEY)];
  }

  /**
   * What follows the token (and its repeat): the reason for the visit, asked once, skippable;
   * or goodbye when the question is off or the URL names no appointment. The booking is
   * committed by now: nothing the reason step does can touch it or its SMS.
   */
  protected afterToken(appointmentId: number | undefined): VoiceVerb[] {
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
