/** The waiting-room display: now serving per doctor and the next tokens, and its live part. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { boards } from "../src/desk/pages/display.tsx";
import type { QueueRow } from "../src/desk/queue.ts";
import { addStaff, DeskClient } from "./support/desk.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2027-06-02T03:30:00Z")); // Wednesday 09:00 IST
});
afterEach(() => vi.useRealTimers());

const row = (token: string, doctorId: number, status: QueueRow["status"], time: string): QueueRow => ({
  id: Math.floor(Math.random() * 1e6),
  token,
  urgent: false,
  confirmed: false,
  time,
  startsAt: time,
  doctorId,
  doctorName: "",
  phone: "•••• 0000",
  source: "ivr",
  status,
});

describe("token display", () => {
  it("now serving is the latest patient sent in; next lists those who arrived, then the booked, by time", () => {
    const result = boards(
      [
        { id: 1, name: "Dr. A" },
        { id: 2, name: "Dr. B" },
      ],
      [
        row("A-1", 1, "completed", "09:00"),
        row("A-2", 1, "in_consultation", "09:15"),
        row("A-3", 1, "booked", "09:30"),
        row("A-4", 1, "arrived", "09:45"),
        row("A-5", 1, "cancelled", "10:00"),
        row("A-6", 1, "no_show", "10:15"),
        row("B-1", 2, "booked", "09:00"),
      ],
    );
    expect(result).toEqual([
      { id: 1, name: "Dr. A", serving: "A-2", next: ["A-4", "A-3"] },
      { id: 2, name: "Dr. B", serving: null, next: ["B-1"] },
    ]);
  });

  it("serves the page and its live part to the clinic's desk, without phone numbers", async () => {
    const user = await addStaff("desk", { clinics: [1] });
    const client = new DeskClient();
    await client.signIn(user.username, user.password);
    const page = await client.get("/desk/display/1");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-refresh="/desk/display/1/now"');
    expect(html).toContain("Dr. Kavya Shetty");
    expect(html).toContain('class="serving"');
    const now = await client.get("/desk/display/1/now");
    expect(now.status).toBe(200);
    expect(await now.text()).not.toMatch(/\+91\d+/);
    const doctor = await addStaff("doctor", { doctorId: 1 });
    const asDoctor = new DeskClient();
    await asDoctor.signIn(doctor.username, doctor.password);
    expect((await asDoctor.get("/desk/display/1")).status).toBe(403);
  });
});
