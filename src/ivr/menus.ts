/**
 * The menus: the welcome (language menu for a new caller, greeting for a returning one), then
 * state -> district -> clinic -> booking type -> [speciality -> doctor], each announced and
 * skipped when it has one choice. Each failed try counts; the third ends the call politely.
 */
import { allNames, nameIn } from "../db/display-names.ts";
import { wordsFor, type Catalogue, type Language } from "../words/index.ts";
import { callIn, gather, hangup, receptionHint, type Call } from "./call.ts";
import { actionUrl, type CallState } from "./call-state.ts";
import { languageMenuVerbs, spokenLanguageKey } from "./language-menu.ts";
import { menuLines, pageItems, REPEAT_KEY, resolveChoice } from "./menu.ts";
import type { IvrOutput } from "./ports.ts";
import { breaths, say } from "./speak.ts";
import { matchSpeech, menuOptions, UNMATCHED, type HeardSpeech } from "./speech.ts";
import { IVR_PATHS, MAX_TRIES, NEXT_LEVEL, SWITCH_LANGUAGE_KEY, type Level, type MenuItem } from "./steps.ts";
import { waitlistOfferMenu } from "./waitlist.ts";

/**
 * The first thing a caller hears. A withheld number cannot be booked for (no SMS, no way to
 * find the booking again), and a phone at its limit cannot book more: both are told at once,
 * not after the menus, in the caller's language (in every offered one when it is unknown).
 * Then a new number hears the language menu; a returning one is greeted in its language.
 */
export async function welcome(f: Call): Promise<IvrOutput> {
  const { languages } = f.settings;
  const caller = await f.ports.caller();
  if (caller.kind === "withheld") return inEveryLanguage(f, (w) => w.noCallerIdWelcome, "no-caller-id");
  const preferred = caller.language && languages.includes(caller.language) ? caller.language : undefined;
  const start = (language: Language, switchable: boolean) => {
    const flow = callIn(language, f.ports, f.settings, f.go);
    // The star and language hints come after the first question's options (call.ts).
    flow.greeting = { switchable };
    const notices = [flow.words.welcome];
    const s: CallState = { lang: language, page: 0, tries: 0, ...(switchable ? { switchable: true } : {}) };
    // A time held for this caller from the waitlist comes first: it lapses within minutes.
    if (caller.waitlistOffer) return waitlistOfferMenu(flow, s, caller.waitlistOffer, notices);
    // A caller with appointments hears the next one and what they can do with it first.
    if (caller.upcoming.length > 0) return f.go.myAppointmentsMenu(flow, s, caller.upcoming, notices);
    return enter(flow, "state", s, notices);
  };
  if (languages.length <= 1) return start(languages[0] ?? f.language, false);
  if (preferred) return start(preferred, true);
  return languageMenu(f, { lang: languages[0]!, page: 0, tries: 0 }, []);
}

/** One message said in each offered language, in its own voice, then goodbye. */
export function inEveryLanguage(f: Call, text: (w: Catalogue) => string, outcome: IvrOutput["outcome"]): IvrOutput {
  const says = f.settings.languages.map((l) => {
    const w = wordsFor(l, f.settings.voices[l]);
    return say(w, text(w));
  });
  return { verbs: [...says, { kind: "Hangup" }], ...(outcome ? { outcome } : {}) };
}

export function languageMenu(f: Call, s: CallState, notices: string[]): IvrOutput {
  const action = actionUrl(IVR_PATHS.language, { lang: s.lang, page: 0, tries: s.tries });
  return {
    verbs: languageMenuVerbs(f.settings, action, notices.length ? say(f.words, notices.join(" ")) : null),
  };
}

