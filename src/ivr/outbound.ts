/**
 * The answered outbound call: the line called the patient (src/calls), and what they hear and
 * may press depends on why. Each purpose is one entry of ANSWERED (the reminder here; a waitlist
 * offer adds its own), reached through two steps: `outbound` (the provider's answer request) and
 * `outboundKey` (a key pressed). Cancel and move go on through the returning caller's own steps
 * (askCancel, moveOffer), so they go through the booking service exactly as from that menu; 0 is
 * the clinic's reception, as at every menu (flow.ts, RECEPTION_STEPS).
 */
import type { CallPurpose } from "../db/schema.ts";
import { gather, hangup, receptionHint, type Call } from "./call.ts";
import { actionUrl, type CallState } from "./call-state.ts";
import { REPEAT_KEY } from "./menu.ts";
import type { IvrOutput, OutboundAnswer } from "./ports.ts";
import { askCancel, moveOffer, spokenAppointment } from "./returning.ts";
import { IVR_PATHS, MAX_TRIES } from "./steps.ts";

/** What an answered call of one purpose says first, and what each key does. */
export interface AnsweredCall {
  greet(f: Call, s: CallState, call: OutboundAnswer, notices: string[]): Promise<IvrOutput>;
  key(f: Call, s: CallState, call: OutboundAnswer, digits: string | undefined): Promise<IvrOutput>;
}

/** Nothing to say: a call the line does not know (or a machine) hears nothing and is hung up. */
const SILENT: IvrOutput = { verbs: [{ kind: "Hangup" }] };

/** The reminder: doctor, clinic, day, time and token; 1 confirm, 2 cancel, 3 move, 0 the clinic, 9 stop these calls. */
const reminder: AnsweredCall = {
  async greet(f, s, call, notices) {
    const a = call.appointment;
    if (!a) return hangup(f.words, f.words.appointmentGone, undefined);
    const clinic = await f.ports.clinic(a.clinicId);
    const state: CallState = { lang: s.lang, page: 0, tries: s.tries, o: call.id, clinic: a.clinicId, appt: a.id };
    const choices = [f.words.reminderChoices, ...(clinic ? receptionHint(f, clinic) : [])];
    const said = [...notices, f.words.reminderCall(spokenAppointment(f, a))];
    return { verbs: gather(f, actionUrl(IVR_PATHS.outboundKey, state), [said, choices]) };
  },
  async key(f, s, call, digits) {
    const w = f.words;
    const a = call.appointment;
    if (!a) return hangup(w, w.appointmentGone, undefined);
    const base: CallState = { lang: s.lang, page: 0, tries: 0 };
    switch (digits) {
      case "1": {
        // A second press, a replayed request: the first confirmation stands, and is said again.
        const confirmed = await f.ports.confirmAppointment(a.id);
        if (!confirmed) return hangup(w, w.appointmentGone, undefined);
        await f.ports.noteOutbound(call.id, "confirmed");
        return hangup(w, w.reminderConfirmed, "confirmed");
      }
      case "2":
        await f.ports.noteOutbound(call.id, "cancel");
        return askCancel(f, base, a, []);
      case "3":
        await f.ports.noteOutbound(call.id, "move");
        return moveOffer(f, base, a, []);
      case "9":
        await f.ports.stopReminderCalls();
        await f.ports.noteOutbound(call.id, "opted-out");
        return hangup(w, w.reminderCallsStopped, "opted-out");
      case REPEAT_KEY:
        return reminder.greet(f, s, call, []);
    }
    const tries = s.tries + 1;
    if (tries >= MAX_TRIES) return hangup(w, w.goodbyeAfterRetries, "gave-up");
    return reminder.greet(f, { ...s, tries }, call, [digits ? w.notAChoice : w.noInput]);
  },
};

export const ANSWERED: Record<CallPurpose, AnsweredCall> = { reminder };

/** The provider's answer request: the call is noted answered, and its purpose speaks. */
export async function answerOutbound(f: Call, s: CallState, machine: boolean): Promise<IvrOutput> {
  const call = await f.ports.outboundCall(
    { ...(s.o !== undefined ? { id: s.o } : {}), ...(s.n !== undefined ? { attempt: s.n } : {}) },
    { machine },
  );
  // A machine gets no message (the retry, then the SMS, will remind); an unknown call, nothing.
  if (!call || machine) return SILENT;
  return ANSWERED[call.purpose].greet(f, { ...s, tries: 0 }, call, []);
}

/** A key pressed on the answered call. */
export async function atOutboundKey(f: Call, s: CallState, digits: string | undefined): Promise<IvrOutput> {
  const call = s.o === undefined ? null : await f.ports.outboundCall({ id: s.o });
  if (!call) return SILENT;
  return ANSWERED[call.purpose].key(f, s, call, digits);
}
