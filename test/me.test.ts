/** The patient's page: phone and password sign-in, the forced first change, appointments, cancelling. */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hashPassword } from "../src/patients/password.ts";
import { bookEarliest, contextAt, newClinic } from "./support/clinic.ts";
import { DeskClient, passwordChecks } from "./support/desk.ts";
import { bookedPatient, fakeTwilioSms } from "./support/line.ts";
import { BACKGROUND_WAIT } from "./support/waits.ts";

const WED_8AM = new Date("2027-07-07T02:30:00Z"); // Wednesday 08:00 IST
let counter = 0;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(WED_8AM);
});
afterEach(() => vi.useRealTimers());

/** A patient as a first booking leaves them: an account with a temporary password to replace. */
async function patientWithAccount(): Promise<{ phone: string; password: string }> {
  const phone = `+91950000${String(++counter).padStart(4, "0")}`;
  const password = "Temp0rary";
  const hashed = await hashPassword(password, crypto.getRandomValues(new Uint8Array(16)), 1000);
  await env.DB.batch([
    env.DB.prepare("INSERT INTO patients (phone, name) VALUES (?, 'Test patient')").bind(phone),
    env.DB.prepare(
      "INSERT INTO patient_accounts (patient_id, login, password_hash, password_salt, password_iterations) SELECT id, phone, ?, ?, ? FROM patients WHERE phone = ?",
    ).bind(hashed.hash, hashed.salt, hashed.iterations, phone),
  ]);
  return { phone, password };
}

async function signedIn(phone: string, password: string, newPassword = "my own password") {
  const client = new DeskClient();
  const res = await client.post("/me/login", { phone: phone.replace("+91", ""), password });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/me/password");
  await client.get("/me/password");
  const changed = await client.post("/me/password", { current: password, password: newPassword, again: newPassword });
  expect(changed.status).toBe(303);
  await client.get("/me");
  return client;
}

