/** How an offered or booked slot is said (day relative to the clinic's today) and texted (absolute). */
import { daysBetween, localClock } from "../slots/calendar.ts";
import { smsWhen } from "./clock.ts";
import type { Catalogue, OfferWords, SmsAppointment, SpokenDay } from "./index.ts";

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

/** For an SMS, read later and in any script: "25-11-2026 09:15", never "today". */
export function smsSlot(slot: SlotFacts & { token: string; clinic: string }): SmsAppointment {
  return {
    token: slot.token,
    doctor: slot.doctorName,
    clinic: slot.clinic,
    when: smsWhen(slot.date, slot.startMinute),
  };
}
