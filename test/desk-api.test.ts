/** The desk's JSON API: the same sessions, roles and clinic checks as the pages, CSRF by header, and its OpenAPI document. */
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { heard, newCall, post } from "./support/line.ts";
import { addStaff, DeskClient, ORIGIN } from "./support/desk.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2027-05-05T03:30:00Z")); // Wednesday 09:00 IST
});
afterEach(() => vi.useRealTimers());

async function session(role: "admin" | "desk" | "doctor", options: { clinics?: number[]; doctorId?: number } = {}) {
  const user = await addStaff(role, options);
  const client = new DeskClient();
  await client.signIn(user.username, user.password);
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const me = (await (await api("GET", "/api/desk/session", cookie)).json()) as { csrfToken: string };
  return { cookie, csrf: me.csrfToken };
}

function api(method: string, path: string, cookie?: string, body?: unknown, csrf?: string) {
  return exports.default.fetch(`${ORIGIN}${path}`, {
    method,
    headers: {
      ...(cookie ? { Cookie: cookie } : {}),
      ...(csrf ? { "X-CSRF-Token": csrf } : {}),
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function book(from: string, clinicKey: string) {
  const call = newCall(from);
  await call.dial();
  await call.press(clinicKey);
  await call.press("1");
  expect(heard(await call.press("1"))).toContain("Your token is");
}

describe("desk API", () => {
  it("lists a clinic's day only for its own staff; ids edited in the URL reach nothing", async () => {
    await book("+919822200001", "1");
    const desk1 = await session("desk", { clinics: [1] });
    expect((await api("GET", "/api/desk/clinics/1/appointments")).status).toBe(401);
    const res = await api("GET", "/api/desk/clinics/1/appointments?date=2027-05-05", desk1.cookie);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { appointments: { phone: string; status: string; source: string }[] };
    expect(body.appointments.map((a) => [a.phone, a.status, a.source])).toContainEqual([
      "+919822200001",
      "booked",
      "ivr",
    ]);
    expect((await api("GET", "/api/desk/clinics/2/appointments", desk1.cookie)).status).toBe(403);
    expect((await api("GET", "/api/desk/clinics/2/attention", desk1.cookie)).status).toBe(403);
    expect((await api("GET", "/api/desk/clinics/999/appointments", desk1.cookie)).status).toBe(404);
    const junk = await api("GET", "/api/desk/clinics/x/appointments", desk1.cookie);
    expect(junk.status).toBe(400);
    expect(await junk.json()).toEqual({
      error: "invalid input",
      issues: [{ path: "params.clinicId", message: "must be a whole number" }],
    });
    expect((await api("GET", "/api/desk/clinics/1/appointments?date=2027-02-30", desk1.cookie)).status).toBe(400);
    expect((await api("GET", "/api/desk/messages", desk1.cookie)).status).toBe(403);
    // Today's SMS usage: line-wide counts for the desk's alert; a doctor has no use for them.
    expect((await api("GET", "/api/desk/sms-usage", desk1.cookie)).status).toBe(200);
  });

  it("changes need the session's X-CSRF-Token; a doctor sees masked phones and cannot cancel", async () => {
    await book("+919822200002", "1");
    const desk1 = await session("desk", { clinics: [1] });
    const { appointments } = (await (await api("GET", "/api/desk/clinics/1/appointments", desk1.cookie)).json()) as {
      appointments: { id: number; phone: string; doctorId: number }[];
    };
    const mine = appointments.find((a) => a.phone === "+919822200002")!;
    expect((await api("POST", `/api/desk/appointments/${mine.id}/step`, desk1.cookie, { to: "arrived" })).status).toBe(
      403,
    );
    const moved = await api(
      "POST",
      `/api/desk/appointments/${mine.id}/step`,
      desk1.cookie,
      { to: "arrived" },
      desk1.csrf,
    );
    expect(moved.status).toBe(200);
    expect(await moved.json()).toEqual({ from: "booked", to: "arrived" });
    const bad = await api("POST", `/api/desk/appointments/${mine.id}/step`, desk1.cookie, { to: "flying" }, desk1.csrf);
    expect(bad.status).toBe(400);
    const again = await api(
      "POST",
      `/api/desk/appointments/${mine.id}/step`,
      desk1.cookie,
      { to: "arrived" },
      desk1.csrf,
    );
    expect(again.status).toBe(409);

    const doctor = await session("doctor", { doctorId: mine.doctorId });
    expect((await api("GET", "/api/desk/sms-usage", doctor.cookie)).status).toBe(403);
    const seen = (await (await api("GET", "/api/desk/clinics/1/appointments", doctor.cookie)).json()) as {
      appointments: { phone: string; doctorId: number }[];
    };
    expect(seen.appointments.every((a) => a.doctorId === mine.doctorId && a.phone.startsWith("•••• "))).toBe(true);
    expect(
      (await api("POST", `/api/desk/appointments/${mine.id}/step`, doctor.cookie, { to: "cancelled" }, doctor.csrf))
        .status,
    ).toBe(403);

    const desk2 = await session("desk", { clinics: [2] });
    expect(
      (await api("POST", `/api/desk/appointments/${mine.id}/step`, desk2.cookie, { to: "no_show" }, desk2.csrf)).status,
    ).toBe(403);
    expect(
      (
        await api(
          "POST",
          "/api/desk/clinics/1/walk-ins",
          desk2.cookie,
          { doctorId: 1, phone: "9845099999" },
          desk2.csrf,
        )
      ).status,
    ).toBe(403);
  });

  it("issues walk-ins", async () => {
    const desk1 = await session("desk", { clinics: [1] });
    const issued = await api(
      "POST",
      "/api/desk/clinics/1/walk-ins",
      desk1.cookie,
      { doctorId: 2, phone: "9845077777" },
      desk1.csrf,
    );
    expect(issued.status).toBe(201);
    expect(await issued.json()).toMatchObject({ token: expect.stringMatching(/^KR-\d+$/) });
    const badPhone = await api(
      "POST",
      "/api/desk/clinics/1/walk-ins",
      desk1.cookie,
      { doctorId: 2, phone: "12" },
      desk1.csrf,
    );
    expect(badPhone.status).toBe(400);
    const otherDoctor = await api(
      "POST",
      "/api/desk/clinics/1/walk-ins",
      desk1.cookie,
      { doctorId: 3, phone: "9845077778" },
      desk1.csrf,
    );
    expect(otherDoctor.status).toBe(400);
  });

  it("an admin reads patients' free-text messages, newest first, paging with ?before=", async () => {
    for (const [sid, body] of [
      ["SMdesk1", "Is the clinic open on Sunday?"],
      ["SMdesk2", "STATUS"],
      ["SMdesk3", "Please call me back"],
    ]) {
      await post("/api/sms/incoming/", { MessageSid: sid!, From: "+919700000019", To: "+15005550006", Body: body! });
    }
    const admin = await session("admin");
    const { messages } = (await (await api("GET", "/api/desk/messages", admin.cookie)).json()) as {
      messages: { id: number; from: string; body: string }[];
    };
    const mine = messages.filter((m) => m.from === "+919700000019");
    expect(mine.map((m) => m.body)).toEqual(["Please call me back", "Is the clinic open on Sunday?"]);
    const older = (await (await api("GET", `/api/desk/messages?before=${mine[0]!.id}`, admin.cookie)).json()) as {
      messages: { id: number }[];
    };
    expect(older.messages.every((m) => m.id < mine[0]!.id)).toBe(true);
  });

  it("serves an OpenAPI document generated from the routes", async () => {
    const res = await api("GET", "/api/desk/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/appointments/{appointmentId}/move",
      "/appointments/{appointmentId}/step",
      "/clinics/{clinicId}/appointments",
      "/clinics/{clinicId}/attention",
      "/clinics/{clinicId}/walk-ins",
      "/messages",
      "/session",
      "/sms-usage",
    ]);
    expect(Object.keys(doc.paths["/appointments/{appointmentId}/step"]!)).toEqual(["post"]);
    // Every documented operation is served (and guarded): unsigned, each answers 401, never 404.
    for (const [path, operations] of Object.entries(doc.paths))
      for (const method of Object.keys(operations)) {
        const concrete = path.replace(/\{\w+\}/g, "1");
        const res = await api(
          method.toUpperCase(),
          `/api/desk${concrete}`,
          undefined,
          method === "post" ? {} : undefined,
        );
        expect(res.status, `${method} ${path}`).toBe(401);
      }
    void env;
  });
});
