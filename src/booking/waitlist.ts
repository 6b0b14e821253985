/**
 * The waitlist's changes, run by the booking service: joining, offering a freed time to the
 * first patient in line whose range it fits, taking an offer (a booking like any other),
 * passing it on, letting lapsed offers go to the next, and the desk's removal.
 *
 * Two single-writer decisions keep it safe, each with no outside await between its read and
 * its claim: the doctor-day object holds the time for one hold id at a time (so a time is
 * never offered to two patients, and no caller is offered a time held for the waitlist), and
 * one conditional D1 insert records the offer only if the entry still waits and its patient
 * has no other live offer. The object claims first; a losing insert lets the hold go again.
 */
import { getClinic, getDoctor, loadCalendars } from "../db/directory.ts";
import { log } from "../log.ts";
import { lastFour } from "../patients/phone.ts";
import { earliestStart, localClock, localToInstant, scheduleFor } from "../slots/calendar.ts";
import { doctorDayStub } from "../slots/doctor-day.ts";
import type { Catalogue } from "../words/index.ts";
import type { WaitlistNotifier } from "../waitlist/notifier.ts";
import {
  candidates,
  insertOfferStatement,
  joinStatement,
  lapsedOffers,
  liveOffer,
  passStatement,
  removeStatements,
  settleLapsedStatements,
  takenStatements,
  type FreedTime,
  type WaitlistScope,
} from "../stores/waitlist.ts";
import { idsOf, runBatch, write } from "../stores/batch.ts";
import { ensurePatientStatement } from "../stores/patients.ts";
import { bookHeldSlot, type ConfirmResult } from "./book.ts";
import type { BookingContext } from "./context.ts";

/** Entries asked in turn for one freed time before giving up (each loses only to a concurrent offer). */
const CANDIDATES_PER_TIME = 5;
/** Lapsed offers one cron run passes on. */
const LAPSED_PER_RUN = 50;
/**
 * A hold made for a waiting patient names them as its holder (only their call can confirm it)
 * without counting against the per-phone limit on a burst of calls' holds.
 */
const NO_HOLD_LIMIT = Number.MAX_SAFE_INTEGER;

export type JoinResult = { kind: "joined" } | { kind: "already-waiting" };

export async function joinWaitlist(
  ctx: BookingContext,
  phone: string,
  scope: WaitlistScope,
  language: string,
): Promise<JoinResult> {
  const d1 = ctx.db.$client;
  const { joined } = await runBatch(d1, {
    patient: write(ensurePatientStatement(d1, phone, `Phone patient ${lastFour(phone)}`, ctx.now)),
    joined: idsOf(joinStatement(d1, phone, scope, language, ctx.now.toISOString())),
  });
  return joined.length > 0 ? { kind: "joined" } : { kind: "already-waiting" };
}

export type FreedOutcome =
  | { kind: "offered"; offerId: number; entryId: number }
  /** Nobody waits for it (or everyone asked won another offer meanwhile). */
  | { kind: "nobody-waiting" }
  /** Not free in its object (a caller took it, or it is still booked), past, or no longer bookable. */
  | { kind: "not-free" };

/** Offers a freed time to the first waiting patient whose range it fits, holding it for them. */
export async function offerFreedTime(
  ctx: BookingContext,
  notifier: WaitlistNotifier,
  time: FreedTime,
): Promise<FreedOutcome> {
  const doctor = await getDoctor(ctx.db, time.doctorId);
  const clinic = doctor && (await getClinic(ctx.db, doctor.clinicId));
  if (!doctor || !clinic) return { kind: "not-free" };
  const now = localClock(ctx.now, clinic.timezone);
  const nowMs = ctx.now.getTime();
  const notBefore = earliestStart(time.date, now, ctx.config);
  // Never a past time, nor one inside the booking lead.
  if (notBefore === null || time.startMinute < notBefore) return { kind: "not-free" };
  const [calendars, waiting] = await Promise.all([
    loadCalendars(ctx.db, [doctor.id], now.date),
    candidates(
      ctx.db.$client,
      { ...time, clinicId: clinic.id, specializationId: doctor.specializationId },
      nowMs,
      CANDIDATES_PER_TIME,
    ),
  ]);
  const calendar = calendars.get(doctor.id);
  const grid = calendar ? scheduleFor(calendar.hours, calendar.daysOff, time.date) : null;
  if (!grid) return { kind: "not-free" };
  if (waiting.length === 0) return { kind: "nobody-waiting" };
  const startsAtMs = localToInstant(time.date, time.startMinute, clinic.timezone).getTime();
  // Held for the window, never past the time itself.
  const holdMs = Math.min(ctx.config.waitlistHoldMs, startsAtMs - nowMs);
  const day = doctorDayStub(ctx.doctorDays, time.doctorId, time.date);
  for (const entry of waiting) {
    const holdId = `wl:${crypto.randomUUID()}`;
    const claim = await day.holdAt({
      callSid: holdId,
      grid,
      notBefore,
      startMinute: time.startMinute,
      nowMs,
      holdMs,
      limit: { holder: entry.phone, maxHolds: NO_HOLD_LIMIT },
    });
    if (!claim || claim.state !== "held") return { kind: "not-free" };
    const d1 = ctx.db.$client;
    const offered = await insertOfferStatement(
      d1,
      entry.id,
      time,
      holdId,
      ctx.now.toISOString(),
      nowMs,
      claim.expiresAt,
    )
      .first<{ id: number }>()
      .catch(async (error: unknown) => {
        await day.release(holdId);
        throw error;
      });
    if (!offered) {
      // This patient won another offer (or left) since the read: the next in line.
      await day.release(holdId);
      continue;
    }
    try {
      await notifier.offer(entry, {
        offerId: offered.id,
        doctorName: doctor.name,
        clinic,
        date: time.date,
        startMinute: time.startMinute,
        expiresAtMs: claim.expiresAt,
      });
    } catch (error) {
      // The offer stands: the patient hears it when they call, and it lapses to the next if not.
      log.error("telling a waiting patient of their held time failed", { offerId: offered.id, error });
    }
    return { kind: "offered", offerId: offered.id, entryId: entry.id };
  }
  return { kind: "nobody-waiting" };
}

