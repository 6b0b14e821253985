/** Language-free pieces of days, times and tokens that the catalogues dress in words. */
import { parseDate, weekdayOf } from "../slots/calendar.ts";

const pad = (n: number) => String(n).padStart(2, "0");

export type PartOfDay = "morning" | "afternoon" | "evening" | "night";

/** The part of the day a Kannada or Hindi speaker names before a clock time. */
export function partOfDay(minute: number): PartOfDay {
  const hour = Math.floor(minute / 60);
  if (hour >= 5 && hour < 12) return "morning";
  if (hour >= 12 && hour < 16) return "afternoon";
  // A clinic's last slots (7 to 8 PM) are still "evening" in speech, not "night".
  if (hour >= 16 && hour < 20) return "evening";
  return "night";
}

/** Day of month, month (1-12) and weekday (0 = Sunday) of "YYYY-MM-DD". */
export function dateParts(date: string): { day: number; month: number; weekday: number } {
  const parsed = parseDate(date);
  if (!parsed) throw new Error(`not a date: ${date}`);
  return { day: parsed.day, month: parsed.month, weekday: weekdayOf(date) };
}

/** "KS-12" -> "K S, 12" with each letter named by `letterName` (digits stay digits: every voice reads them). */
export function spellToken(token: string, letterName: (letter: string) => string): string {
  const dash = token.lastIndexOf("-");
  const prefix = dash < 0 ? token : token.slice(0, dash);
  const number = dash < 0 ? "" : token.slice(dash + 1);
  const letters = [...prefix].map((ch) => (/[A-Za-z]/.test(ch) ? letterName(ch.toUpperCase()) : ch)).join(" ");
  return number ? `${letters}, ${number}` : letters;
}
