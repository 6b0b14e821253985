import { exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { heard, newCall } from "./support/line.ts";

function staffGet(path: string, token?: string) {
  return exports.default.fetch(
    `https://line.test${path}`,
    token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  );
}

describe("staff view of the day's tokens", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-25T03:30:00Z")); // Wednesday 09:00 IST
  });
  afterEach(() => vi.useRealTimers());

  it("lists the clinic's appointments of a day in time order, with clinic-local times", async () => {
    for (const phone of ["+919700000001", "+919700000002"]) {
      const call = newCall(phone);
      await call.dial();
      await call.press("1");
      await call.press("1");
      expect(heard(await call.press("1"))).toContain("Your token is");
    }
    const res = await staffGet("/api/staff/clinics/1/appointments?date=2026-11-25", "test-staff-token");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { date: string; appointments: Record<string, unknown>[] };
    expect(body.date).toBe("2026-11-25");
    expect(body.appointments.map((a) => [a.token, a.time, a.doctor, a.patientPhone, a.status])).toEqual([
      ["KR-2", "9:15 AM", "Dr. Kiran Rao", "+919700000002", "booked"],
      ["KS-2", "9:15 AM", "Dr. Kavya Shetty", "+919700000001", "booked"],
    ]);
    // Without a date: today in the clinic's time zone.
    const today = (await (await staffGet("/api/staff/clinics/1/appointments", "test-staff-token")).json()) as {
      date: string;
    };
    expect(today.date).toBe("2026-11-25");
  });

  it("refuses without the right bearer token, and answers 4xx for junk", async () => {
    expect((await staffGet("/api/staff/clinics/1/appointments")).status).toBe(401);
    expect((await staffGet("/api/staff/clinics/1/appointments", "wrong")).status).toBe(401);
    expect((await staffGet("/api/staff/clinics/999/appointments", "test-staff-token")).status).toBe(404);
    expect((await staffGet("/api/staff/clinics/x/appointments", "test-staff-token")).status).toBe(404);
    expect((await staffGet("/api/staff/clinics/1/appointments?date=2026-02-30", "test-staff-token")).status).toBe(400);
  });
});

describe("staff view of patients' free-text messages", () => {
  it("lists texts that were not commands, newest first, and pages with ?before=", async () => {
    const { post } = await import("./support/line.ts");
    for (const [sid, body] of [
      ["SMstaff1", "Is the clinic open on Sunday?"],
      ["SMstaff2", "STATUS"],
      ["SMstaff3", "Please call me back"],
    ]) {
      await post("/api/sms/incoming/", { MessageSid: sid!, From: "+919700000009", To: "+15005550006", Body: body! });
    }
    const res = await staffGet("/api/staff/messages", "test-staff-token");
    const { messages } = (await res.json()) as { messages: { id: number; from: string; body: string }[] };
    expect(messages.map((m) => [m.from, m.body])).toEqual([
      ["+919700000009", "Please call me back"],
      ["+919700000009", "Is the clinic open on Sunday?"],
    ]);
    const older = (await (
      await staffGet(`/api/staff/messages?before=${messages[0]!.id}`, "test-staff-token")
    ).json()) as {
      messages: unknown[];
    };
    expect(older.messages).toHaveLength(1);
    expect((await staffGet("/api/staff/messages")).status).toBe(401);
  });
});