describe("the patient's page", () => {
  it("the password SMS points to it", async () => {
    const { issueTemporaryPassword } = await import("../src/patients/account.ts");
    const { database } = await import("../src/db/client.ts");
    const { renderAccountSms } = await import("../src/sms/account-sms.ts");
    const phone = "+919500088888";
    await bookedPatient(phone);
    const db = database(env.DB);
    const [made] = await issueTemporaryPassword(
      db,
      { smsAllowedCountryCodes: ["+91"], defaultLanguage: "en" },
      phone,
      "https://line.test",
    );
    // The password is rendered at send time (never stored); the outbox names the page under the public base.
    const text = await renderAccountSms(db, "en", phone, made!.secret, "https://line.test/me");
    expect(text?.template).toBe("account");
    expect(text?.body).toMatch(/temporary password \S+\. Sign in at https:\/\/line\.test\/me to see your appointments/);
  });

  it("the SMS password signs in once, and only to replace it; then the new one works and the old one does not", async () => {
    const { phone, password } = await patientWithAccount();
    const client = new DeskClient();
    expect((await client.post("/me/login", { phone, password: "wrong" })).status).toBe(401);
    expect((await client.post("/me/login", { phone: phone.slice(3), password })).status).toBe(303);
    // Nothing but the password page until it is changed.
    expect((await client.get("/me")).headers.get("location")).toBe("/me/password");
    await client.get("/me/password");
    const bad = await client.post("/me/password", { current: "nope", password: "short", again: "other" });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain("That is not your current password.");
    expect(page).toContain("At least 8 characters.");
    expect(page).toContain("The two new passwords differ.");
    const same = await client.post("/me/password", { current: password, password, again: password });
    expect(same.status).toBe(400);
    expect(
      (await client.post("/me/password", { current: password, password: "brand new pw", again: "brand new pw" }))
        .status,
    ).toBe(303);
    expect((await client.get("/me")).status).toBe(200);

    expect((await new DeskClient().post("/me/login", { phone, password })).status).toBe(401);
    const again = new DeskClient();
    const res = await again.post("/me/login", { phone, password: "brand new pw" });
    expect(res.headers.get("location")).toBe("/me");
  });

  it("40 parallel wrong sign-ins to one number get at most 5 password checks", async () => {
    const { phone } = await patientWithAccount();
    const checks = await passwordChecks(() =>
      Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          new DeskClient(`10.8.${i}.1`).post("/me/login", { phone, password: `x${i}` }),
        ),
      ),
    );
    expect(checks).toBeGreaterThan(0);
    expect(checks).toBeLessThanOrEqual(5);
  });

  it("is throttled after five failures for the number", async () => {
    const { phone, password } = await patientWithAccount();
    for (let i = 0; i < 5; i++) await new DeskClient(`10.9.${i}.1`).post("/me/login", { phone, password: "x" });
    expect((await new DeskClient("10.9.9.9").post("/me/login", { phone, password })).status).toBe(429);
  });

  it("lists upcoming and past appointments; cancels only its own, with an SMS, through the booking service", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Tara Kamath"]);
    const { phone, password } = await patientWithAccount();
    const other = await patientWithAccount();
    const mine = await bookEarliest(ctx, clinic.id, phone, `CAme${counter}a`);
    const theirs = await bookEarliest(ctx, clinic.id, other.phone, `CAme${counter}b`);
    if (mine.result?.kind !== "booked" || theirs.result?.kind !== "booked") throw new Error("not booked");
    const client = await signedIn(phone, password);
    const page = await (await client.get("/me")).text();
    expect(page).toContain(mine.result.booking.token);
    expect(page).not.toContain(theirs.result.booking.token);

    // Someone else's appointment id: refused, unchanged.
    expect((await client.post(`/me/appointments/${theirs.result.booking.appointmentId}/cancel`, {})).status).toBe(404);
    // Without the form's CSRF token: refused.
    expect(
      (await client.post(`/me/appointments/${mine.result.booking.appointmentId}/cancel`, {}, { csrf: null })).status,
    ).toBe(403);
    const done = await client.post(`/me/appointments/${mine.result.booking.appointmentId}/cancel`, {});
    expect(done.status).toBe(303);
    const status = (id: number) =>
      env.DB.prepare("SELECT status FROM appointments WHERE id = ?").bind(id).first<{ status: string }>();
    expect(await status(mine.result.booking.appointmentId)).toEqual({ status: "cancelled" });
    expect(await status(theirs.result.booking.appointmentId)).toEqual({ status: "booked" });
    const sms = await env.DB.prepare("SELECT body FROM sms_outbox WHERE to_number = ? AND purpose = 'cancellation'")
      .bind(phone)
      .first<{ body: string }>();
    expect(sms?.body).toContain(`Token ${mine.result.booking.token} is cancelled`);
    expect(await (await client.get(`/me?cancelled=${mine.result.booking.token}`)).text()).toContain(
      `Cancelled ${mine.result.booking.token}. An SMS confirms it.`,
    );
    // The freed time is offered to the next caller.
    const next = await bookEarliest(ctx, clinic.id, "+919500099999", `CAme${counter}c`);
    expect(next.offer?.startMinute).toBe(mine.offer!.startMinute);
  });

  it("keeps the patient's language (one the line offers); the SMS of a move is then in it", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Kiran Rao"]);
    const { phone, password } = await patientWithAccount();
    const mine = await bookEarliest(ctx, clinic.id, phone, `CAlang${counter}`);
    if (mine.result?.kind !== "booked") throw new Error("not booked");
    const client = await signedIn(phone, password);
    // The tests' line offers English only (LANGUAGES=en): another language is refused.
    expect((await client.post("/me/language", { language: "kn" })).status).toBe(400);
    expect((await client.post("/me/language", { language: "xx" })).status).toBe(400);
    const saved = await client.post("/me/language", { language: "en" });
    expect(saved.status).toBe(303);
    const stored = () =>
      env.DB.prepare("SELECT preferred_language AS l FROM patients WHERE phone = ?").bind(phone).first<{ l: string }>();
    expect((await stored())?.l).toBe("en");
    // Chosen on a call in Kannada: what the patient's page (and the desk) then texts is Kannada.
    await env.DB.prepare("UPDATE patients SET preferred_language = 'kn' WHERE phone = ?").bind(phone).run();
    await client.get("/me");
    expect((await client.post(`/me/appointments/${mine.result.booking.appointmentId}/move`, {})).status).toBe(303);
    const sms = await env.DB.prepare("SELECT body FROM sms_outbox WHERE to_number = ? ORDER BY id DESC")
      .bind(phone)
      .first<{ body: string }>();
    expect(sms?.body).toMatch(/^ಟೋಕನ್ \S+, \S+ ಬದಲಿಗೆ: .* \d\d-\d\d-\d{4} ಬೆಳಿಗ್ಗೆ \d{1,2}:\d\d\./);
  });

  it("moves their own appointment to the doctor's next free time, texted; not someone else's", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Vidya Bhat"]);
    const { phone, password } = await patientWithAccount();
    const other = await patientWithAccount();
    const mine = await bookEarliest(ctx, clinic.id, phone, `CAmv${counter}a`); // 09:00, V-1
    const theirs = await bookEarliest(ctx, clinic.id, other.phone, `CAmv${counter}b`); // 09:15, V-2
    if (mine.result?.kind !== "booked" || theirs.result?.kind !== "booked") throw new Error("not booked");
    const client = await signedIn(phone, password);
    expect((await client.post(`/me/appointments/${theirs.result.booking.appointmentId}/move`, {})).status).toBe(404);
    const moved = await client.post(`/me/appointments/${mine.result.booking.appointmentId}/move`, {});
    expect(moved.status).toBe(303);
    expect(moved.headers.get("location")).toBe("/me?moved=V-3");
    const page = await (await client.get("/me?moved=V-3")).text();
    expect(page).toContain("Moved: your new token is V-3.");
    expect(page).toContain('data-token="V-3"');
    const sms = await env.DB.prepare("SELECT body FROM sms_outbox WHERE to_number = ? ORDER BY id DESC")
      .bind(phone)
      .first<{ body: string }>();
    expect(sms?.body).toMatch(/^Token V-\d+ is your new token, in place of V-1: Dr. Vidya Bhat/);
    // The echoed token is only ever a token.
    expect(await (await client.get("/me?moved=%3Cscript%3E")).text()).not.toContain("<script>");
  });

  it("a desk session does not open the patient page, nor the other way round", async () => {
    const { phone, password } = await patientWithAccount();
    const client = await signedIn(phone, password);
    expect((await client.get("/desk/clinics/1/queue")).headers.get("location")).toBe("/desk/login");
    expect((await new DeskClient().get("/me")).headers.get("location")).toBe("/me/login");
  });
});

