/** How an offered or booked slot is said and texted: doctor, day relative to today, time. */
import type { Catalogue, SlotWords } from "../ivr/prompts.ts";
import { daysBetween, formatMinute, localClock } from "../slots/calendar.ts";

export function slotWords(
  words: Catalogue,
  slot: { doctorName: string; date: string; startMinute: number },
  now: Date,
  timeZone: string,
): SlotWords {
  const offset = daysBetween(localClock(now, timeZone).date, slot.date);
  const day = offset === 0 ? words.today : offset === 1 ? words.tomorrow : `on ${words.date(slot.date)}`;
  return { doctor: slot.doctorName, day, time: formatMinute(slot.startMinute) };
}
