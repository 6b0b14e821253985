/** How an offered or booked slot is said (day relative to the clinic's today); src/sms/texts.ts texts it. */
import { daysBetween, localClock } from "../slots/calendar.ts";
import type { Catalogue, OfferWords, SpokenDay } from "./index.ts";

export interface SlotFacts {
  doctorName: string;
  date: string;
  startMinute: number;
}

export function spokenDay(date: string, now: Date, timeZone: string): SpokenDay {
  const offset = daysBetween(localClock(now, timeZone).date, date);
  return offset === 0 ? { kind: "today" } : offset === 1 ? { kind: "tomorrow" } : { kind: "date", date };
}

/** "Dr. Kavya Shetty", "today at 9:15 AM": for the caller's ear. */
export function spokenSlot(words: Catalogue, slot: SlotFacts, now: Date, timeZone: string): OfferWords {
  return { doctor: slot.doctorName, when: words.when(spokenDay(slot.date, now, timeZone), slot.startMinute) };
}
