/**
 * What every part of the call flow shares: the caller's words, the ports and the settings,
 * how a question is asked (keys, and speech where the language listens), and the clinic's
 * reception hours (0 is offered only when they are known).
 */
import type { Clinic } from "../db/directory.ts";
import { withPack } from "../prompts/speaker.ts";
import type { GatherChild, VoiceVerb } from "../twilio/twiml.ts";
import { wordsFor, type Catalogue, type Language } from "../words/index.ts";
import { SPEECH_MODEL } from "../words/voices.ts";
import { parseOpeningHours, type OpeningHours } from "./opening-hours.ts";
import type { FlowSettings, IvrOutput, IvrPorts } from "./ports.ts";
import { languageOf, say, spoken } from "./speak.ts";

export function hangup(words: Catalogue, text: string, outcome: IvrOutput["outcome"]): IvrOutput {
  return { verbs: [say(words, text), { kind: "Hangup" }], ...(outcome ? { outcome } : {}) };
}

export abstract class FlowBase {
  protected readonly words: Catalogue;
  protected readonly ports: IvrPorts;
  protected readonly settings: FlowSettings;
  /** Whether this call's menus accept speech as well as keys. */
  readonly listens: boolean;
  /**
   * Set on the greeting's flow: its first question ends with the brief hints, after the options:
   * star to hear it again and, for a returning caller, # for each other language in its own voice.
   */
  greeting: { switchable: boolean } | null = null;

  constructor(language: Language, ports: IvrPorts, settings: FlowSettings) {
    this.words = withPack(wordsFor(language, settings.voices[language]), settings.packs?.[language]);
    this.ports = ports;
    this.settings = settings;
    this.listens = settings.speechLanguages.includes(language);
  }

  protected get language(): Language {
    return this.words.language;
  }

  /** A question, answered by keys or (where this language listens) by speech. */
  protected question(action: string, groups: string[][], hints: string[], timeout: number): VoiceVerb {
    const hintText = hints.join(", ").slice(0, 1000);
    const listening = this.listens
      ? {
          input: "dtmf speech" as const,
          speechTimeout: "auto" as const,
          speechModel: SPEECH_MODEL[this.language],
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
      voice: languageOf(this.words),
      ...listening,
      children: [...spoken(this.words, groups), ...this.greetingHints()],
    };
  }

  /** Once, after the greeting's first options: "star: again", then # in every other language's voice. */
  private greetingHints(): GatherChild[] {
    const greeting = this.greeting;
    if (!greeting) return [];
    this.greeting = null;
    const others = greeting.switchable ? this.settings.languages.filter((l) => l !== this.language) : [];
    return [
      { kind: "Pause", length: 1 },
      say(this.words, this.words.repeatHint),
      ...others.map((l) => {
        const words = withPack(wordsFor(l, this.settings.voices[l]), this.settings.packs?.[l]);
        return say(words, words.switchLanguage);
      }),
    ];
  }

  /** Asks, and on silence comes back to the same handler with no Digits. */
  protected gather(action: string, groups: string[][], hints: string[] = []): VoiceVerb[] {
    return [this.question(action, groups, hints, 6), { kind: "Redirect", url: action }];
  }

  /** The clinic's reception hours, when it has a number and hours: 0 is offered only then. */
  protected receptionHours(clinic: Clinic): OpeningHours | null {
    return clinic.phone ? parseOpeningHours(clinic.openingHours) : null;
  }

  protected receptionHint(clinic: Clinic): string[] {
    return this.receptionHours(clinic) ? [this.words.receptionHint] : [];
  }

  protected hoursText(hours: OpeningHours): string {
    return this.words.openingHours(hours.fromWeekday, hours.toWeekday, hours.opens, hours.closes);
  }
}
