/** "9:15" or "12:00": a 12-hour clock time, always with its minutes (an SMS is read, not heard). */
export function clockTime(minute: number): string {
  const hour = Math.floor(minute / 60) % 12 || 12;
  return `${hour}:${String(minute % 60).padStart(2, "0")}`;
}

/** "25-11-2026": digits every script reads the same. */
export function smsDate(date: string): string {
  const [year, month, day] = date.split("-");
  return `${day}-${month}-${year}`;
}
