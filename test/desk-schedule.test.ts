/** Schedules from the desk: leave and holidays over booked appointments, hours, and bad input. */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bookEarliest, contextAt, newClinic } from "./support/clinic.ts";
import { addStaff, DeskClient } from "./support/desk.ts";

const WED_8AM = new Date("2027-04-07T02:30:00Z"); // Wednesday 08:00 IST
let counter = 0;
const phone = () => `+91960000${String(++counter).padStart(4, "0")}`;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(WED_8AM);
});
afterEach(() => vi.useRealTimers());

async function deskFor(clinicId: number) {
  const user = await addStaff("desk", { clinics: [clinicId] });
  const client = new DeskClient();
  await client.signIn(user.username, user.password);
  await client.get(`/desk/clinics/${clinicId}/schedule`);
  return client;
}

const statusOf = async (token: string, clinicId: number) =>
  (
    await env.DB.prepare("SELECT status FROM appointments WHERE token = ? AND clinic_id = ?")
      .bind(token, clinicId)
      .first<{ status: string }>()
  )?.status;

describe("leave", () => {
  it("shows the appointments it covers first; on confirmation cancels each with an SMS and audits it", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Leela Menon"]);
    const phones = [phone(), phone()];
    const tokens: string[] = [];
    for (const p of phones) {
      const { result } = await bookEarliest(ctx, clinic.id, p, `CAleave${p}`);
      if (result?.kind !== "booked") throw new Error("not booked");
      tokens.push(result.booking.token);
    }
    const desk = await deskFor(clinic.id);
    const doctorId = clinic.doctors[0]!;
    const preview = await desk.post(`/desk/doctors/${doctorId}/leave`, {
      from: "2027-04-07",
      to: "2027-04-08",
      reason: "conference",
    });
    expect(preview.status).toBe(200);
    const page = await preview.text();
    for (const t of tokens) expect(page).toContain(t);
    expect(page).toContain("2 booked appointments will be cancelled");
    // Nothing has changed yet.
    for (const t of tokens) expect(await statusOf(t, clinic.id)).toBe("booked");
    const daysOff = () =>
      env.DB.prepare("SELECT local_date FROM doctor_days_off WHERE doctor_id = ? ORDER BY local_date")
        .bind(doctorId)
        .all();
    expect((await daysOff()).results).toEqual([]);

    const confirmed = await desk.post(`/desk/doctors/${doctorId}/leave`, {
      from: "2027-04-07",
      to: "2027-04-08",
      reason: "conference",
      confirm: "yes",
    });
    expect(confirmed.status).toBe(303);
    for (const t of tokens) expect(await statusOf(t, clinic.id)).toBe("cancelled");
    for (const p of phones) {
      const sms = await env.DB.prepare("SELECT body FROM sms_outbox WHERE to_number = ? AND purpose = 'cancellation'")
        .bind(p)
        .first<{ body: string }>();
      // The text says why: the doctor is on leave that day.
      expect(sms?.body).toMatch(/is on leave on 0[78]-04-2027\. .* To book a new time, call \+15005550006\.$/);
    }
    expect((await daysOff()).results).toEqual([{ local_date: "2027-04-07" }, { local_date: "2027-04-08" }]);
    const audit = await env.DB.prepare(
      "SELECT action, detail FROM audit_log WHERE clinic_id = ? AND action = 'doctor.leave'",
    )
      .bind(clinic.id)
      .first<{ action: string; detail: string }>();
    expect(JSON.parse(audit!.detail)).toMatchObject({ dates: ["2027-04-07", "2027-04-08"], cancelled: 2 });
    expect(await (await desk.get(`/desk/clinics/${clinic.id}/schedule`)).text()).toContain(
      "2 appointment(s) cancelled and texted",
    );
    // The next caller is not offered a day of leave.
    const next = await bookEarliest(ctx, clinic.id, phone(), "CAleave-after");
    expect(next.offer?.date).toBe("2027-04-09");
  });

  it("refuses past dates, reversed ranges, overlaps and junk with a 400 next to the field, saving nothing", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Mohan Das"]);
    const doctorId = clinic.doctors[0]!;
    const desk = await deskFor(clinic.id);
    const cases: [Record<string, string>, string][] = [
      [{ from: "2027-04-06" }, "The first day is in the past."],
      [{ from: "2027-04-10", to: "2027-04-09" }, "The last day is before the first."],
      [{ from: "2027-02-30" }, "Choose the first day (YYYY-MM-DD)."],
      [{ from: "2027-04-10", to: "2027-09-10" }, "At most 90 days at a time."],
    ];
    for (const [form, message] of cases) {
      const res = await desk.post(`/desk/doctors/${doctorId}/leave`, form);
      expect(res.status, message).toBe(400);
      expect(await res.text()).toContain(`class="field-error" role="alert"> ${message}`);
    }
    expect((await desk.post(`/desk/doctors/${doctorId}/leave`, { from: "2027-04-12" })).status).toBe(303);
    const overlap = await desk.post(`/desk/doctors/${doctorId}/leave`, { from: "2027-04-11", to: "2027-04-13" });
    expect(overlap.status).toBe(400);
    expect(await overlap.text()).toContain("Already off on 2027-04-12.");
    const rows = await env.DB.prepare("SELECT local_date FROM doctor_days_off WHERE doctor_id = ?")
      .bind(doctorId)
      .all();
    expect(rows.results).toEqual([{ local_date: "2027-04-12" }]);
    // And it can be taken back.
    expect((await desk.post(`/desk/doctors/${doctorId}/days-off/remove`, { date: "2027-04-12" })).status).toBe(303);
    expect((await desk.post(`/desk/doctors/${doctorId}/days-off/remove`, { date: "2027-04-12" })).status).toBe(400);
  });

  it("a clinic holiday covers every doctor, after confirmation", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Nisha Rao", "Dr. Omkar Joshi"]);
    const a = await bookEarliest(ctx, clinic.id, phone(), "CAhol1");
    const b = await bookEarliest(ctx, clinic.id, phone(), "CAhol2");
    expect(new Set([a.offer?.doctor.id, b.offer?.doctor.id]).size).toBe(2);
    const desk = await deskFor(clinic.id);
    const preview = await desk.post(`/desk/clinics/${clinic.id}/holidays`, { from: "2027-04-07", reason: "Ugadi" });
    expect(await preview.text()).toContain("2 booked appointments will be cancelled");
    const done = await desk.post(`/desk/clinics/${clinic.id}/holidays`, {
      from: "2027-04-07",
      reason: "Ugadi",
      confirm: "yes",
    });
    expect(done.status).toBe(303);
    const off = await env.DB.prepare(
      `SELECT count(*) AS n FROM doctor_days_off WHERE local_date = '2027-04-07' AND doctor_id IN (${clinic.doctors.join(",")})`,
    ).first<{ n: number }>();
    expect(off?.n).toBe(2);
  });

  it("a desk user cannot change another clinic's doctors", async () => {
    const ctx = contextAt(WED_8AM);
    const mine = await newClinic(ctx, ["Dr. Pooja Bhat"]);
    const theirs = await newClinic(ctx, ["Dr. Quasim Ali"]);
    const desk = await deskFor(mine.id);
    const id = theirs.doctors[0]!;
    expect((await desk.post(`/desk/doctors/${id}/leave`, { from: "2027-04-10", confirm: "yes" })).status).toBe(403);
    expect(
      (
        await desk.post(`/desk/doctors/${id}/hours`, {
          "works-1": "1",
          "start-1": "10:00",
          "end-1": "11:00",
          "slot-1": "15",
        })
      ).status,
    ).toBe(403);
    expect((await desk.post(`/desk/doctors/${id}/days-off/remove`, { date: "2027-04-10" })).status).toBe(403);
    expect(
      (await desk.post(`/desk/clinics/${theirs.id}/holidays`, { from: "2027-04-10", confirm: "yes" })).status,
    ).toBe(403);
    expect((await desk.post(`/desk/doctors/999999/leave`, { from: "2027-04-10" })).status).toBe(404);
    const off = await env.DB.prepare("SELECT count(*) AS n FROM doctor_days_off WHERE doctor_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(off?.n).toBe(0);
  });
});

