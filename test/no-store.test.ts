/**
 * Every answer of the desk, the patient page and the desk API (phone numbers, health data) says
 * `Cache-Control: no-store`: the test walks every GET route the app declares under those paths,
 * signed in and signed out, so a route added later is covered without being listed here.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/index.ts";
import { hashPassword } from "../src/patients/password.ts";
import { addStaff, DeskClient, ORIGIN } from "./support/desk.ts";
import { bookedPatient } from "./support/line.ts";

const AREAS = ["/desk", "/me", "/api/desk"];
/** Holds no data and may be cached. */
const CACHEABLE = new Set(["/desk/assets/desk.js"]);

function getRoutes(): string[] {
  const paths = app.routes
    .filter((r) => r.method === "GET" || r.method === "ALL")
    .map((r) => r.path)
    .filter((p) => AREAS.some((area) => p === area || p.startsWith(`${area}/`)) && !p.includes("*"));
  return [...new Set(paths)].filter((p) => !CACHEABLE.has(p));
}

async function patientClient(phone: string): Promise<DeskClient> {
  const password = "Temp0rary";
  const hashed = await hashPassword(password, crypto.getRandomValues(new Uint8Array(16)), 1000);
  await env.DB.prepare(
    "INSERT INTO patient_accounts (patient_id, login, password_hash, password_salt, password_iterations) SELECT id, phone, ?, ?, ? FROM patients WHERE phone = ?",
  )
    .bind(hashed.hash, hashed.salt, hashed.iterations, phone)
    .run();
  const client = new DeskClient();
  await client.post("/me/login", { phone, password });
  await client.get("/me/password");
  await client.post("/me/password", { current: password, password: "a longer password", again: "a longer password" });
  return client;
}

describe("Cache-Control: no-store", () => {
  it("is on every answer under /desk, /me and /api/desk, signed in or not, whatever the status", async () => {
    const phone = "+919633000001";
    await bookedPatient(phone);
    const appointment = await env.DB.prepare(
      "SELECT a.id FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.phone = ?",
    )
      .bind(phone)
      .first<{ id: number }>();
    const ids: Record<string, string> = { appointmentId: String(appointment!.id) };
    const admin = await addStaff("admin");
    const staff = new DeskClient();
    await staff.signIn(admin.username, admin.password);
    const patient = await patientClient(phone);
    const anonymous = new DeskClient();

    const routes = getRoutes();
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toEqual(expect.arrayContaining(["/me", "/desk/clinics/:clinicId/queue", "/desk/admin"]));
    let ok = 0;
    for (const route of routes) {
      const path = route.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => ids[name] ?? "1");
      for (const client of [route.startsWith("/me") ? patient : staff, anonymous]) {
        const res = await client.get(path);
        expect(res.headers.get("Cache-Control"), `${path} (${res.status})`).toMatch(/no-store/);
        if (res.status === 200) ok++;
      }
    }
    // The walk reached real pages, not only refusals.
    expect(ok).toBeGreaterThan(routes.length / 2);
    // The desk's script is the one answer that may be cached.
    const script = await exports.default.fetch(`${ORIGIN}/desk/assets/desk.js`);
    expect(script.headers.get("Cache-Control")).toBe("public, max-age=300");
  });
});
