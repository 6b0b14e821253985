/**
 * The call flow: given the step the provider asked for, the call state from the URL and the
 * keys pressed, decide what the caller hears next. Storage and slot allocation come in through
 * `IvrPorts`, so the flow knows menus and words, not D1 or Durable Objects.
 *
 * welcome -> [language] -> state -> district -> clinic -> booking type -> [specialization -> doctor] -> offer -> booked
 *   -> [token again] -> reason for the visit (src/reasons, its own routes) -> goodbye
 * A new caller first chooses a language (each option said in its own language and voice); a
 * returning caller is greeted in the language they chose before, with # to change it.
 * A level with one choice is announced and skipped. Each failed try (silence, a wrong key or
 * speech we could not match) counts; the third ends the call politely, so no loop can run
 * forever. Star repeats the question and is not a miss.
 * Every word comes from the caller's catalogue (src/words); the flow stays language-free.
 *
 * In files: steps.ts (paths and keys), ports.ts (what the flow needs and answers), call.ts (one
 * step's context and asking a question), menus.ts (welcome, language, menus), offers.ts (offers,
 * booking, day choice, after the token), returning.ts (a returning caller's appointments, the
 * reception), and here the table of steps and runIvr, the entry point.
 */
import type { VoiceVerb } from "../providers/verbs.ts";
import { wordsFor, type Catalogue } from "../words/index.ts";
import { callIn, type Call, type Go } from "./call.ts";
import { atLanguageMenu, choose, enter, languageMenu, restart, welcome } from "./menus.ts";
import { afterBooking, atDay, atOffer, offer, offerKey, offerVerbs } from "./offers.ts";
import type { FlowSettings, IvrInput, IvrOutput, IvrPorts } from "./ports.ts";
import {
  afterReception,
  atCancel,
  atMyAppointments,
  atPick,
  moveTo,
  myAppointmentsMenu,
  reception,
} from "./returning.ts";
import { answerOutbound, atOutboundKey } from "./outbound.ts";
import { say } from "./speak.ts";
import { atWaitlistOffer } from "./waitlist.ts";
import { RECEPTION_KEY, RECEPTION_STEPS, type Step } from "./steps.ts";

export * from "./steps.ts";
export type * from "./ports.ts";

/** The apology a caller hears when anything fails on our side. */
export function apologyVerbs(words: Catalogue = wordsFor("en")): VoiceVerb[] {
  return [say(words, words.apology), { kind: "Hangup" }];
}

/** What answers each step: the keys (or the speech, where this call listens) in, what the caller hears out. */
const STEPS: Record<Step, (f: Call, input: IvrInput, speech: IvrInput["speech"]) => Promise<IvrOutput>> = {
  welcome: (f) => welcome(f),
  // The language menu listens in its own recogniser's language, whatever the call's.
  language: (f, i) => atLanguageMenu(f, i.state, i.digits, i.digits ? undefined : i.speech),
  state: (f, i, speech) => choose(f, "state", i.state, i.digits, speech),
  district: (f, i, speech) => choose(f, "district", i.state, i.digits, speech),
  clinic: (f, i, speech) => choose(f, "clinic", i.state, i.digits, speech),
  bookingType: (f, i, speech) => choose(f, "bookingType", i.state, i.digits, speech),
  specialization: (f, i, speech) => choose(f, "specialization", i.state, i.digits, speech),
  doctor: (f, i, speech) => choose(f, "doctor", i.state, i.digits, speech),
  confirm: (f, i, speech) => atOffer(f, i.state, speech ? offerKey(f, speech) : i.digits, Boolean(speech)),
  booked: async (f, i, speech) => afterBooking(f, i.state, speech ? offerKey(f, speech) : i.digits),
  mine: (f, i) => atMyAppointments(f, i.state, i.digits),
  pick: (f, i) => atPick(f, i.state, i.digits),
  cancel: (f, i) => atCancel(f, i.state, i.digits),
  day: (f, i) => atDay(f, i.state, i.digits),
  reception: (f, i) => afterReception(f, i.state, i.dialStatus),
  outbound: (f, i) => answerOutbound(f, i.state, Boolean(i.machine)),
  outboundKey: (f, i) => atOutboundKey(f, i.state, i.digits),
  waitlist: (f, i) => atWaitlistOffer(f, i.state, i.digits),
};

/** The entry points the modules reach one another through. */
const GO: Go = { enter, restart, languageMenu, offer, offerVerbs, myAppointmentsMenu, moveTo, run: runIvr };

export async function runIvr(input: IvrInput, ports: IvrPorts, settings: FlowSettings): Promise<IvrOutput> {
  const f = callIn(input.state.lang, ports, settings, GO);
  // Keys win when the provider sends both; speech only counts where this language listens for it.
  const speech = input.digits || !f.listens ? undefined : input.speech;
  if (input.step !== "reception" && input.digits === RECEPTION_KEY && RECEPTION_STEPS.has(input.step)) {
    const connected = await reception(f, input.step, input.state);
    if (connected) return connected;
  }
  return STEPS[input.step](f, input, speech);
}
