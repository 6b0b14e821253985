/**
 * The menus: the welcome (language menu for a new caller, greeting for a returning one), then
 * state -> district -> clinic -> booking type -> [speciality -> doctor], each announced and
 * skipped when it has one choice. Each failed try counts; the third ends the call politely.
 */
import type { HeldSlot, Offer } from "../booking/offer.ts";
import type { PatientAppointment } from "../booking/cancel.ts";
import type { Clinic } from "../db/directory.ts";
import { allNames, nameIn } from "../db/display-names.ts";
import { wordsFor, type Catalogue, type Language } from "../words/index.ts";
import { actionUrl, type CallState } from "./call-state.ts";
import { FlowBase, hangup } from "./flow-base.ts";
import { languageMenuVerbs, spokenLanguageKey } from "./language-menu.ts";
import { menuLines, pageItems, REPEAT_KEY, resolveChoice } from "./menu.ts";
import type { IvrOutput } from "./ports.ts";
import { breaths, say } from "./speak.ts";
import { matchSpeech, menuOptions, UNMATCHED, type HeardSpeech } from "./speech.ts";
import { IVR_PATHS, MAX_TRIES, NEXT_LEVEL, SWITCH_LANGUAGE_KEY, type Level, type MenuItem } from "./steps.ts";

export abstract class MenuFlow extends FlowBase {
  /** The same flow in another language (the caller chose it, or chose it before). */
  protected abstract withLanguage(language: Language): MenuFlow;
  /** The returning caller's greeting (flow.ts). */
  abstract myAppointmentsMenu(
    s: CallState,
    upcoming: readonly PatientAppointment[],
    notices: string[],
  ): Promise<IvrOutput>;
  /** Holds the earliest free time in scope and offers it (offer-flow.ts). */
  abstract offer(
    s: CallState,
    notices: string[],
    options: { after?: { date: string; minute: number }; previous?: HeldSlot },
    explain?: (found: Offer, clinic: Clinic) => string[],
  ): Promise<IvrOutput>;

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
      const flow = this.withLanguage(language);
      flow.greeting = { switchable };
      const notices = [flow.words.welcome];
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
  protected inEveryLanguage(text: (w: Catalogue) => string, outcome: IvrOutput["outcome"]): IvrOutput {
    const says = this.settings.languages.map((l) => {
      const w = wordsFor(l, this.settings.voices[l]);
      return say(w, text(w));
    });
    return { verbs: [...says, { kind: "Hangup" }], ...(outcome ? { outcome } : {}) };
  }

  protected languageMenu(s: CallState, notices: string[]): IvrOutput {
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
    const flow = this.withLanguage(language);
    flow.greeting = { switchable: false };
    const start: CallState = { lang: language, page: 0, tries: 0 };
    const notices = [flow.words.welcome];
    if (upcoming.length > 0) return flow.myAppointmentsMenu(start, upcoming, notices);
    return flow.enter("state", start, notices);
  }

  /** The choices of a level for this call state; null when the state does not lead there. */
  protected async items(level: Level, s: CallState): Promise<MenuItem[] | null> {
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

  protected prompt(level: Level): string {
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

  protected async menu(level: Level, s: CallState, items: MenuItem[], notices: string[]): Promise<IvrOutput> {
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

  protected restart(s: CallState, notices: string[]): Promise<IvrOutput> {
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

  protected chosen(level: Level, s: CallState, item: MenuItem): CallState {
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
  protected async retry(level: Level, s: CallState, items: MenuItem[], notice: string): Promise<IvrOutput> {
    const tries = s.tries + 1;
    if (tries >= MAX_TRIES) return hangup(this.words, this.words.goodbyeAfterRetries, "gave-up");
    return this.menu(level, { ...s, tries }, items, [notice]);
  }

  /** The key a spoken answer to this page of a menu stands for: an item's name, a number word, "again". */
  protected heardKey(level: Level, items: MenuItem[], page: number, speech: HeardSpeech): string {
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
}
