/**
 * The desk's moves through the booking service: visit steps with their allowed transitions,
 * cancelling with an SMS, and walk-ins racing phone bookings for the same doctor's day.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { NEXT_STEPS } from "../src/booking/visit.ts";
import { bookEarliest, contextAt, expectOneTruth, liveAppointments, newClinic, serviceAt } from "./support/clinic.ts";
import { outboxFor } from "./support/outbox.ts";

const WED_9AM = new Date("2027-01-13T03:30:00Z"); // Wednesday 09:00 IST
const actor = { actor: "staff:1 test-desk", clinicId: null, action: "test" };
let counter = 0;
const callSid = () => `CAvisit${++counter}`;
const phone = (n: number) => `+91970000${String(n).padStart(4, "0")}`;

async function auditRows(appointmentId: number) {
  const { results } = await env.DB.prepare(
    "SELECT actor, action, detail FROM audit_log WHERE json_extract(detail, '$.appointmentId') = ? ORDER BY id",
  )
    .bind(appointmentId)
    .all<{ actor: string; action: string; detail: string }>();
  return results.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

async function statusOf(id: number) {
  return env.DB.prepare("SELECT status, visit FROM appointments WHERE id = ?").bind(id).first<{
    status: string;
    visit: string | null;
  }>();
}

describe("visit steps", () => {
  it("moves booked -> arrived -> in consultation -> completed, audited, and refuses skipped or repeated steps", async () => {
    const ctx = contextAt(WED_9AM);
    const clinic = await newClinic(ctx, ["Dr. Usha Kamath"]);
    const { result } = await bookEarliest(ctx, clinic.id, phone(1), callSid());
    if (result?.kind !== "booked") throw new Error("not booked");
    const id = result.booking.appointmentId;
    const service = serviceAt(ctx);

    expect(await service.changeVisit(id, "completed", actor)).toMatchObject({ kind: "not-allowed", from: "booked" });
    expect(await service.changeVisit(id, "arrived", actor)).toEqual({ kind: "changed", from: "booked", to: "arrived" });
    expect(await statusOf(id)).toEqual({ status: "booked", visit: "arrived" });
    expect(await service.changeVisit(id, "arrived", actor)).toMatchObject({ kind: "not-allowed", from: "arrived" });
    expect(await service.changeVisit(id, "in_consultation", actor)).toMatchObject({ kind: "changed" });
    expect(await service.changeVisit(id, "completed", actor)).toMatchObject({ kind: "changed", to: "completed" });
    expect(await statusOf(id)).toEqual({ status: "completed", visit: "in_consultation" });
    expect(await service.changeVisit(id, "cancelled", actor)).toMatchObject({ kind: "not-allowed" });
    expect((await auditRows(id)).map((r) => [r.actor, r.detail.from, r.detail.to])).toEqual([
      ["staff:1 test-desk", "booked", "arrived"],
      ["staff:1 test-desk", "arrived", "in_consultation"],
      ["staff:1 test-desk", "in_consultation", "completed"],
    ]);
    // A completed visit keeps its time: nobody else can be booked into it.
    expect((await liveAppointments(clinic.id)).map((a) => a.id)).toEqual([id]);
  });

  it("a no-show can still arrive late; a tomorrow's appointment cannot be marked today", async () => {
    const ctx = contextAt(new Date("2027-01-13T11:20:00Z")); // 16:50 IST: the next free time is tomorrow
    const clinic = await newClinic(ctx, ["Dr. Vinay Hegde"]);
    const late = await bookEarliest(contextAt(WED_9AM), clinic.id, phone(2), callSid());
    const tomorrow = await bookEarliest(ctx, clinic.id, phone(3), callSid());
    if (late.result?.kind !== "booked" || tomorrow.result?.kind !== "booked") throw new Error("not booked");
    const service = serviceAt(ctx);
    expect(await service.changeVisit(late.result.booking.appointmentId, "no_show", actor)).toMatchObject({
      kind: "changed",
    });
    expect(await service.changeVisit(late.result.booking.appointmentId, "arrived", actor)).toMatchObject({
      kind: "changed",
      from: "no_show",
    });
    expect(await service.changeVisit(tomorrow.result.booking.appointmentId, "arrived", actor)).toEqual({
      kind: "not-allowed",
      from: "booked",
      to: "arrived",
      reason: "only today's appointments can be marked",
    });
    expect(await service.changeVisit(999_999, "arrived", actor)).toEqual({ kind: "not-found" });
  });

  it("two desks marking at once: exactly one wins, the other hears of the conflict", async () => {
    const ctx = contextAt(WED_9AM);
    const clinic = await newClinic(ctx, ["Dr. Wasim Akram"]);
    const { result } = await bookEarliest(ctx, clinic.id, phone(4), callSid());
    if (result?.kind !== "booked") throw new Error("not booked");
    const id = result.booking.appointmentId;
    const both = await Promise.all([
      serviceAt(ctx).changeVisit(id, "arrived", actor),
      serviceAt(ctx).changeVisit(id, "no_show", actor),
    ]);
    const kinds = both.map((b) => b.kind).sort();
    expect(kinds[0]).toBe("changed");
    expect(["conflict", "not-allowed"]).toContain(kinds[1]);
    expect(await auditRows(id)).toHaveLength(1);
  });

  it("cancelling from the desk texts the patient through the outbox and frees the time for the next caller", async () => {
    const ctx = contextAt(WED_9AM);
    const clinic = await newClinic(ctx, ["Dr. Xavier Pinto"]);
    const first = await bookEarliest(ctx, clinic.id, phone(5), callSid());
    if (first.result?.kind !== "booked") throw new Error("not booked");
    expect(await serviceAt(ctx).changeVisit(first.result.booking.appointmentId, "cancelled", actor)).toMatchObject({
      kind: "changed",
      to: "cancelled",
    });
    const texts = await outboxFor(phone(5));
    expect(texts.at(-1)).toMatchObject({ purpose: "cancellation" });
    expect(texts.at(-1)!.body).toContain("the clinic has cancelled your appointment");
    const again = await bookEarliest(ctx, clinic.id, phone(6), callSid());
    expect(again.offer?.startMinute).toBe(first.offer!.startMinute);
  });

  it("every step has a way out except the final ones", () => {
    expect(NEXT_STEPS.completed).toEqual([]);
    expect(NEXT_STEPS.cancelled).toEqual([]);
    expect(NEXT_STEPS.booked).toContain("arrived");
  });
});

describe("walk-ins", () => {
  it("issues the doctor's next free time today, already arrived, with an SMS and an audit row", async () => {
    const ctx = contextAt(new Date("2027-01-13T04:37:00Z")); // 10:07 IST
    const clinic = await newClinic(ctx, ["Dr. Yamuna Rai"]);
    const result = await serviceAt(ctx).issueWalkIn(
      { clinicId: clinic.id, doctorId: clinic.doctors[0]!, phone: phone(10) },
      actor,
    );
    expect(result).toMatchObject({ kind: "issued", token: "Y-6" }); // 10:15
    if (result.kind !== "issued") return;
    expect(await statusOf(result.appointmentId)).toEqual({ status: "booked", visit: "arrived" });
    expect((await outboxFor(phone(10))).map((r) => r.purpose)).toContain("booking");
    const audited = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE json_extract(detail, '$.token') = ? AND actor = ?",
    )
      .bind("Y-6", actor.actor)
      .first<{ n: number }>();
    expect(audited?.n).toBe(1);
  });

  it("a phone with an appointment at another clinic at the free time gets the next time, and learns nothing of it", async () => {
    const early = contextAt(new Date("2027-01-13T04:37:00Z")); // 10:07 IST
    const here = await newClinic(early, ["Dr. Walk Here"]);
    const elsewhere = await newClinic(early, ["Dr. Booked Elsewhere"]);
    const { result: booked } = await bookEarliest(early, elsewhere.id, phone(14), callSid());
    expect(booked).toMatchObject({ kind: "booked", booking: { offer: { startMinute: 630 } } }); // 10:30 elsewhere
    const now = contextAt(new Date("2027-01-13T04:50:00Z")); // 10:20 IST: 10:30 is this doctor's next free time
    const result = await serviceAt(now).issueWalkIn(
      { clinicId: here.id, doctorId: here.doctors[0]!, phone: phone(14) },
      actor,
    );
    expect(result).toMatchObject({ kind: "issued", offer: { startMinute: 645 } }); // 10:45
    await expectOneTruth(here.id);
  });

  it("refuses a doctor of another clinic, a day off and a full day", async () => {
    const ctx = contextAt(new Date("2027-01-13T11:10:00Z")); // 16:40 IST: 16:45 is the last slot
    const clinic = await newClinic(ctx, ["Dr. Zoya Khan"]);
    const other = await newClinic(ctx, ["Dr. Ajay Kini"]);
    const service = serviceAt(ctx);
    const doctorId = clinic.doctors[0]!;
    expect(
      await service.issueWalkIn({ clinicId: clinic.id, doctorId: other.doctors[0]!, phone: phone(11) }, actor),
    ).toEqual({ kind: "unknown-doctor" });
    expect(await service.issueWalkIn({ clinicId: clinic.id, doctorId, phone: phone(11) }, actor)).toMatchObject({
      kind: "issued",
    });
    expect(await service.issueWalkIn({ clinicId: clinic.id, doctorId, phone: phone(12) }, actor)).toEqual({
      kind: "day-full",
    });
    await service.addDaysOff(other.doctors[0]!, ["2027-01-13"], { cancelAffected: false });
    expect(
      await service.issueWalkIn({ clinicId: other.id, doctorId: other.doctors[0]!, phone: phone(13) }, actor),
    ).toEqual({ kind: "not-working-today" });
  });

  it("walk-ins racing phone bookings for one doctor never share a time", async () => {
    const ctx = contextAt(WED_9AM);
    const clinic = await newClinic(ctx, ["Dr. Bhavya Shet"]);
    const doctorId = clinic.doctors[0]!;
    const service = serviceAt(ctx);
    const racers = Array.from({ length: 24 }, (_, i) =>
      i % 2 === 0
        ? bookEarliest(ctx, clinic.id, phone(100 + i), callSid()).then((r) => r.result?.kind)
        : service.issueWalkIn({ clinicId: clinic.id, doctorId, phone: phone(100 + i) }, actor).then((r) => r.kind),
    );
    const outcomes = await Promise.all(racers);
    expect(outcomes.filter((o) => o === "booked")).toHaveLength(12);
    expect(outcomes.filter((o) => o === "issued")).toHaveLength(12);
    const live = await expectOneTruth(clinic.id);
    expect(live).toHaveLength(24);
    expect(new Set(live.map((a) => a.starts_at)).size).toBe(24);
  });
});

describe("moving an appointment", () => {
  it("moves a booked appointment to the doctor's next free time, texts the patient and frees the old time", async () => {
    const ctx = contextAt(WED_9AM);
    const clinic = await newClinic(ctx, ["Dr. Chaitra Alva"]);
    const first = await bookEarliest(ctx, clinic.id, phone(200), callSid()); // 09:15
    const second = await bookEarliest(ctx, clinic.id, phone(201), callSid()); // 09:30
    if (first.result?.kind !== "booked" || second.result?.kind !== "booked") throw new Error("not booked");
    const result = await serviceAt(ctx).moveToNextFree(first.result.booking.appointmentId, actor);
    expect(result).toMatchObject({ kind: "moved", fromToken: "C-2", token: "C-4" }); // 09:45: past 09:30, which is taken
    if (result.kind !== "moved") return;
    expect(await statusOf(first.result.booking.appointmentId)).toEqual({ status: "cancelled", visit: null });
    expect(await statusOf(result.appointmentId)).toEqual({ status: "booked", visit: null });
    const texts = await outboxFor(phone(200));
    expect(texts.at(-1)!.body).toContain("Your appointment C-2 has been moved by the clinic");
    expect(texts.at(-1)!.body).toContain("New token C-4");
    await expectOneTruth(clinic.id);
    // The old time is free again for the next caller.
    const next = await bookEarliest(ctx, clinic.id, phone(202), callSid());
    expect(next.offer?.startMinute).toBe(first.offer!.startMinute);
    const audited = await env.DB.prepare(
      "SELECT detail FROM audit_log WHERE json_extract(detail, '$.to') = 'C-4' AND json_extract(detail, '$.appointmentId') = ?",
    )
      .bind(first.result.booking.appointmentId)
      .first<{ detail: string }>();
    expect(audited).not.toBeNull();
  });

  it("a desk cancel after (or racing) a move later is told where the appointment went, not 'cancelled to cancelled'", async () => {
    const ctx = contextAt(WED_9AM);
    const clinic = await newClinic(ctx, ["Dr. Race Move"]);
    const booked = await bookEarliest(ctx, clinic.id, phone(220), callSid()); // 09:15, R-2
    if (booked.result?.kind !== "booked") throw new Error("not booked");
    const id = booked.result.booking.appointmentId;
    const moved = await serviceAt(ctx).moveToNextFree(id, actor);
    expect(moved).toMatchObject({ kind: "moved", token: "R-3" });
    expect(await serviceAt(ctx).changeVisit(id, "cancelled", actor)).toEqual({
      kind: "moved",
      token: "R-2",
      movedTo: {
        id: moved.kind === "moved" ? moved.appointmentId : 0,
        token: "R-3",
        date: "2027-01-13",
        startMinute: 570,
      },
    });

    // Both at once: whichever wins, the canceller hears the truth and one appointment is left at most.
    const again = await bookEarliest(ctx, clinic.id, phone(221), callSid());
    if (again.result?.kind !== "booked") throw new Error("not booked");
    const target = again.result.booking.appointmentId;
    const [move, cancel] = await Promise.all([
      serviceAt(ctx).moveToNextFree(target, actor),
      serviceAt(ctx).changeVisit(target, "cancelled", actor),
    ]);
    if (move.kind === "moved") expect(cancel).toMatchObject({ kind: "moved", movedTo: { token: move.token } });
    else expect(cancel).toEqual({ kind: "changed", from: "booked", to: "cancelled" });
    await expectOneTruth(clinic.id);
  });

  it("refuses an arrived patient, a cancelled appointment, and an unknown id; nothing changes", async () => {
    const ctx = contextAt(WED_9AM);
    const clinic = await newClinic(ctx, ["Dr. Deepak Naik"]);
    const a = await bookEarliest(ctx, clinic.id, phone(210), callSid());
    if (a.result?.kind !== "booked") throw new Error("not booked");
    const id = a.result.booking.appointmentId;
    await serviceAt(ctx).changeVisit(id, "arrived", actor);
    expect(await serviceAt(ctx).moveToNextFree(id, actor)).toEqual({ kind: "not-movable" });
    await serviceAt(ctx).changeVisit(id, "cancelled", actor);
    expect(await serviceAt(ctx).moveToNextFree(id, actor)).toEqual({ kind: "not-movable" });
    expect(await serviceAt(ctx).moveToNextFree(999_999, actor)).toEqual({ kind: "not-found" });
    expect(await liveAppointments(clinic.id)).toEqual([]);
  });

  it("moves racing phone bookings never share a time", async () => {
    const ctx = contextAt(WED_9AM);
    const clinic = await newClinic(ctx, ["Dr. Esha Rai"]);
    const booked: number[] = [];
    for (let i = 0; i < 6; i++) {
      const b = await bookEarliest(ctx, clinic.id, phone(220 + i), callSid());
      if (b.result?.kind === "booked") booked.push(b.result.booking.appointmentId);
    }
    await Promise.all([
      ...booked.map((id) => serviceAt(ctx).moveToNextFree(id, actor)),
      ...Array.from({ length: 6 }, (_, i) => bookEarliest(ctx, clinic.id, phone(230 + i), callSid())),
    ]);
    const live = await expectOneTruth(clinic.id);
    expect(live).toHaveLength(12);
    expect(new Set(live.map((a) => a.starts_at)).size).toBe(12);
  });
});
