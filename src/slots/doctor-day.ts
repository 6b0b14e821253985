/**
 * DoctorDay: one Durable Object per doctor and clinic-local date, the single owner of that
 * day's slots. Every method reads and claims in synchronous SQLite calls with no await in
 * between, so two requests' decisions can never interleave: two callers never get one slot.
 *
 * A slot is its time: claims are keyed by their clinic-local start minute and carry their end,
 * and a slot is free only when no live claim overlaps it. The caller passes the day's grid (from
 * the pure calendar) and the earliest start still allowed, so a change of hours or slot length
 * never renames or frees a claim. Holds expire lazily.
 *
 * The object also keeps the day's calendar as the booking service last pushed it (hours, or
 * closed for leave, a holiday or a doctor switched off), with the doctor's calendar version.
 * A grid read from a stale copy of the directory cannot outvote it: nothing is held or
 * confirmed outside the pushed hours, and a push releases the holds it leaves outside them.
 */
import { DurableObject } from "cloudflare:workers";
import type { DaySchedule, Slot } from "./calendar.ts";
import { slotsOf } from "./calendar.ts";

/** The day's calendar as D1 had it at `version`: its hours, or null when nobody can book the day. */
export interface DayCalendar {
  schedule: DaySchedule | null;
  version: number;
}

/** What a pushed calendar changed: holds it released, bookings it leaves outside the hours. */
export interface CalendarReport {
  /** False when the object already had a newer calendar: nothing changed. */
  applied: boolean;
  released: Slot[];
  outside: Slot[];
}

export type SlotClaim =
  | (Slot & { state: "held"; callSid: string; expiresAt: number })
  | (Slot & { state: "booked"; callSid: string | null; bookedAt: number });

export type ConfirmOutcome =
  | { outcome: "confirmed"; slot: Slot }
  /** This call already confirmed this slot (Twilio retried the request): not an error. */
  | { outcome: "already-confirmed"; slot: Slot }
  | { outcome: "not-held" };

/** Where to look for a free slot: the day's grid, from a start time on. */
export interface SlotSearch {
  grid: DaySchedule;
  /** Minutes from local midnight (may be fractional: now + lead, to the second). */
  notBefore: number;
}

export interface HoldRequest extends SlotSearch {
  callSid: string;
  nowMs: number;
  holdMs: number;
  /** One phone may not hold more than `maxHolds` slots of a day with a burst of calls. */
  limit?: { holder: string; maxHolds: number };
}

/** What a reconcile changed: bookings learnt from D1, bookings D1 does not have, holds the calendar ended. */
export interface ReconcileReport {
  marked: Slot[];
  freed: Slot[];
  released: Slot[];
}

interface ClaimRow extends Record<string, SqlStorageValue> {
  start_minute: number;
  end_minute: number;
  state: string;
  call_sid: string | null;
  holder: string | null;
  expires_at: number | null;
  booked_at: number | null;
}

interface CalendarRow extends Record<string, SqlStorageValue> {
  version: number;
  start_minute: number | null;
  end_minute: number | null;
  slot_minutes: number | null;
}

const SCHEMA_VERSION = 3;

function toClaim(row: ClaimRow): SlotClaim {
  const slot = { startMinute: row.start_minute, endMinute: row.end_minute };
  return row.state === "booked"
    ? { ...slot, state: "booked", callSid: row.call_sid, bookedAt: row.booked_at ?? 0 }
    : { ...slot, state: "held", callSid: row.call_sid ?? "", expiresAt: row.expires_at ?? 0 };
}

const overlaps = (a: Slot, b: Slot) => a.startMinute < b.endMinute && a.endMinute > b.startMinute;

