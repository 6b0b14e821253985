/** Desk sign-in, sessions, throttling and CSRF. */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addStaff, DeskClient, passwordChecks } from "./support/desk.ts";

afterEach(() => vi.useRealTimers());

describe("signing in", () => {
  it("a right password starts a server-side session in an HttpOnly cookie; sign-out revokes it", async () => {
    const user = await addStaff("desk", { clinics: [1] });
    const client = new DeskClient();
    expect((await client.get("/desk/clinics/1/queue")).headers.get("location")).toBe("/desk/login");
    const res = await client.post("/desk/login", { username: user.username, password: user.password });
    expect(res.status).toBe(303);
    // On https the name carries __Host-: the browser keeps it Secure, path /, this host only.
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-desk_session="))!;
    expect(cookie).toMatch(/Path=\//i);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);
    // The cookie carries a random secret, nothing about the user; D1 keeps only its hash.
    const secret = cookie.split(";")[0]!.split("=")[1]!;
    expect(secret).not.toContain(user.username);
    const stored = await env.DB.prepare("SELECT id FROM sessions WHERE subject_id = ? AND kind = 'staff'")
      .bind(user.id)
      .all<{ id: string }>();
    expect(stored.results.map((r) => r.id)).not.toContain(secret);

    expect((await client.get("/desk")).headers.get("location")).toBe("/desk/clinics/1/queue");
    expect((await client.get("/desk/clinics/1/queue")).status).toBe(200);
    const copied = new Map(client.cookies);
    expect((await client.post("/desk/logout", {})).status).toBe(303);
    // A copy of the old cookie is dead too: the row was revoked.
    const thief = new DeskClient();
    for (const [k, v] of copied) thief.cookies.set(k, v);
    expect((await thief.get("/desk/clinics/1/queue")).headers.get("location")).toBe("/desk/login");
  });

  it("a wrong password or unknown user is a 401 with one message; a session expires after 12 hours", async () => {
    const user = await addStaff("desk", { clinics: [1] });
    const client = new DeskClient();
    const wrong = await client.post("/desk/login", { username: user.username, password: "nope" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("The username or password is not right.");
    const unknown = await client.post("/desk/login", { username: "nobody-here", password: "nope" });
    expect(unknown.status).toBe(401);
    expect((await client.post("/desk/login", {})).status).toBe(401);

    await client.signIn(user.username, user.password);
    expect((await client.get("/desk/clinics/1/queue")).status).toBe(200);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 12 * 3_600_000 + 1000);
    expect((await client.get("/desk/clinics/1/queue")).status).toBe(303);
  });

  it("signing in sweeps sessions that expired over a week ago, and keeps recent ones", async () => {
    const old = new Date(Date.now() - 8 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 86_400_000).toISOString();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO sessions (id, kind, subject_id, csrf_token, expires_at) VALUES ('old-row', 'staff', 1, 'x', ?)",
      ).bind(old),
      env.DB.prepare(
        "INSERT INTO sessions (id, kind, subject_id, csrf_token, expires_at) VALUES ('recent-row', 'staff', 1, 'x', ?)",
      ).bind(recent),
    ]);
    const user = await addStaff("desk", { clinics: [1] });
    await new DeskClient().signIn(user.username, user.password);
    const left = await env.DB.prepare("SELECT id FROM sessions WHERE id IN ('old-row', 'recent-row')").all<{
      id: string;
    }>();
    expect(left.results.map((r) => r.id)).toEqual(["recent-row"]);
  });

  it("a switched-off user loses access at once", async () => {
    const user = await addStaff("desk", { clinics: [1] });
    const client = new DeskClient();
    await client.signIn(user.username, user.password);
    await env.DB.prepare("UPDATE staff_users SET active = 0 WHERE id = ?").bind(user.id).run();
    expect((await client.get("/desk/clinics/1/queue")).status).toBe(303);
    expect((await client.post("/desk/login", { username: user.username, password: user.password })).status).toBe(401);
  });
});

describe("the session cookie's name", () => {
  it("is plain desk_session (not Secure) only on plain-http local development", async () => {
    const user = await addStaff("desk", { clinics: [1] });
    const { exports } = await import("cloudflare:workers");
    const res = await exports.default.fetch("http://localhost:8787/desk/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost:8787" },
      body: new URLSearchParams({ username: user.username, password: user.password }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("desk_session="))!;
    expect(cookie).not.toMatch(/Secure/i);
  });
});

