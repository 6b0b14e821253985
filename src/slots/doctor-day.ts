/**
 * DoctorDay: one Durable Object per doctor and clinic-local date, the single owner of that
 * day's slots. Every method reads and claims in synchronous SQLite calls with no await in
 * between, so two requests' decisions can never interleave: two callers never get one slot.
 *
 * The object knows slot numbers, not clocks or schedules: the caller passes the range still
 * bookable (from the pure calendar) and the current time. Holds expire lazily: an expired
 * hold simply counts as free the next time anyone looks.
 */
import { DurableObject } from "cloudflare:workers";
import type { SlotRange } from "./calendar.ts";

export type SlotClaim =
  | { slot: number; state: "held"; callSid: string; expiresAt: number }
  | { slot: number; state: "booked"; callSid: string | null };

export type ConfirmOutcome =
  | { outcome: "confirmed" }
  /** This call already confirmed this slot (Twilio retried the request): not an error. */
  | { outcome: "already-confirmed" }
  | { outcome: "not-held" };

interface SlotRow extends Record<string, SqlStorageValue> {
  slot: number;
  state: string;
  call_sid: string | null;
  expires_at: number | null;
}

export class DoctorDay extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // Only taken slots have rows; a missing row is a free slot.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS slots (
      slot INTEGER PRIMARY KEY,
      state TEXT NOT NULL CHECK (state IN ('held', 'booked')),
      call_sid TEXT,
      expires_at INTEGER
    )`);
    // Who holds: the caller's number, so one phone cannot hold a whole day with a burst of calls.
    const columns = this.sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('slots')").toArray();
    if (!columns.some((c) => c.name === "holder")) this.sql.exec("ALTER TABLE slots ADD COLUMN holder TEXT");
  }

  private takenIn(range: SlotRange, now: number): Set<number> {
    const taken = new Set<number>();
    for (const row of this.sql.exec<SlotRow>(
      "SELECT slot, state, call_sid, expires_at FROM slots WHERE slot BETWEEN ? AND ?",
      range.first,
      range.last,
    )) {
      if (row.state === "booked" || (row.expires_at ?? 0) > now) taken.add(row.slot);
    }
    return taken;
  }

  private earliestFree(range: SlotRange, now: number): number | null {
    const taken = this.takenIn(range, now);
    for (let slot = range.first; slot <= range.last; slot++) if (!taken.has(slot)) return slot;
    return null;
  }

  /** The earliest free slot in the range, without claiming it. */
  peek(range: SlotRange, now: number): number | null {
    return this.earliestFree(range, now);
  }

  /**
   * Holds the earliest free slot in the range for this call and releases any other slot the
   * call held here (one hold per call). Returns null when the range is full, or when `limit`
   * says the caller's phone already holds its share of this day.
   */
  hold(
    callSid: string,
    range: SlotRange,
    now: number,
    holdMs: number,
    limit?: { holder: string; maxHolds: number },
  ): SlotClaim | null {
    this.sql.exec("DELETE FROM slots WHERE state = 'held' AND (call_sid = ? OR expires_at <= ?)", callSid, now);
    if (limit) {
      const held = this.sql
        .exec<{ n: number }>("SELECT count(*) AS n FROM slots WHERE state = 'held' AND holder = ?", limit.holder)
        .one().n;
      // This phone already holds its share of the day: look elsewhere (another doctor or day).
      if (held >= limit.maxHolds) return null;
    }
    const slot = this.earliestFree(range, now);
    if (slot === null) return null;
    const expiresAt = now + holdMs;
    this.sql.exec(
      "INSERT OR REPLACE INTO slots (slot, state, call_sid, expires_at, holder) VALUES (?, 'held', ?, ?, ?)",
      slot,
      callSid,
      expiresAt,
      limit?.holder ?? null,
    );
    return { slot, state: "held", callSid, expiresAt };
  }

  /** The slot this call holds or booked here, if any and still valid. */
  claimOf(callSid: string, now: number): SlotClaim | null {
    for (const row of this.sql.exec<SlotRow>("SELECT * FROM slots WHERE call_sid = ?", callSid)) {
      if (row.state === "booked") return { slot: row.slot, state: "booked", callSid };
      if ((row.expires_at ?? 0) > now) return { slot: row.slot, state: "held", callSid, expiresAt: row.expires_at! };
    }
    return null;
  }

  /** Turns this call's unexpired hold on `slot` into a booking. Idempotent for the same call. */
  confirm(callSid: string, slot: number, now: number): ConfirmOutcome {
    const row = this.sql.exec<SlotRow>("SELECT * FROM slots WHERE slot = ?", slot).toArray()[0];
    if (!row || row.call_sid !== callSid) return { outcome: "not-held" };
    if (row.state === "booked") return { outcome: "already-confirmed" };
    if ((row.expires_at ?? 0) <= now) return { outcome: "not-held" };
    this.sql.exec("UPDATE slots SET state = 'booked', expires_at = NULL WHERE slot = ?", slot);
    return { outcome: "confirmed" };
  }

  /**
   * Turns a confirmed slot back into a hold, when the appointment could not be written to D1:
   * the caller may try again within the hold instead of losing the slot.
   */
  unconfirm(callSid: string, slot: number, now: number, holdMs: number): void {
    this.sql.exec(
      "UPDATE slots SET state = 'held', expires_at = ? WHERE slot = ? AND call_sid = ? AND state = 'booked'",
      now + holdMs,
      slot,
      callSid,
    );
  }

  /** Releases whatever this call holds here (not bookings). */
  release(callSid: string): void {
    this.sql.exec("DELETE FROM slots WHERE call_sid = ? AND state = 'held'", callSid);
  }

  /** Frees a booked slot after its appointment was cancelled, so the next caller can take it. */
  free(slot: number): void {
    this.sql.exec("DELETE FROM slots WHERE slot = ? AND state = 'booked'", slot);
  }

  /** Marks a slot booked that D1 says is taken (repairs an object that lost track). */
  markBooked(slot: number, callSid: string | null): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO slots (slot, state, call_sid, expires_at) VALUES (?, 'booked', ?, NULL)",
      slot,
      callSid,
    );
  }

  /** Every taken slot, for tests and staff views. */
  snapshot(now: number): SlotClaim[] {
    const claims: SlotClaim[] = [];
    for (const row of this.sql.exec<SlotRow>("SELECT * FROM slots ORDER BY slot")) {
      if (row.state === "booked") claims.push({ slot: row.slot, state: "booked", callSid: row.call_sid });
      else if ((row.expires_at ?? 0) > now)
        claims.push({ slot: row.slot, state: "held", callSid: row.call_sid ?? "", expiresAt: row.expires_at! });
    }
    return claims;
  }
}

/** The object for one doctor's clinic-local date. */
export function doctorDayStub(namespace: DurableObjectNamespace<DoctorDay>, doctorId: number, date: string) {
  return namespace.getByName(`doctor:${doctorId}:${date}`);
}
