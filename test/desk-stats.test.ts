/** The day's picture: counts by hour, source and outcome, as charts with the numbers beside them. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clinicStats } from "../src/desk/stats.ts";
import { bookEarliest, contextAt, newClinic, serviceAt } from "./support/clinic.ts";
import { addStaff, DeskClient } from "./support/desk.ts";

const TUE_9AM = new Date("2027-08-03T03:30:00Z"); // Tuesday 09:00 IST
const WED_9AM = new Date("2027-08-04T03:30:00Z");
const actor = { actor: "staff:0 test", clinicId: null, action: "test" };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(WED_9AM);
});
afterEach(() => vi.useRealTimers());

describe("day's picture", () => {
  it("counts today's appointments by hour and source, and 30 days by outcome", async () => {
    const tuesday = contextAt(TUE_9AM);
    const today = contextAt(WED_9AM);
    const clinic = await newClinic(today, ["Dr. Uma Prabhu"]);
    const doctorId = clinic.doctors[0]!;
    // Tuesday: two bookings, one never came.
    const t1 = await bookEarliest(tuesday, clinic.id, "+919400000001", "CAstat1");
    await bookEarliest(tuesday, clinic.id, "+919400000002", "CAstat2");
    if (t1.result?.kind !== "booked") throw new Error("not booked");
    await serviceAt(tuesday).changeVisit(t1.result.booking.appointmentId, "no_show", actor);
    // Wednesday: three phone bookings (9:15, 9:30, 9:45), one cancelled; one walk-in (9:00) who came.
    const phone: number[] = [];
    for (const n of [3, 4, 5]) {
      const b = await bookEarliest(today, clinic.id, `+91940000000${n}`, `CAstat${n}`);
      if (b.result?.kind !== "booked") throw new Error("not booked");
      phone.push(b.result.booking.appointmentId);
    }
    await serviceAt(today).changeVisit(phone[0]!, "cancelled", actor);
    expect(
      await serviceAt(today).issueWalkIn({ clinicId: clinic.id, doctorId, phone: "+919400000009" }, actor),
    ).toMatchObject({ kind: "issued" });

    const stats = await clinicStats(today.db, { id: clinic.id, timezone: "Asia/Kolkata" }, WED_9AM);
    expect(stats.hours).toEqual([{ hour: 9, bySource: { ivr: 2, sms: 0, walk_in: 1, staff: 0 }, cancelled: 1 }]);
    const days = Object.fromEntries(stats.days.map((d) => [d.date, d.byOutcome]));
    expect(stats.days).toHaveLength(30);
    expect(days["2027-08-03"]).toEqual({ attended: 0, booked: 1, no_show: 1, cancelled: 0 });
    expect(days["2027-08-04"]).toEqual({ attended: 1, booked: 2, no_show: 0, cancelled: 1 });
    expect(stats.sources).toEqual({ ivr: 4, sms: 0, walk_in: 1, staff: 0 });

    const user = await addStaff("desk", { clinics: [clinic.id] });
    const desk = new DeskClient();
    await desk.signIn(user.username, user.password);
    const res = await desk.get(`/desk/clinics/${clinic.id}/stats`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<svg");
    expect(html).toContain("<title>9am: Phone 2, SMS 0, Walk-in 1, Desk 0</title>");
    expect(html).toContain(
      '<tr data-date="2027-08-03"><td>2027-08-03</td><td>0</td><td>1</td><td>1</td><td>0</td></tr>',
    );
    expect(html).toContain("<li>Walk-in: 1</li>");
    expect((await desk.get("/desk/clinics/1/stats")).status).toBe(403);
    const doctor = await addStaff("doctor", { doctorId });
    const asDoctor = new DeskClient();
    await asDoctor.signIn(doctor.username, doctor.password);
    expect((await asDoctor.get(`/desk/clinics/${clinic.id}/stats`)).status).toBe(403);
  });
});
