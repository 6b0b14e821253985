/**
 * Joining the waitlist on the line: where no time suits (no free time at all, or none on the
 * day asked for), 5 puts the caller on the waiting list for what they chose.
 */
import type { Clinic } from "../db/directory.ts";
import { addDays, localClock } from "../slots/calendar.ts";
import { spokenDay } from "../words/slot.ts";
import { hangup, type Call } from "./call.ts";
import type { CallState } from "./call-state.ts";
import type { IvrOutput } from "./ports.ts";

const DEFAULT_WAITLIST_DAYS = 14;
const DEFAULT_HOLD_MS = 15 * 60_000;

/**
 * "To join the waiting list, press 5": after no free time at all (`nothingFree`), or when the
 * caller asked for a day (`s.want`) and heard none on it. Never while moving an appointment.
 */
export function waitlistHint(f: Call, s: CallState, clinic: Clinic, nothingFree: boolean): string[] {
  if (s.act) return [];
  if (s.want) return [f.words.waitForDayHint(spokenDay(s.want, f.ports.now(), clinic.timezone))];
  return nothingFree ? [f.words.joinWaitlistHint] : [];
}

/** 5: the caller joins the waiting list for what they chose, the day they asked for or the next days. */
export async function joinWaitlist(f: Call, s: CallState, clinic: Clinic): Promise<IvrOutput> {
  const w = f.words;
  if (s.hold) await f.ports.release(s.hold);
  const today = localClock(f.ports.now(), clinic.timezone).date;
  const days = Math.min(f.settings.waitlistDays ?? DEFAULT_WAITLIST_DAYS, f.settings.horizonDays);
  const result = await f.ports.joinWaitlist({
    clinicId: clinic.id,
    ...(s.doctor !== undefined ? { doctorId: s.doctor } : {}),
    ...(s.spec !== undefined ? { specializationId: s.spec } : {}),
    fromDate: s.want ?? today,
    toDate: s.want ?? addDays(today, days - 1),
  });
  if (result.kind === "no-caller-id") return hangup(w, w.noCallerId, "no-caller-id");
  const minutes = Math.round((f.settings.waitlistHoldMs ?? DEFAULT_HOLD_MS) / 60_000);
  return hangup(w, w.joinedWaitlist(minutes), "waitlisted");
}