describe("a temporary password by SMS, asked for on the sign-in page", () => {
  const passwordIn = (body: string) => /temporary password (\S+)\./.exec(body)?.[1];

  it("comes to a number that has booked, signs in once to be replaced; an unknown number hears the same and gets nothing", async () => {
    vi.useRealTimers();
    const phone = "+919500077001";
    await bookedPatient(phone);
    const sent = fakeTwilioSms();
    const page = await new DeskClient().get("/me/login");
    expect(await page.text()).toContain("Text me a password");

    const known = await new DeskClient().post("/me/password-by-sms", { phone: "95000 77001" });
    const unknown = await new DeskClient().post("/me/password-by-sms", { phone: "9500077002" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const answer = (text: string) => /a temporary password is on its way[^<]*/.exec(text)?.[0];
    expect(answer(await known.text())).toBe(answer(await unknown.text()));

    await vi.waitFor(() => expect(sent.filter((m) => m.To === phone)).toHaveLength(1), BACKGROUND_WAIT);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent.filter((m) => m.To === "+919500077002")).toHaveLength(0);
    const password = passwordIn(sent.find((m) => m.To === phone)!.Body)!;
    const client = new DeskClient();
    const signIn = await client.post("/me/login", { phone, password });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("location")).toBe("/me/password");
  });

  it("asked for by anyone, it voids neither the patient's password nor their open session until it is used", async () => {
    vi.useRealTimers();
    const phone = "+919500077004";
    await bookedPatient(phone);
    const sent = fakeTwilioSms();
    // The patient has an account with a password of their own, and is signed in.
    await new DeskClient().post("/me/password-by-sms", { phone });
    await vi.waitFor(() => expect(sent.filter((m) => m.To === phone)).toHaveLength(1), { timeout: 15_000 });
    const patient = await signedIn(phone, passwordIn(sent[0]!.Body)!, "my own password");

    // A stranger asks for a temporary password for the same number.
    expect((await new DeskClient("10.7.7.7").post("/me/password-by-sms", { phone })).status).toBe(200);
    await vi.waitFor(() => expect(sent.filter((m) => m.To === phone)).toHaveLength(2), { timeout: 15_000 });
    const temporary = passwordIn(sent[1]!.Body)!;

    expect((await patient.get("/me")).status).toBe(200);
    const own = await new DeskClient().post("/me/login", { phone, password: "my own password" });
    expect(own.headers.get("location")).toBe("/me");
    // The temporary one works once, and then replaces the patient's (to be changed at once).
    const byTemporary = await new DeskClient().post("/me/login", { phone, password: temporary });
    expect(byTemporary.headers.get("location")).toBe("/me/password");
    expect((await new DeskClient().post("/me/login", { phone, password: "my own password" })).status).toBe(401);
  });

  it("three a day to one number; then it refuses, and no fourth SMS is queued", async () => {
    vi.useRealTimers();
    const phone = "+919500077003";
    await bookedPatient(phone);
    const sent = fakeTwilioSms();
    for (let i = 0; i < 3; i++)
      expect((await new DeskClient().post("/me/password-by-sms", { phone })).status).toBe(200);
    const refused = await new DeskClient().post("/me/password-by-sms", { phone });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("Too many passwords");
    await vi.waitFor(
      () => expect(sent.filter((m) => m.To === phone).length).toBeGreaterThanOrEqual(1),
      BACKGROUND_WAIT,
    );
    const { n } = (await env.DB.prepare(
      "SELECT count(*) AS n FROM sms_outbox WHERE to_number = ? AND purpose = 'account'",
    )
      .bind(phone)
      .first<{ n: number }>())!;
    expect(n).toBeLessThanOrEqual(3);
  });

  it("junk instead of a number gets a 400 with a message, and nothing is counted or sent", async () => {
    vi.useRealTimers();
    const res = await new DeskClient().post("/me/password-by-sms", { phone: "<script>" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Please enter a mobile number");
    const { n } = (await env.DB.prepare(
      "SELECT count(*) AS n FROM login_failures WHERE key LIKE 'password-sms:%script%'",
    ).first<{ n: number }>())!;
    expect(n).toBe(0);
  });

  it("a form from another site is refused", async () => {
    vi.useRealTimers();
    const res = await new DeskClient().post(
      "/me/password-by-sms",
      { phone: "9500077004" },
      { origin: "https://evil.example" },
    );
    expect(res.status).toBe(403);
  });
});