/** The caller answered the language menu. Silence (or giving up) goes on in the first language. */
export async function atLanguageMenu(
  f: Call,
  s: CallState,
  pressed: string | undefined,
  speech?: HeardSpeech,
): Promise<IvrOutput> {
  const { languages } = f.settings;
  const digits = speech ? (spokenLanguageKey(f.settings, speech, REPEAT_KEY) ?? UNMATCHED) : pressed;
  if (digits === REPEAT_KEY) return languageMenu(f, s, []);
  const key = Number(digits);
  const chosen = digits && /^\d$/.test(digits) ? languages[key - 1] : undefined;
  if (!chosen && digits && s.tries + 1 < MAX_TRIES) {
    const notice = digits === UNMATCHED ? f.words.notUnderstood : f.words.notAChoice;
    return languageMenu(f, { ...s, tries: s.tries + 1 }, [notice]);
  }
  const language = chosen ?? languages[0] ?? f.language;
  const [upcoming] = await Promise.all([f.ports.upcoming(), chosen ? f.ports.rememberLanguage(chosen) : undefined]);
  const flow = callIn(language, f.ports, f.settings, f.go);
  flow.greeting = { switchable: false };
  const start: CallState = { lang: language, page: 0, tries: 0 };
  const notices = [flow.words.welcome];
  if (upcoming.length > 0) return f.go.myAppointmentsMenu(flow, start, upcoming, notices);
  return enter(flow, "state", start, notices);
}

/** The choices of a level for this call state; null when the state does not lead there. */
export async function itemsOf(f: Call, level: Level, s: CallState): Promise<MenuItem[] | null> {
  const w = f.words;
  switch (level) {
    case "state":
      return f.ports.states();
    case "district":
      return s.state === undefined ? null : f.ports.districts(s.state);
    case "clinic":
      return s.district === undefined ? null : f.ports.clinics(s.district);
    case "bookingType":
      return s.clinic === undefined
        ? null
        : [
            { id: 1, name: "next" },
            { id: 2, name: "specialization" },
          ];
    case "specialization":
      return s.clinic === undefined ? null : f.ports.specializations(s.clinic);
    case "doctor": {
      if (s.clinic === undefined || s.spec === undefined) return null;
      const [doctors, specs] = await Promise.all([
        f.ports.doctors(s.clinic, s.spec),
        f.ports.specializations(s.clinic),
      ]);
      const spec = specs.find((x) => x.id === s.spec);
      if (!spec || doctors.length === 0) return null;
      // "Any doctor of it" is only a real choice when there are several.
      return doctors.length === 1
        ? doctors
        : [{ id: 0, name: w.anyDoctorOf(nameIn(spec, f.language)), anyOf: spec.id }, ...doctors];
    }
  }
}

export function prompt(f: Call, level: Level): string {
  const w = f.words;
  return {
    state: w.chooseState,
    district: w.chooseDistrict,
    clinic: w.chooseClinic,
    bookingType: "",
    specialization: w.chooseSpecialization,
    doctor: w.chooseDoctor,
  }[level];
}

export async function menu(
  f: Call,
  level: Level,
  s: CallState,
  items: MenuItem[],
  notices: string[],
): Promise<IvrOutput> {
  const action = actionUrl(IVR_PATHS[level], s);
  if (level === "bookingType") {
    const [clinic, doctors] = await Promise.all([f.ports.clinic(s.clinic!), f.ports.doctors(s.clinic!)]);
    if (!clinic) return restart(f, s, [f.words.notAChoice]);
    if (doctors.length === 0) {
      // Nothing to book here: back to the other clinics of the district, if it has any
      // (with a single clinic, going back would land right here again).
      const { clinic: _none, ...district } = s;
      const siblings = s.district === undefined ? [] : await f.ports.clinics(s.district);
      if (siblings.length <= 1) return hangup(f.words, f.words.noDoctorsAtAll, "no-slots");
      return enter(f, "clinic", { ...district, page: 0 }, [...notices, f.words.noDoctors]);
    }
    const question = [f.words.bookingType(nameIn(clinic, f.language)), ...receptionHint(f, clinic)];
    return { verbs: gather(f, action, [[...notices, ...question]]) };
  }
  const named = items.map((item) => ({ ...item, name: nameIn(item, f.language) }));
  const lines = menuLines(f.words, named, s.page);
  const hints = pageItems(items, s.page).flatMap(allNames);
  const clinic = s.clinic === undefined ? undefined : await f.ports.clinic(s.clinic);
  const person = clinic ? receptionHint(f, clinic) : [];
  return { verbs: gather(f, action, [[...notices, prompt(f, level)], ...breaths([...lines, ...person])], hints) };
}