describe("throttling", () => {
  it("60 parallel wrong sign-ins to one account get at most 5 password checks, from one address or from 60", async () => {
    const user = await addStaff("desk", { clinics: [1] });
    const oneAddress = new DeskClient("10.3.0.1");
    const fromOne = await passwordChecks(() =>
      Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          oneAddress.post("/desk/login", { username: user.username, password: `x${i}` }),
        ),
      ),
    );
    expect(fromOne).toBeGreaterThan(0);
    expect(fromOne).toBeLessThanOrEqual(5);

    const other = await addStaff("desk", { clinics: [1] });
    const fromMany = await passwordChecks(() =>
      Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          new DeskClient(`10.4.${i}.1`).post("/desk/login", { username: other.username, password: `x${i}` }),
        ),
      ),
    );
    expect(fromMany).toBeGreaterThan(0);
    expect(fromMany).toBeLessThanOrEqual(5);
  });

  it("strangers' failures do not lock the account out of an address it signed in from before", async () => {
    const user = await addStaff("desk", { clinics: [1] });
    const deskPc = new DeskClient("10.5.0.1");
    expect((await deskPc.post("/desk/login", { username: user.username, password: user.password })).status).toBe(303);
    for (let i = 0; i < 10; i++)
      await new DeskClient(`10.5.${i + 1}.1`).post("/desk/login", { username: user.username, password: "x" });
    // A new address is refused (the account's count from unknown addresses is used up) ...
    expect(
      (await new DeskClient("10.5.99.1").post("/desk/login", { username: user.username, password: user.password }))
        .status,
    ).toBe(429);
    // ... the clinic's own PC signs in as before.
    expect(
      (await new DeskClient("10.5.0.1").post("/desk/login", { username: user.username, password: user.password }))
        .status,
    ).toBe(303);
  });

  it("five failures for one account make even the right password wait, from any address it never signed in from", async () => {
    const user = await addStaff("desk", { clinics: [1] });
    for (let i = 0; i < 5; i++) {
      const res = await new DeskClient(`10.1.${i}.1`).post("/desk/login", { username: user.username, password: "x" });
      expect(res.status).toBe(401);
    }
    const blocked = await new DeskClient("10.1.9.9").post("/desk/login", {
      username: user.username,
      password: user.password,
    });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain("Too many failed sign-ins. Please wait 15 minutes");
    // After the window, the right password works again.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 15 * 60_000 + 1000);
    expect(
      (await new DeskClient("10.1.9.9").post("/desk/login", { username: user.username, password: user.password }))
        .status,
    ).toBe(303);
  });

  it("five failures from one address block that address for every account, not others", async () => {
    const victim = await addStaff("desk", { clinics: [1] });
    const attacker = new DeskClient("10.2.0.1");
    for (let i = 0; i < 5; i++) await attacker.post("/desk/login", { username: `guess-${i}`, password: "x" });
    expect((await attacker.post("/desk/login", { username: victim.username, password: victim.password })).status).toBe(
      429,
    );
    expect(
      (await new DeskClient("10.2.0.2").post("/desk/login", { username: victim.username, password: victim.password }))
        .status,
    ).toBe(303);
  });
});

describe("oversized requests", () => {
  it("are refused with 413 before anything is read, on the desk, the patient page and the API", async () => {
    const big = "x".repeat(40 * 1024);
    const client = new DeskClient();
    expect((await client.post("/desk/login", { username: "a", password: big })).status).toBe(413);
    expect((await client.post("/me/login", { phone: "9845012345", password: big })).status).toBe(413);
    const { exports } = await import("cloudflare:workers");
    const api = await exports.default.fetch("https://line.test/api/desk/clinics/1/walk-ins", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ phone: big }),
    });
    expect(api.status).toBe(413);
  });
});

describe("CSRF", () => {
  it("a state-changing request needs the session's token and a same-origin Origin", async () => {
    const user = await addStaff("desk", { clinics: [1] });
    const client = new DeskClient();
    await client.signIn(user.username, user.password);
    expect(client.csrf).not.toBe("");
    const walkIn = { doctor: "1", phone: "9845011111" };
    const noToken = await client.post("/desk/clinics/1/walk-ins", walkIn, { csrf: null });
    expect(noToken.status).toBe(403);
    const wrongToken = await client.post("/desk/clinics/1/walk-ins", walkIn, { csrf: "x".repeat(client.csrf.length) });
    expect(wrongToken.status).toBe(403);
    const crossSite = await client.post("/desk/clinics/1/walk-ins", walkIn, { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    // Another user's token does not fit this session.
    const other = new DeskClient();
    const otherUser = await addStaff("desk", { clinics: [1] });
    await other.signIn(otherUser.username, otherUser.password);
    expect((await client.post("/desk/clinics/1/walk-ins", walkIn, { csrf: other.csrf })).status).toBe(403);
    const sign = await client.post("/desk/logout", {}, { csrf: null });
    expect(sign.status).toBe(403);
    // Nothing was booked by any of the refused requests.
    const count = await env.DB.prepare(
      "SELECT count(*) AS n FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.phone = '+919845011111'",
    ).first<{ n: number }>();
    expect(count?.n).toBe(0);
  });

  it("a cross-site sign-in form is refused (login CSRF)", async () => {
    const user = await addStaff("desk", { clinics: [1] });
    const res = await new DeskClient().post(
      "/desk/login",
      { username: user.username, password: user.password },
      { origin: "https://evil.example" },
    );
    expect(res.status).toBe(403);
  });
});
