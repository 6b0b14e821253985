/**
 * The waitlist under interleaving (fast-check, fixed seed, bounded runs): freed times, offers,
 * callers booking, patients taking and passing, offers lapsing and the desk removing entries,
 * two at a time, never produce a double booking, a time offered to two patients at once, or a
 * patient with two offers at once; every live offer's time is held in its object for it alone.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { holdEarliest } from "../src/booking/offer.ts";
import { BookingService } from "../src/booking/service.ts";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { getClinic, getDoctor } from "../src/db/directory.ts";
import { addDays } from "../src/slots/calendar.ts";
import { doctorDayStub } from "../src/slots/doctor-day.ts";
import type { Job } from "../src/jobs/queue.ts";
import { wordsFor } from "../src/words/index.ts";

const SEED = 20280607;
const RUNS = 30;
const ANIL = 3;
const PUTTUR = 2;
/** Wednesday 7 June 2028 (each run a week later), 15:30 in Kolkata: 15:45 to 16:45 are left, five times. */
const FIRST_DAY = "2028-06-07";
const db = database(env.DB);
/** Queue sends go nowhere: the test runs every step itself, so a run is the same each time. */
const queue = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue<Job>;
const config = { ...readConfig(env), horizonDays: 1, waitlistHoldMs: 3 * 60_000 };

type Action =
  | { kind: "cancel"; n: number }
  | { kind: "call"; n: number }
  | { kind: "take"; n: number }
  | { kind: "pass"; n: number }
  | { kind: "remove"; n: number }
  | { kind: "join"; n: number }
  | { kind: "lapse" };

const patient = fc.integer({ min: 0, max: 3 });
const action: fc.Arbitrary<Action> = fc.oneof(
  patient.map((n) => ({ kind: "cancel" as const, n })),
  fc.integer({ min: 0, max: 2 }).map((n) => ({ kind: "call" as const, n })),
  patient.map((n) => ({ kind: "take" as const, n })),
  patient.map((n) => ({ kind: "pass" as const, n })),
  patient.map((n) => ({ kind: "remove" as const, n })),
  patient.map((n) => ({ kind: "join" as const, n })),
  fc.constant({ kind: "lapse" as const }),
);
/** Each step runs one or two actions at once. */
const steps = fc.array(fc.array(action, { minLength: 1, maxLength: 2 }), { minLength: 3, maxLength: 8 });

let run = 0;

