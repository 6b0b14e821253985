/** A clinic's numbers: today's appointments by hour and source, and the last 30 days by outcome. */
import type { Db } from "../db/client.ts";
import { clinicAppointmentsBetween } from "../stores/appointments.ts";
import { addDays, localClock } from "../slots/calendar.ts";

export const SOURCES = ["ivr", "sms", "walk_in", "staff"] as const;
export const OUTCOMES = ["attended", "booked", "no_show", "cancelled"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface HourRow {
  hour: number;
  bySource: Record<(typeof SOURCES)[number], number>;
  cancelled: number;
}

export interface DayRow {
  date: string;
  byOutcome: Record<Outcome, number>;
}

export interface ClinicStats {
  today: string;
  hours: HourRow[];
  days: DayRow[];
  sources: Record<(typeof SOURCES)[number], number>;
}

function outcomeOf(status: string, visit: string | null): Outcome {
  if (status === "cancelled") return "cancelled";
  if (status === "no_show") return "no_show";
  if (status === "completed" || visit !== null) return "attended";
  return "booked";
}

const zeroSources = () => ({ ivr: 0, sms: 0, walk_in: 0, staff: 0 });

export async function clinicStats(db: Db, clinic: { id: number; timezone: string }, now: Date): Promise<ClinicStats> {
  const today = localClock(now, clinic.timezone).date;
  const first = addDays(today, -29);
  const rows = await clinicAppointmentsBetween(db, clinic.id, first, today);

  const hours = new Map<number, HourRow>();
  const days = new Map<string, DayRow>();
  for (let i = 0; i < 30; i++) {
    const date = addDays(first, i);
    days.set(date, { date, byOutcome: { attended: 0, booked: 0, no_show: 0, cancelled: 0 } });
  }
  const sources = zeroSources();
  for (const r of rows) {
    days.get(r.date)!.byOutcome[outcomeOf(r.status, r.visit)]++;
    if (r.status !== "cancelled") sources[r.source]++;
    if (r.date !== today) continue;
    const hour = Math.floor(localClock(new Date(r.startsAt), clinic.timezone).minute / 60);
    const row = hours.get(hour) ?? { hour, bySource: zeroSources(), cancelled: 0 };
    if (r.status === "cancelled") row.cancelled++;
    else row.bySource[r.source]++;
    hours.set(hour, row);
  }
  return {
    today,
    hours: [...hours.values()].sort((a, b) => a.hour - b.hour),
    days: [...days.values()],
    sources,
  };
}