export function restart(f: Call, s: CallState, notices: string[]): Promise<IvrOutput> {
  // Starting again never re-offers the language switch: that was for the greeting only.
  return enter(f, "state", { lang: s.lang, page: 0, tries: s.tries }, notices);
}

/** Arrives at a level: asks its question, or announces and skips a level with one choice. */
export async function enter(f: Call, level: Level | "offer", s: CallState, notices: string[]): Promise<IvrOutput> {
  if (level === "offer") return f.go.offer(f, s, notices, {});
  const items = await itemsOf(f, level, s);
  if (items === null || items.length === 0) {
    // A stale or tampered URL, or a place with nothing under it: back to the top, said plainly.
    if (level === "state") return hangup(f.words, f.words.apology, "fault");
    return restart(f, { ...s, tries: s.tries + 1 }, [...notices, f.words.notAChoice]);
  }
  if (items.length === 1 && level !== "bookingType") {
    const only = items[0]!;
    if (level === "doctor") return f.go.offer(f, { ...s, doctor: only.id }, notices, {});
    // Skipping a level is not the caller's choice: the greeting's switch key stays on offer.
    const next = { ...chosen(f, level, s, only), ...(s.switchable ? { switchable: true as const } : {}) };
    return enter(f, NEXT_LEVEL[level], next, [
      ...notices,
      f.words.onlyChoice(f.words.level[level], nameIn(only, f.language)),
    ]);
  }
  return menu(f, level, { ...s, page: 0 }, items, notices);
}

export function chosen(f: Call, level: Level, s: CallState, item: MenuItem): CallState {
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
export async function retry(
  f: Call,
  level: Level,
  s: CallState,
  items: MenuItem[],
  notice: string,
): Promise<IvrOutput> {
  const tries = s.tries + 1;
  if (tries >= MAX_TRIES) return hangup(f.words, f.words.goodbyeAfterRetries, "gave-up");
  return menu(f, level, { ...s, tries }, items, [notice]);
}

/** The key a spoken answer to this page of a menu stands for: an item's name, a number word, "again". */
export function heardKey(f: Call, level: Level, items: MenuItem[], page: number, speech: HeardSpeech): string {
  // The booking type's items are internal words, not names anyone says: numbers only.
  const names = pageItems(items, page).map((item) => (level === "bookingType" ? [] : allNames(item)));
  return matchSpeech(speech, menuOptions(f.words.speech, names)) ?? UNMATCHED;
}

export async function choose(
  f: Call,
  level: Level,
  s: CallState,
  digits: string | undefined,
  speech?: HeardSpeech,
): Promise<IvrOutput> {
  const items = await itemsOf(f, level, s);
  if (items === null || items.length === 0) return restart(f, { ...s, tries: s.tries + 1 }, [f.words.notAChoice]);
  const keys = speech ? heardKey(f, level, items, s.page, speech) : digits;
  if (keys === REPEAT_KEY) return menu(f, level, s, items, []);
  if (s.switchable && s.page === 0 && keys === SWITCH_LANGUAGE_KEY)
    return languageMenu(f, { lang: s.lang, page: 0, tries: 0 }, []);
  const choice = resolveChoice(items, s.page, keys);
  switch (choice.kind) {
    case "silent":
      return retry(f, level, s, items, f.words.noInput);
    case "invalid":
      return retry(f, level, s, items, keys === UNMATCHED ? f.words.notUnderstood : f.words.notAChoice);
    case "page":
      return menu(f, level, { ...s, page: choice.page }, items, []);
    case "chosen": {
      const next = chosen(f, level, s, choice.item);
      if (level === "bookingType")
        return choice.item.id === 1 ? f.go.offer(f, next, [], {}) : enter(f, "specialization", next, []);
      return enter(f, NEXT_LEVEL[level], next, []);
    }
  }
}