describe("weekly hours", () => {
  it("validates each day next to its row and saves nothing on any error", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Rekha Pai"]);
    const doctorId = clinic.doctors[0]!;
    const desk = await deskFor(clinic.id);
    const bad = await desk.post(`/desk/doctors/${doctorId}/hours`, {
      "works-1": "1",
      "start-1": "09:00",
      "end-1": "17:00",
      "slot-1": "25",
      "works-2": "1",
      "start-2": "25:00",
      "end-2": "26:00",
      "slot-2": "15",
      "works-3": "1",
      "start-3": "12:00",
      "end-3": "10:00",
      "slot-3": "15",
      "works-4": "1",
      "start-4": "09:00",
      "end-4": "13:00",
      "slot-4": "15",
    });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain("25-minute slots do not divide 09:00-17:00.");
    expect(page).toContain("Times are HH:MM between 00:00 and 24:00.");
    expect(page).toContain("The day must end after it starts.");
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM doctor_hours WHERE doctor_id = ?")
      .bind(doctorId)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
    expect((await desk.post(`/desk/doctors/${doctorId}/hours`, {})).status).toBe(400);
  });

  it("a change that leaves booked appointments outside the hours lists them; they keep their time", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Sunil Kumar"]);
    const doctorId = clinic.doctors[0]!;
    const { result } = await bookEarliest(ctx, clinic.id, phone(), "CAhours1"); // today 09:00
    if (result?.kind !== "booked") throw new Error("not booked");
    const desk = await deskFor(clinic.id);
    const form: Record<string, string> = {};
    for (const day of [1, 2, 3, 4, 5])
      Object.assign(form, {
        [`works-${day}`]: "1",
        [`start-${day}`]: "14:00",
        [`end-${day}`]: "18:00",
        [`slot-${day}`]: "20",
      });
    const res = await desk.post(`/desk/doctors/${doctorId}/hours`, form);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(`1 appointment(s) now fall outside the hours: ${result.booking.token} 2027-04-07 9:00 AM`);
    expect(page).toContain('<ul id="stranded">');
    expect(await statusOf(result.booking.token, clinic.id)).toBe("booked");
    const hours = await env.DB.prepare(
      "SELECT weekday, start_minute, end_minute, slot_minutes FROM doctor_hours WHERE doctor_id = ? ORDER BY weekday",
    )
      .bind(doctorId)
      .all();
    expect(hours.results).toHaveLength(5);
    expect(hours.results[0]).toEqual({ weekday: 1, start_minute: 840, end_minute: 1080, slot_minutes: 20 });
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE clinic_id = ? AND action = 'doctor.hours'",
    )
      .bind(clinic.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });
});