describe("the waitlist under interleaving", () => {
  it("never double-books, never offers a time to two, never gives one patient two offers", async () => {
    const clinic = (await getClinic(db, PUTTUR))!;
    const doctor = (await getDoctor(db, ANIL))!;
    await fc.assert(
      fc.asyncProperty(steps, async (plan) => {
        const r = run++;
        const date = addDays(FIRST_DAY, 7 * r);
        let now = new Date(`${date}T10:00:00Z`); // 15:30 IST
        const service = () =>
          new BookingService(
            { db, config, doctorDays: env.DOCTOR_DAY, now, origin: "https://line.test", jobs: queue },
            wordsFor("en"),
          );
        const waiting = [0, 1, 2, 3].map((i) => `+9198555${String(r).padStart(3, "0")}${i}0`);
        const callers = [0, 1, 2].map((i) => `+9197555${String(r).padStart(3, "0")}${i}0`);
        const scope = { clinicId: PUTTUR, doctorId: 0, specializationId: 0, fromDate: date, toDate: date };
        let callN = 0;
        const book = async (phone: string) => {
          const callSid = `CAwlp-${r}-${callN++}`;
          const offer = await holdEarliest(
            { db, config, doctorDays: env.DOCTOR_DAY, now, origin: "", jobs: queue },
            clinic,
            [doctor],
            callSid,
            { holder: phone },
          );
          if (!offer) return;
          const held = { doctorId: ANIL, date: offer.date, startMinute: offer.startMinute };
          await service().bookHeldSlot(Promise.resolve({ clinic, doctor }), held, { callSid, phone });
        };
        // Three of the five times booked by callers; four patients wait for any doctor that day.
        for (const phone of callers) await book(phone);
        for (const phone of waiting) await service().joinWaitlist(phone, scope);

        const liveOfferOf = (phone: string) =>
          env.DB.prepare(
            `SELECT o.id FROM waitlist_offers o JOIN waitlist w ON w.id = o.entry_id JOIN patients p ON p.id = w.patient_id
              WHERE p.phone = ? AND o.outcome = 'offered' AND o.expires_at_ms > ?`,
          )
            .bind(phone, now.getTime())
            .first<{ id: number }>();
        const perform = async (a: Action) => {
          switch (a.kind) {
            case "cancel": {
              const { results } = await env.DB.prepare(
                "SELECT id, local_date AS date, starts_at AS startsAt FROM appointments WHERE doctor_id = ? AND local_date = ? AND status = 'booked' ORDER BY starts_at",
              )
                .bind(ANIL, date)
                .all<{ id: number; startsAt: string }>();
              const target = results[a.n % Math.max(1, results.length)];
              if (!target) return;
              if (await service().cancelByClinic(target.id)) {
                const minute = Math.round(
                  (Date.parse(target.startsAt) - Date.parse(`${date}T00:00:00+05:30`)) / 60_000,
                );
                await service().offerFreedTimes([{ doctorId: ANIL, date, startMinute: minute }]);
              }
              return;
            }
            case "call":
              return book(callers[a.n]!);
            case "take": {
              const offer = await liveOfferOf(waiting[a.n]!);
              if (offer) await service().takeWaitlistOffer(offer.id, waiting[a.n]!);
              return;
            }
            case "pass": {
              const offer = await liveOfferOf(waiting[a.n]!);
              if (offer) await service().passWaitlistOffer(offer.id, waiting[a.n]!);
              return;
            }
            case "remove": {
              const entry = await env.DB.prepare(
                "SELECT w.id FROM waitlist w JOIN patients p ON p.id = w.patient_id WHERE p.phone = ? AND w.status = 'waiting'",
              )
                .bind(waiting[a.n]!)
                .first<{ id: number }>();
              if (entry) await service().removeFromWaitlist(entry.id, PUTTUR);
              return;
            }
            case "join":
              await service().joinWaitlist(waiting[a.n]!, scope);
              return;
            case "lapse":
              now = new Date(now.getTime() + 3 * 60_000 + 1);
              await service().passOnLapsedWaitlistOffers();
              return;
          }
        };

        for (const step of plan) {
          await Promise.all(step.map(perform));
          const nowMs = now.getTime();
          // Never a double booking: one live appointment per time, each booked in the object.
          const { results: live } = await env.DB.prepare(
            "SELECT starts_at AS startsAt, count(*) AS n FROM appointments WHERE doctor_id = ? AND local_date = ? AND status <> 'cancelled' GROUP BY starts_at",
          )
            .bind(ANIL, date)
            .all<{ startsAt: string; n: number }>();
          expect(live.every((row) => row.n === 1)).toBe(true);
          const claims = await doctorDayStub(env.DOCTOR_DAY, ANIL, date).claims(nowMs);
          const booked = new Set(claims.filter((c) => c.state === "booked").map((c) => c.startMinute));
          for (const row of live) {
            const minute = Math.round((Date.parse(row.startsAt) - Date.parse(`${date}T00:00:00+05:30`)) / 60_000);
            expect(booked.has(minute)).toBe(true);
          }
          // Live offers: one per time, one per patient, each held in the object under its own id.
          const { results: offers } = await env.DB.prepare(
            `SELECT o.start_minute AS startMinute, o.hold_id AS holdId, w.patient_id AS patientId FROM waitlist_offers o
               JOIN waitlist w ON w.id = o.entry_id
              WHERE o.doctor_id = ? AND o.local_date = ? AND o.outcome = 'offered' AND o.expires_at_ms > ?`,
          )
            .bind(ANIL, date, nowMs)
            .all<{ startMinute: number; holdId: string; patientId: number }>();
          expect(new Set(offers.map((o) => o.startMinute)).size).toBe(offers.length);
          expect(new Set(offers.map((o) => o.patientId)).size).toBe(offers.length);
          for (const offer of offers)
            expect(claims.some((c) => c.startMinute === offer.startMinute && c.callSid === offer.holdId)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The runs did exercise the waitlist: times were offered, taken, passed and let lapse.
    const { results } = await env.DB.prepare(
      "SELECT outcome, count(*) AS n FROM waitlist_offers WHERE doctor_id = ? AND local_date >= ? GROUP BY outcome",
    )
      .bind(ANIL, FIRST_DAY)
      .all<{ outcome: string; n: number }>();
    const count = (outcome: string) => results.find((row) => row.outcome === outcome)?.n ?? 0;
    for (const outcome of ["taken", "passed", "expired"]) expect(count(outcome)).toBeGreaterThan(0);
  });
});
