/**
 * One step of a call, as the flow's functions share it: the caller's words, the ports and the
 * settings, and `go`, the flow's entry points (flow.ts fills it), so the modules call one another
 * through one table instead of importing each other in a circle. How a question is asked (keys,
 * and speech where the language listens), and the clinic's reception hours (0 is offered only
 * when they are known), are here.
 */
import type { HeldSlot, Offer } from "../booking/offer.ts";
import type { PatientAppointment } from "../stores/patients.ts";
import type { Clinic, Doctor } from "../db/directory.ts";
import { withPack } from "../prompts/speaker.ts";
import type { GatherChild, VoiceVerb } from "../providers/verbs.ts";
import { wordsFor, type Catalogue, type Language } from "../words/index.ts";
import { SPEECH_MODEL } from "../words/voices.ts";
import type { CallState } from "./call-state.ts";
import { parseOpeningHours, type OpeningHours } from "./opening-hours.ts";
import type { FlowSettings, IvrInput, IvrOutput, IvrPorts } from "./ports.ts";
import { languageOf, say, spoken } from "./speak.ts";
import type { Level } from "./steps.ts";

/** The flow's entry points that more than one module reaches (menus, offers, the returning caller). */
export interface Go {
  enter(f: Call, level: Level | "offer", s: CallState, notices: string[]): Promise<IvrOutput>;
  restart(f: Call, s: CallState, notices: string[]): Promise<IvrOutput>;
  languageMenu(f: Call, s: CallState, notices: string[]): IvrOutput;
  offer(
    f: Call,
    s: CallState,
    notices: string[],
    options: { after?: { date: string; minute: number }; previous?: HeldSlot },
    explain?: (found: Offer, clinic: Clinic) => string[],
  ): Promise<IvrOutput>;
  offerVerbs(
    f: Call,
    s: CallState,
    clinic: Clinic,
    offer: { doctor: Doctor; date: string; startMinute: number },
    notices: string[],
  ): Promise<IvrOutput>;
  myAppointmentsMenu(
    f: Call,
    s: CallState,
    upcoming: readonly PatientAppointment[],
    notices: string[],
  ): Promise<IvrOutput>;
  moveTo(f: Call, s: CallState, appointmentId: number, held: HeldSlot): Promise<IvrOutput>;
  /** Runs a whole step again (a question asked again after the reception). */
  run(input: IvrInput, ports: IvrPorts, settings: FlowSettings): Promise<IvrOutput>;
}

export interface Call {
  words: Catalogue;
  language: Language;
  ports: IvrPorts;
  settings: FlowSettings;
  /** Whether this call's menus accept speech as well as keys. */
  listens: boolean;
  go: Go;
  /**
   * Set on the greeting's call: its first question ends with the brief hints, after the options:
   * star to hear it again and, for a returning caller, # for each other language in its own voice.
   */
  greeting?: { switchable: boolean } | null;
}

/** A language's words as the line says them: from its recorded prompt pack where there is one. */
export function spokenWords(language: Language, settings: FlowSettings): Catalogue {
  return withPack(wordsFor(language, settings.voices[language]), settings.packs?.[language]);
}

/** The call in `language` (the caller chose it, or chose it before). */
export function callIn(language: Language, ports: IvrPorts, settings: FlowSettings, go: Go): Call {
  const words = spokenWords(language, settings);
  return { words, language: words.language, ports, settings, listens: settings.speechLanguages.includes(language), go };
}

export function hangup(words: Catalogue, text: string, outcome: IvrOutput["outcome"]): IvrOutput {
  return { verbs: [say(words, text), { kind: "Hangup" }], ...(outcome ? { outcome } : {}) };
}

/** A question, answered by keys or (where this language listens) by speech. */
export function question(f: Call, action: string, groups: string[][], hints: string[], timeout: number): VoiceVerb {
  const hintText = hints.join(", ").slice(0, 1000);
  const listening = f.listens
    ? {
        input: "dtmf speech" as const,
        speechTimeout: "auto" as const,
        speechModel: SPEECH_MODEL[f.language],
        ...(hintText ? { hints: hintText } : {}),
      }
    : { input: "dtmf" as const };
  return {
    kind: "Gather",
    numDigits: 1,
    // No finishing key: # is a key of its own (the language menu).
    finishOnKey: "",
    timeout,
    action,
    voice: languageOf(f.words),
    ...listening,
    children: [...spoken(f.words, groups), ...greetingHints(f)],
  };
}

/** Once, after the greeting's first options: "star: again", then # in every other language's voice. */
function greetingHints(f: Call): GatherChild[] {
  const greeting = f.greeting;
  if (!greeting) return [];
  f.greeting = null;
  const others = greeting.switchable ? f.settings.languages.filter((l) => l !== f.language) : [];
  return [
    { kind: "Pause", length: 1 },
    say(f.words, f.words.repeatHint),
    ...others.map((l) => {
      const words = spokenWords(l, f.settings);
      return say(words, words.switchLanguage);
    }),
  ];
}

/** Asks, and on silence comes back to the same handler with no Digits. */
export function gather(f: Call, action: string, groups: string[][], hints: string[] = []): VoiceVerb[] {
  return [question(f, action, groups, hints, 6), { kind: "Redirect", url: action }];
}

/** The clinic's reception hours, when it has a number and hours: 0 is offered only then. */
export function receptionHours(_f: Call, clinic: Clinic): OpeningHours | null {
  return clinic.phone ? parseOpeningHours(clinic.openingHours) : null;
}

export function receptionHint(f: Call, clinic: Clinic): string[] {
  return receptionHours(f, clinic) ? [f.words.receptionHint] : [];
}

export function hoursText(f: Call, hours: OpeningHours): string {
  return f.words.openingHours(hours.fromWeekday, hours.toWeekday, hours.opens, hours.closes);
}
