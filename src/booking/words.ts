/**
 * How an offered or booked slot is said and texted. Spoken prompts say "today" and
 * "tomorrow"; SMS always carry the absolute date ("Wed 25 Nov"), because a text may be read
 * a day later.
 */
import type { Catalogue, SlotWords } from "../ivr/prompts.ts";
import { daysBetween, formatMinute, localClock } from "../slots/calendar.ts";

export interface SlotToSay {
  doctorName: string;
  date: string;
  startMinute: number;
}

export function slotWords(words: Catalogue, slot: SlotToSay, now: Date, timeZone: string): SlotWords {
  const offset = daysBetween(localClock(now, timeZone).date, slot.date);
  const day = offset === 0 ? words.today : offset === 1 ? words.tomorrow : `on ${words.date(slot.date)}`;
  return { doctor: slot.doctorName, day, time: formatMinute(slot.startMinute) };
}

/** The same slot for an SMS: "on Wed 25 Nov", never relative to the day it was sent. */
export function smsSlotWords(words: Catalogue, slot: SlotToSay): SlotWords {
  return { doctor: slot.doctorName, day: `on ${words.shortDate(slot.date)}`, time: formatMinute(slot.startMinute) };
}
