/**
 * The desk under random input (fast-check, seeded): any path with edited ids, any form values,
 * from a signed-in desk user of clinic 1. Never a 5xx, and nothing of another clinic changes.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sameOrigin } from "../src/auth/origin.ts";
import { addStaff, DeskClient } from "./support/desk.ts";
import { heard, newCall } from "./support/line.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2027-09-01T03:30:00Z")); // Wednesday 09:00 IST
});
afterEach(() => vi.useRealTimers());

/** Ids of clinic 2's live appointments, which the random requests aim at too. */
const targets: string[] = [];

const idArb = fc.oneof(
  fc.constantFrom(...["3"]).chain(() => fc.constantFrom(...(targets.length ? targets : ["3"]))),
  fc.constantFrom("1", "2", "3", "0", "-1", "999999", "99999999999999999999", "1.5", "x", "%00", "1e3", ""),
  fc.integer({ min: 1, max: 12 }).map(String),
  fc.string({ maxLength: 8 }).map(encodeURIComponent),
);
const pathArb = fc.tuple(
  fc.constantFrom(
    ["GET", "/desk/clinics/{id}/queue"],
    ["GET", "/desk/clinics/{id}/queue/rows"],
    ["GET", "/desk/clinics/{id}/queue?doctor={id}"],
    ["GET", "/desk/clinics/{id}/schedule"],
    ["GET", "/desk/clinics/{id}/stats"],
    ["GET", "/desk/display/{id}"],
    ["GET", "/desk/display/{id}/now"],
    ["GET", "/desk/admin/clinics/{id}"],
    ["POST", "/desk/appointments/{id}/step"],
    ["POST", "/desk/appointments/{id}/step"],
    ["POST", "/desk/appointments/{id}/step"],
    ["POST", "/desk/clinics/{id}/walk-ins"],
    ["POST", "/desk/doctors/{id}/hours"],
    ["POST", "/desk/doctors/{id}/leave"],
    ["POST", "/desk/doctors/{id}/days-off/remove"],
    ["POST", "/desk/clinics/{id}/holidays"],
    ["POST", "/desk/admin/staff"],
  ),
  idArb,
  idArb,
);
const valueArb = (...plausible: string[]) => fc.oneof(fc.constantFrom(...plausible), fc.string({ maxLength: 30 }));
const formArb = fc.record(
  {
    to: valueArb("arrived", "cancelled", "no_show", "in_consultation", "completed", "booked"),
    doctor: idArb,
    phone: valueArb("9845012345", "+919845012346", "12"),
    from: valueArb("2027-09-01", "2027-09-02", "2026-01-01", "2027-02-30"),
    to_date: valueArb("2027-09-03"),
    reason: fc.string({ maxLength: 30 }),
    confirm: valueArb("yes"),
    date: valueArb("2027-09-01"),
    "works-1": valueArb("1"),
    "start-1": valueArb("09:00", "25:99"),
    "end-1": valueArb("17:00"),
    "slot-1": valueArb("15", "0", "7"),
    username: valueArb("new-user"),
    role: valueArb("desk", "admin"),
  },
  { requiredKeys: [] },
);

async function clinic2Fingerprint() {
  const [appointments, daysOff, hours] = await env.DB.batch([
    env.DB.prepare("SELECT id, status, visit FROM appointments WHERE clinic_id = 2 ORDER BY id"),
    env.DB.prepare(
      "SELECT doctor_id, local_date FROM doctor_days_off WHERE doctor_id IN (SELECT id FROM doctors WHERE clinic_id = 2)",
    ),
    env.DB.prepare("SELECT * FROM doctor_hours WHERE doctor_id IN (SELECT id FROM doctors WHERE clinic_id = 2)"),
  ]);
  return JSON.stringify([appointments!.results, daysOff!.results, hours!.results]);
}

describe("desk under random input", () => {
  it("never answers 5xx, and never changes another clinic", async () => {
    for (const from of ["+919300000001", "+919300000002"]) {
      const call = newCall(from);
      await call.dial();
      await call.press("2"); // Puttur Town Clinic
      await call.press("1");
      expect(heard(await call.press("1"))).toContain("Your token is");
    }
    const live = await env.DB.prepare("SELECT id FROM appointments WHERE clinic_id = 2 AND status = 'booked'").all<{
      id: number;
    }>();
    targets.push(...live.results.map((r) => String(r.id)));
    expect(targets.length).toBeGreaterThanOrEqual(2);
    const user = await addStaff("desk", { clinics: [1] });
    const client = new DeskClient();
    await client.signIn(user.username, user.password);
    const before = await clinic2Fingerprint();
    await fc.assert(
      fc.asyncProperty(pathArb, formArb, async ([[method, template], a, b], form) => {
        const path = template!.replace("{id}", a).replace("{id}", b);
        const res = method === "GET" ? await client.get(path) : await client.post(path, form as Record<string, string>);
        expect(res.status, `${method} ${path} ${JSON.stringify(form)}`).toBeLessThan(500);
      }),
      { seed: 20261125, numRuns: 300 },
    );
    expect(await clinic2Fingerprint()).toBe(before);
  });

  it("accepts form posts from the Worker's own origin or PUBLIC_BASE_URL's, nothing else", async () => {
    const app = new Hono<{ Bindings: Env }>();
    app.get("/", (c) =>
      c.json(["http://a.test", "https://clinic.example.in", "https://evil.test"].map((o) => sameOrigin(o, c))),
    );
    const res = await app.request("http://a.test/", {}, { ...env, PUBLIC_BASE_URL: "https://clinic.example.in/x" });
    expect(await res.json()).toEqual([true, true, false]);
    const plain = await app.request("http://a.test/", {}, { ...env, PUBLIC_BASE_URL: "" });
    expect(await plain.json()).toEqual([true, false, false]);
  });
});
