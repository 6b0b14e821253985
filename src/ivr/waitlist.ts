/**
 * A waiting caller whose freed time is held for them hears it first when they call (1 take it,
 * 2 pass it to the next in line). Taking it is a booking like any other (token, SMS). Joining
 * the waitlist is in waitlist-join.ts.
 */
import { DEFAULT_TIMEZONE, localClock } from "../slots/calendar.ts";
import type { LiveOffer } from "../stores/waitlist.ts";
import { spokenSlot } from "../words/slot.ts";
import { gather, hangup, type Call } from "./call.ts";
import { actionUrl, type CallState } from "./call-state.ts";
import { REPEAT_KEY } from "./menu.ts";
import { bookedAnswer } from "./offers.ts";
import type { IvrOutput } from "./ports.ts";
import { IVR_PATHS, MAX_TRIES, PASS_HELD_KEY, SWITCH_LANGUAGE_KEY, TAKE_HELD_KEY } from "./steps.ts";

/** A returning caller's held time, said before anything else: 1 take it, 2 pass it on. */
export function waitlistOfferMenu(f: Call, s: CallState, offer: LiveOffer, notices: string[]): IvrOutput {
  const said = spokenSlot(f.words, offer, f.ports.now(), offer.timezone);
  const until = localClock(new Date(offer.expiresAtMs), offer.timezone).minute;
  const state: CallState = { lang: s.lang, page: 0, tries: s.tries, wl: offer.id, clinic: offer.clinicId };
  if (s.switchable) state.switchable = true;
  // The line called them (ivr/outbound.ts): its outbox row notes what they chose.
  if (s.o !== undefined) state.o = s.o;
  return {
    verbs: gather(f, actionUrl(IVR_PATHS.waitlist, state), [[...notices, f.words.waitlistOffer({ ...said, until })]]),
  };
}

/** The caller answered their held time. Anything but 1 or 2 asks again; the third miss says goodbye (the time stays held until it lapses). */
export async function atWaitlistOffer(f: Call, s: CallState, digits: string | undefined): Promise<IvrOutput> {
  const w = f.words;
  const base: CallState = { lang: s.lang, page: 0, tries: 0 };
  if (s.wl === undefined) return f.go.restart(f, base, [w.notAChoice]);
  const called = s.o;
  /** After the held time: on the line's own call, the call ends; on the patient's call, their menu. */
  const onwards = async (notices: string[], outcome: "passed" | "hold-lost") =>
    called === undefined ? afterOffer(f, base, notices) : hangup(w, notices.join(" "), outcome);
  if (s.switchable && digits === SWITCH_LANGUAGE_KEY) return f.go.languageMenu(f, base, []);
  if (digits === TAKE_HELD_KEY) {
    const result = await f.ports.takeWaitlistOffer(s.wl);
    if (called !== undefined) await f.ports.noteOutbound(called, result.kind === "booked" ? "taken" : result.kind);
    if (result.kind === "booked") return bookedAnswer(f, base, result.booking, await timezoneOf(f, s));
    // Taken by nobody else: the hold lapsed, the day closed, or the phone already has that time.
    if (result.kind === "no-caller-id") return hangup(w, w.noCallerId, "no-caller-id");
    if (result.kind === "limit-reached") {
      // This phone cannot take it: the next in line can, now rather than when the window ends.
      await f.ports.passWaitlistOffer(s.wl);
      return hangup(w, w.tooManyAppointments(result.limit), "limit-reached");
    }
    return onwards([w.holdLost], "hold-lost");
  }
  if (digits === PASS_HELD_KEY) {
    const passed = await f.ports.passWaitlistOffer(s.wl);
    if (called !== undefined && passed) await f.ports.noteOutbound(called, "passed");
    return onwards([passed ? w.waitlistPassed : w.holdLost], passed ? "passed" : "hold-lost");
  }
  const offer = await f.ports.waitlistOffer();
  if (!offer || offer.id !== s.wl) return onwards([w.holdLost], "hold-lost");
  if (digits === REPEAT_KEY) return waitlistOfferMenu(f, s, offer, []);
  const tries = s.tries + 1;
  if (tries >= MAX_TRIES) return hangup(w, w.goodbyeAfterRetries, "gave-up");
  return waitlistOfferMenu(f, { ...s, tries }, offer, [digits ? w.notAChoice : w.noInput]);
}

async function timezoneOf(f: Call, s: CallState): Promise<string> {
  const clinic = s.clinic === undefined ? undefined : await f.ports.clinic(s.clinic);
  return clinic?.timezone ?? DEFAULT_TIMEZONE;
}

/** After the held time on the patient's own call: their appointments, or the first menu. */
async function afterOffer(f: Call, s: CallState, notices: string[]): Promise<IvrOutput> {
  const upcoming = await f.ports.upcoming();
  if (upcoming.length > 0) return f.go.myAppointmentsMenu(f, s, upcoming, notices);
  return f.go.enter(f, "state", s, notices);
}
