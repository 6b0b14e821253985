/**
 * The day's visit steps of an appointment, as the desk marks them: a booked patient arrives,
 * goes in to the doctor, is done; or does not come. Only the moves in `NEXT_STEPS` are
 * allowed, and each is a conditional D1 update on the step the desk saw (two desks clicking
 * at once cannot both win), written in one batch with its audit row. None of these frees or
 * claims a time: the appointment keeps its slot, as a completed or missed visit must.
 */
import { auditStatement, type AuditEntry } from "../auth/audit.ts";
import { replacementOf, visitStepStatement } from "../stores/appointments.ts";
import { idsOf, runBatch, write } from "../stores/batch.ts";
import type { AppointmentStatus, VisitStep } from "../db/schema.ts";
import { DEFAULT_TIMEZONE, isValidTimeZone, localClock } from "../slots/calendar.ts";

export const QUEUE_STATUSES = ["booked", "arrived", "in_consultation", "completed", "no_show", "cancelled"] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** Where each step may go next. A no-show who turns up late can still be marked arrived. */
export const NEXT_STEPS: Record<QueueStatus, readonly QueueStatus[]> = {
  booked: ["arrived", "no_show", "cancelled"],
  arrived: ["in_consultation", "no_show", "cancelled"],
  in_consultation: ["completed", "arrived"],
  completed: [],
  no_show: ["arrived"],
  cancelled: [],
};

export function isQueueStatus(value: string): value is QueueStatus {
  return (QUEUE_STATUSES as readonly string[]).includes(value);
}

/** The step a stored appointment is at. */
export function queueStatus(status: AppointmentStatus, visit: VisitStep | null): QueueStatus {
  return status === "booked" ? (visit ?? "booked") : status;
}

/** The stored columns a step is written as. */
function stored(step: Exclude<QueueStatus, "cancelled">): { status: AppointmentStatus; visit: VisitStep | null } {
  switch (step) {
    case "booked":
      return { status: "booked", visit: null };
    case "arrived":
    case "in_consultation":
      return { status: "booked", visit: step };
    case "completed":
      return { status: "completed", visit: "in_consultation" };
    case "no_show":
      return { status: "no_show", visit: null };
  }
}

export type VisitChange =
  | { kind: "changed"; from: QueueStatus; to: QueueStatus }
  | { kind: "not-found" }
  | { kind: "not-allowed"; from: QueueStatus; to: QueueStatus; reason: string }
  /** Someone else moved it first: the desk should reload and look again. */
  | { kind: "conflict" }
  /** It was moved to another time meanwhile (a "move later" or the patient): the old one is gone, this one stands. */
  | { kind: "moved"; token: string; movedTo: MovedTo };

/** The appointment that replaced a moved one. */
export interface MovedTo {
  id: number;
  token: string;
  date: string;
  startMinute: number;
}

/** What replaced this appointment, if it was moved (one step: the desk is shown the latest time). */
export async function movedTo(d1: D1Database, appointmentId: number): Promise<MovedTo | null> {
  const row = await replacementOf(d1, appointmentId);
  if (!row) return null;
  const zone = isValidTimeZone(row.timezone) ? row.timezone : DEFAULT_TIMEZONE;
  return { id: row.id, token: row.token, date: row.date, startMinute: localClock(new Date(row.startsAt), zone).minute };
}

/**
 * Moves an appointment from `from` (what the desk saw) to `to`, unless it was moved meanwhile.
 * Cancelling is not done here: it frees the time and texts the patient (see cancel.ts).
 */
export async function moveVisit(
  d1: D1Database,
  appointmentId: number,
  from: QueueStatus,
  to: Exclude<QueueStatus, "cancelled">,
  now: Date,
  entry: AuditEntry,
): Promise<boolean> {
  const before = stored(from === "cancelled" ? "booked" : from);
  const after = stored(to);
  const at = now.toISOString();
  const written = await runBatch(d1, {
    updated: idsOf(visitStepStatement(d1, appointmentId, before, after, at)),
    // Only the move that won is audited: changes() counts the rows the update above changed.
    audit: write(auditStatement(d1, entry, now, { previousChangedOne: true })),
  });
  return written.updated.length > 0;
}