/** Offers several freed times, one after another (each may reach a different patient). Never throws. */
export async function offerFreedTimes(
  ctx: BookingContext,
  notifier: WaitlistNotifier,
  times: readonly FreedTime[],
): Promise<FreedOutcome[]> {
  const outcomes: FreedOutcome[] = [];
  for (const time of times) {
    try {
      outcomes.push(await offerFreedTime(ctx, notifier, time));
    } catch (error) {
      // The time stays free for callers; only the waitlist missed it.
      log.error("offering a freed time to the waitlist failed", { doctorId: time.doctorId, date: time.date, error });
      outcomes.push({ kind: "not-free" });
    }
  }
  return outcomes;
}

/**
 * The patient takes their held time (1): booked exactly as a caller's confirm, under the hold's
 * id, so a repeat answers with the same booking. The entry is done once the booking landed.
 */
export async function takeOffer(
  ctx: BookingContext,
  words: Catalogue,
  offerId: number,
  phone: string,
): Promise<ConfirmResult> {
  const d1 = ctx.db.$client;
  const offer = await liveOffer(d1, offerId, phone, ctx.now.getTime());
  if (!offer) return { kind: "hold-lost" };
  const scope = (async () => {
    const [clinic, doctor] = await Promise.all([getClinic(ctx.db, offer.clinicId), getDoctor(ctx.db, offer.doctorId)]);
    return clinic && doctor ? { clinic, doctor } : null;
  })();
  const held = { doctorId: offer.doctorId, date: offer.date, startMinute: offer.startMinute };
  const result = await bookHeldSlot(ctx, words, scope, held, { callSid: offer.holdId, phone });
  if (result.kind === "booked") await d1.batch(takenStatements(d1, offerId, ctx.now.toISOString()));
  return result;
}

/** The patient passes their held time on (2): it goes to the next in line. False if it was not theirs to pass. */
export async function passOffer(
  ctx: BookingContext,
  notifier: WaitlistNotifier,
  offerId: number,
  phone: string,
): Promise<boolean> {
  const passed = await passStatement(ctx.db.$client, offerId, phone).first<FreedTime & { holdId: string }>();
  if (!passed) return false;
  await doctorDayStub(ctx.doctorDays, passed.doctorId, passed.date).release(passed.holdId, phone);
  await offerFreedTimes(ctx, notifier, [passed]);
  return true;
}

/**
 * The cron: offers whose window passed are settled (taken, if their booking landed; else
 * expired) and their times go to the next in line. The object's hold lapsed at the same instant.
 */
export async function passOnLapsedOffers(ctx: BookingContext, notifier: WaitlistNotifier): Promise<number> {
  const d1 = ctx.db.$client;
  const lapsed = await lapsedOffers(d1, ctx.now.getTime(), LAPSED_PER_RUN);
  const expired: FreedTime[] = [];
  for (const offer of lapsed) {
    const [, settled] = await d1.batch<{ outcome: string }>(
      settleLapsedStatements(d1, offer.id, ctx.now.toISOString()),
    );
    if (settled!.results[0]?.outcome === "expired") expired.push(offer);
  }
  await offerFreedTimes(ctx, notifier, expired);
  return expired.length;
}

/** The desk removes a waiting entry of its clinic; a time held for it goes to the next in line. */
export async function removeFromWaitlist(
  ctx: BookingContext,
  notifier: WaitlistNotifier,
  entryId: number,
  clinicId: number,
): Promise<boolean> {
  const d1 = ctx.db.$client;
  const [removed, withdrawn] = await d1.batch<Record<string, unknown>>(
    removeStatements(d1, entryId, clinicId, ctx.now.toISOString()),
  );
  if (removed!.results.length === 0) return false;
  const held = withdrawn!.results as unknown as (FreedTime & { holdId: string })[];
  await Promise.all(held.map((h) => doctorDayStub(ctx.doctorDays, h.doctorId, h.date).release(h.holdId)));
  await offerFreedTimes(ctx, notifier, held);
  return true;
}