export class DoctorDay extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.migrate();
  }

  /**
   * The object's own schema, versioned in one place. Version 1 numbered slots from the day's
   * start; those numbers cannot be turned into times without the hours they were counted
   * under, so they are dropped: the reconcile re-learns every booking from D1 within a minute,
   * and a lost hold only makes its caller hear the next free time.
   */
  private migrate(): void {
    this.sql.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const version = this.sql.exec<{ v: number | null }>("SELECT max(version) AS v FROM schema_version").one().v ?? 1;
    if (version >= SCHEMA_VERSION) return;
    if (version < 2) {
      this.sql.exec("DROP TABLE IF EXISTS slots");
      this.sql.exec(`CREATE TABLE IF NOT EXISTS claims (
        start_minute INTEGER PRIMARY KEY,
        end_minute INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('held', 'booked')),
        call_sid TEXT,
        holder TEXT,
        expires_at INTEGER,
        booked_at INTEGER
      )`);
    }
    // Version 3: the pushed calendar (one row; no row until the first push, when the grid
    // each caller passes is all the object knows). Null hours mean the day is closed.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS calendar (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version INTEGER NOT NULL,
      start_minute INTEGER,
      end_minute INTEGER,
      slot_minutes INTEGER
    )`);
    this.sql.exec("INSERT INTO schema_version (version) VALUES (?)", SCHEMA_VERSION);
  }

  /** Live claims: every booking and every unexpired hold. */
  private live(nowMs: number): SlotClaim[] {
    return this.sql
      .exec<ClaimRow>("SELECT * FROM claims WHERE state = 'booked' OR expires_at > ? ORDER BY start_minute", nowMs)
      .toArray()
      .map(toClaim);
  }

  /** The calendar last pushed, or undefined before the first push. */
  private calendar(): DayCalendar | undefined {
    const row = this.sql.exec<CalendarRow>("SELECT * FROM calendar WHERE id = 1").toArray()[0];
    if (!row) return undefined;
    const open = row.start_minute !== null && row.end_minute !== null && row.slot_minutes !== null;
    return {
      version: row.version,
      schedule: open
        ? { startMinute: row.start_minute!, endMinute: row.end_minute!, slotMinutes: row.slot_minutes! }
        : null,
    };
  }

  /** Whether the pushed calendar lets this time be booked (any time, before the first push). */
  private allows(slot: Slot, calendar = this.calendar()): boolean {
    if (!calendar) return true;
    const hours = calendar.schedule;
    return hours !== null && slot.startMinute >= hours.startMinute && slot.endMinute <= hours.endMinute;
  }

  private earliestFree(search: SlotSearch, nowMs: number): Slot | null {
    const taken = this.live(nowMs);
    const calendar = this.calendar();
    for (const slot of slotsOf(search.grid)) {
      if (slot.startMinute < search.notBefore || !this.allows(slot, calendar)) continue;
      if (!taken.some((claim) => overlaps(claim, slot))) return slot;
    }
    return null;
  }

  /** Drops lapsed holds and this call's own (this caller's, when the hold is bound to one). */
  private dropExpiredAndOwnHolds(callSid: string, nowMs: number, holder?: string): void {
    this.sql.exec(
      `DELETE FROM claims WHERE state = 'held'
         AND ((call_sid = ?1 AND (?2 IS NULL OR holder IS NULL OR holder = ?2)) OR expires_at <= ?3)`,
      callSid,
      holder ?? null,
      nowMs,
    );
  }

  private overLimit(limit: HoldRequest["limit"]): boolean {
    if (!limit) return false;
    const held = this.sql
      .exec<{ n: number }>("SELECT count(*) AS n FROM claims WHERE state = 'held' AND holder = ?", limit.holder)
      .one().n;
    return held >= limit.maxHolds;
  }

  private insertHold(request: HoldRequest, slot: Slot): SlotClaim {
    const expiresAt = request.nowMs + request.holdMs;
    this.sql.exec(
      "INSERT INTO claims (start_minute, end_minute, state, call_sid, holder, expires_at) VALUES (?, ?, 'held', ?, ?, ?)",
      slot.startMinute,
      slot.endMinute,
      request.callSid,
      request.limit?.holder ?? null,
      expiresAt,
    );
    return { ...slot, state: "held", callSid: request.callSid, expiresAt };
  }

  /** The earliest free slot of the search, without claiming it. */
  peek(search: SlotSearch, nowMs: number): Slot | null {
    return this.earliestFree(search, nowMs);
  }

  /**
   * Holds the earliest free slot of the search for this call and releases any other slot the
   * call held here (one hold per call). Null when nothing is free, or when this phone already
   * holds its share of the day.
   */
  hold(request: HoldRequest): SlotClaim | null {
    this.dropExpiredAndOwnHolds(request.callSid, request.nowMs, request.limit?.holder);
    if (this.overLimit(request.limit)) return null;
    const slot = this.earliestFree(request, request.nowMs);
    return slot ? this.insertHold(request, slot) : null;
  }

  /** Holds exactly this slot of the grid for the call, if it is free (a chosen time, a walk-in). */
  holdAt(request: HoldRequest & { startMinute: number }): SlotClaim | null {
    this.dropExpiredAndOwnHolds(request.callSid, request.nowMs, request.limit?.holder);
    if (this.overLimit(request.limit)) return null;
    const slot = slotsOf(request.grid).find((s) => s.startMinute === request.startMinute);
    if (!slot || slot.startMinute < request.notBefore || !this.allows(slot)) return null;
    if (this.live(request.nowMs).some((claim) => overlaps(claim, slot))) return null;
    return this.insertHold(request, slot);
  }

  /** The slot this call holds or booked here, if any and still valid. */
  claimOf(callSid: string, nowMs: number): SlotClaim | null {
    return this.live(nowMs).find((claim) => claim.callSid === callSid) ?? null;
  }

  /**
   * Turns this call's unexpired hold on the slot starting at `startMinute` into a booking, if
   * the pushed calendar still has that time (else the hold is dropped). Idempotent.
   * A hold made for a caller (`limit.holder`) answers only to that caller: a request with the
   * same call id but another number is told it holds nothing, and the hold stays its caller's.
   */
  confirm(callSid: string, startMinute: number, nowMs: number, holder?: string): ConfirmOutcome {
    const row = this.sql.exec<ClaimRow>("SELECT * FROM claims WHERE start_minute = ?", startMinute).toArray()[0];
    if (!row || row.call_sid !== callSid) return { outcome: "not-held" };
    if (row.holder !== null && row.holder !== holder) return { outcome: "not-held" };
    const slot = { startMinute: row.start_minute, endMinute: row.end_minute };
    if (row.state === "booked") return { outcome: "already-confirmed", slot };
    if ((row.expires_at ?? 0) <= nowMs) return { outcome: "not-held" };
    if (!this.allows(slot)) {
      this.sql.exec("DELETE FROM claims WHERE start_minute = ? AND state = 'held'", startMinute);
      return { outcome: "not-held" };
    }
    this.sql.exec(
      "UPDATE claims SET state = 'booked', expires_at = NULL, booked_at = ? WHERE start_minute = ?",
      nowMs,
      startMinute,
    );
    return { outcome: "confirmed", slot };
  }

  /**
   * Turns a confirmed slot back into a hold, when the appointment could not be written to D1
   * (the compensating step of a booking): the caller may try again within the hold.
   */
  unconfirm(callSid: string, startMinute: number, nowMs: number, holdMs: number): void {
    this.sql.exec(
      "UPDATE claims SET state = 'held', expires_at = ?, booked_at = NULL WHERE start_minute = ? AND call_sid = ? AND state = 'booked'",
      nowMs + holdMs,
      startMinute,
      callSid,
    );
  }

  /**
   * Releases whatever this call holds here (never bookings); with `holder`, only what it holds
   * for that caller, so a request with the call's id from another number cannot drop the hold.
   */
  release(callSid: string, holder?: string): void {
    this.sql.exec(
      "DELETE FROM claims WHERE call_sid = ?1 AND state = 'held' AND (?2 IS NULL OR holder IS NULL OR holder = ?2)",
      callSid,
      holder ?? null,
    );
  }

  /** Frees a booked slot after its appointment was cancelled, so the next caller can take it. */
  free(startMinute: number): void {
    this.sql.exec("DELETE FROM claims WHERE start_minute = ? AND state = 'booked'", startMinute);
  }

  /**
   * Records a booking D1 has and this object lacks; holds it overlaps are dropped (D1 wins).
   * The claim belongs to no call, so no caller can confirm it again.
   */
  markBooked(slot: Slot, nowMs: number): void {
    for (const claim of this.live(nowMs)) {
      if (claim.state === "held" && overlaps(claim, slot))
        this.sql.exec("DELETE FROM claims WHERE start_minute = ?", claim.startMinute);
    }
    this.sql.exec(
      "INSERT OR REPLACE INTO claims (start_minute, end_minute, state, call_sid, booked_at) VALUES (?, ?, 'booked', NULL, ?)",
      slot.startMinute,
      slot.endMinute,
      nowMs,
    );
  }

  /**
   * Takes the day's calendar (unless the object already has a newer one) and releases every
   * hold outside it; bookings outside it stay (D1 has them; the desk is shown them to call).
   * A repeated push of the same version releases again, harmlessly.
   */
  setCalendar(calendar: DayCalendar, nowMs: number): CalendarReport {
    const stored = this.calendar();
    if (stored && stored.version > calendar.version) return { applied: false, released: [], outside: [] };
    const hours = calendar.schedule;
    this.sql.exec(
      "INSERT OR REPLACE INTO calendar (id, version, start_minute, end_minute, slot_minutes) VALUES (1, ?, ?, ?, ?)",
      calendar.version,
      hours?.startMinute ?? null,
      hours?.endMinute ?? null,
      hours?.slotMinutes ?? null,
    );
    const report: CalendarReport = { applied: true, released: [], outside: [] };
    for (const claim of this.live(nowMs)) {
      if (this.allows(claim, calendar)) continue;
      const slot = { startMinute: claim.startMinute, endMinute: claim.endMinute };
      if (claim.state === "booked") report.outside.push(slot);
      else {
        this.sql.exec("DELETE FROM claims WHERE start_minute = ? AND state = 'held'", claim.startMinute);
        report.released.push(slot);
      }
    }
    return report;
  }

  /**
   * Makes this object agree with D1's live appointments of the day, read at `readAtMs`:
   * a live appointment it lacks is marked booked; a booking with no live appointment is freed,
   * but only if it was confirmed more than `graceMs` before the read. A booking's D1 write
   * follows its confirm within one request, so a younger booking may simply not have been
   * written yet when D1 was read. The day's calendar, read beside the appointments, is taken
   * first (a push the desk's change could not deliver arrives this way). Idempotent.
   */
  reconcile(live: Slot[], readAtMs: number, graceMs: number, nowMs: number, calendar?: DayCalendar): ReconcileReport {
    const released = calendar ? this.setCalendar(calendar, nowMs).released : [];
    const report: ReconcileReport = { marked: [], freed: [], released };
    const booked = this.live(nowMs).filter((claim) => claim.state === "booked");
    for (const slot of live) {
      if (!booked.some((claim) => claim.startMinute === slot.startMinute)) {
        this.markBooked(slot, nowMs);
        report.marked.push(slot);
      }
    }
    for (const claim of booked) {
      if (claim.state !== "booked" || claim.bookedAt > readAtMs - graceMs) continue;
      if (!live.some((slot) => slot.startMinute === claim.startMinute)) {
        this.free(claim.startMinute);
        report.freed.push({ startMinute: claim.startMinute, endMinute: claim.endMinute });
      }
    }
    return report;
  }

  /** Every live claim, for tests and staff views. */
  claims(nowMs: number): SlotClaim[] {
    return this.live(nowMs);
  }
}

/** The object for one doctor's clinic-local date. */
export function doctorDayStub(namespace: DurableObjectNamespace<DoctorDay>, doctorId: number, date: string) {
  return namespace.getByName(`doctor:${doctorId}:${date}`);
}
