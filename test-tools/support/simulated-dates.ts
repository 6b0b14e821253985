/**
 * The instants the date-sensitive suites run at, relative to the real date so they stay ahead of
 * it, each chosen to be awkward in Asia/Kolkata: the last minutes of a year (the clinics have
 * closed, so "today" has nothing left, and tomorrow is in the next month and the next year), and
 * a year ahead at mid-morning (in a rush, on whatever weekday that is, with D1's clock a year
 * behind the Worker's). Each instant reruns every date-sensitive file, about a minute of CI time:
 * a month's last evening was a third instant, dropped because the year's last minutes are one too.
 */
const IST_OFFSET_MS = 330 * 60_000;

export interface SimulatedDate {
  name: string;
  iso: string;
}

/** An instant given as a clinic-local (IST) wall-clock time. */
function ist(year: number, monthIndex: number, day: number, hour: number, minute: number): Date {
  return new Date(Date.UTC(year, monthIndex, day, hour, minute) - IST_OFFSET_MS);
}

export function simulatedDates(realNow: Date): SimulatedDate[] {
  const local = new Date(realNow.getTime() + IST_OFFSET_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth();
  const yearEnd = ist(year + 1, 0, 0, 23, 50);
  const yearAhead = ist(year + 1, month, Math.min(local.getUTCDate(), 28), 9, 5);
  return [
    { name: "year-end", iso: yearEnd.toISOString() },
    { name: "year-ahead", iso: yearAhead.toISOString() },
  ];
}
