/** The admin's directory: only admins; clinics, specialities, doctors and staff users, validated and audited. */
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runReminderCalls } from "../src/calls/run.ts";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import type { Job } from "../src/jobs/queue.ts";
import { mockServer } from "./setup.ts";
import { addStaff, DeskClient, ORIGIN } from "./support/desk.ts";
import { heard, lineWith, newCallOn } from "./support/line.ts";

async function signedIn(role: "admin" | "desk" | "doctor", options: { clinics?: number[]; doctorId?: number } = {}) {
  const user = await addStaff(role, options);
  const client = new DeskClient();
  await client.signIn(user.username, user.password);
  await client.get(role === "admin" ? "/desk/admin" : "/desk");
  return client;
}

const audited = async (action: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = ?").bind(action).first<{ n: number }>())!.n;

describe("directory", () => {
  it("is the admin's alone", async () => {
    for (const client of [await signedIn("desk", { clinics: [1] }), await signedIn("doctor", { doctorId: 1 })]) {
      expect((await client.get("/desk/admin")).status).toBe(403);
      expect((await client.get("/desk/admin/clinics/1")).status).toBe(403);
      expect((await client.post("/desk/admin/specialities", { name: "Cardiology" })).status).toBe(403);
      expect((await client.post("/desk/admin/doctors/1/active", { active: "0" })).status).toBe(403);
    }
    const active = await env.DB.prepare("SELECT active FROM doctors WHERE id = 1").first<{ active: number }>();
    expect(active?.active).toBe(1);
  });

  it("with many clinics, /desk lists them and the header names only the clinic on screen", async () => {
    const admin = await signedIn("admin");
    const list = await admin.get("/desk");
    expect(list.status).toBe(200);
    const html = await list.text();
    for (const id of [1, 2, 3, 4, 5]) expect(html).toContain(`<a href="/desk/clinics/${id}/queue">`);
    const queue = await (await admin.get("/desk/clinics/2/queue")).text();
    const header = queue.slice(queue.indexOf("<header>"), queue.indexOf("</header>"));
    expect(header).toContain("Puttur Town Clinic");
    expect(header).not.toContain("Hampankatta Family Clinic");
    expect(header).toContain('<a href="/desk">All clinics</a>');
  });

  it("adds and edits clinics, refusing an unknown time zone or phone next to the field", async () => {
    const admin = await signedIn("admin");
    const bad = await admin.post("/desk/admin/clinics", {
      name: "Surathkal Clinic",
      address: "NH 66, Surathkal",
      timezone: "Asia/Mangalore",
      phone: "12",
      district: "1",
    });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain("Not a time zone (e.g. Asia/Kolkata).");
    expect(page).toContain("Not a phone number");
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM clinics WHERE name = 'Surathkal Clinic'").first<{ n: number }>(),
    ).toEqual({ n: 0 });
    const ok = await admin.post("/desk/admin/clinics", {
      name: "Surathkal Clinic",
      address: "NH 66, Surathkal",
      timezone: "Asia/Kolkata",
      phone: "0824 2470001",
      district: "1",
    });
    expect(ok.status).toBe(303);
    const clinic = await env.DB.prepare("SELECT id, phone FROM clinics WHERE name = 'Surathkal Clinic'").first<{
      id: number;
      phone: string;
    }>();
    expect(clinic?.phone).toBe("+918242470001");
    const edit = await admin.post(`/desk/admin/clinics/${clinic!.id}`, {
      name: "Surathkal Town Clinic",
      address: "NH 66, Surathkal",
      timezone: "Asia/Kolkata",
      phone: "",
      district: "1",
    });
    expect(edit.status).toBe(303);
    expect((await admin.post("/desk/admin/clinics/99999", { name: "x" })).status).toBe(404);
    // Reception hours and the names Kannada and Hindi callers hear; bad hours are refused at the field.
    const badHours = await admin.post(`/desk/admin/clinics/${clinic!.id}`, {
      name: "Surathkal Town Clinic",
      address: "NH 66, Surathkal",
      timezone: "Asia/Kolkata",
      phone: "0824 2470001",
      district: "1",
      opening_hours: "Mon-Sat 9 to 6",
    });
    expect(badHours.status).toBe(400);
    expect(await badHours.text()).toContain("Weekdays and times like");
    const named = await admin.post(`/desk/admin/clinics/${clinic!.id}`, {
      name: "Surathkal Town Clinic",
      address: "NH 66, Surathkal",
      timezone: "Asia/Kolkata",
      phone: "0824 2470001",
      district: "1",
      opening_hours: "1-6 0900-1700",
      name_kn: "ಸುರತ್ಕಲ್ ಟೌನ್ ಕ್ಲಿನಿಕ್",
      name_hi: "सुरतकल टाउन क्लिनिक",
    });
    expect(named.status).toBe(303);
    expect(
      await env.DB.prepare("SELECT opening_hours, display_names FROM clinics WHERE id = ?").bind(clinic!.id).first(),
    ).toEqual({
      opening_hours: "1-6 0900-1700",
      display_names: JSON.stringify({ kn: "ಸುರತ್ಕಲ್ ಟೌನ್ ಕ್ಲಿನಿಕ್", hi: "सुरतकल टाउन क्लिनिक" }),
    });
    expect(await (await admin.get(`/desk/admin/clinics/${clinic!.id}`)).text()).toContain("ಸುರತ್ಕಲ್ ಟೌನ್ ಕ್ಲಿನಿಕ್");
    expect(await audited("clinic.edit")).toBeGreaterThan(0);
  });

  it("adds a doctor through the booking service, showing the token prefix; stops and resumes bookings", async () => {
    const admin = await signedIn("admin");
    expect((await admin.post("/desk/admin/doctors", { name: "", clinic: "1", speciality: "1" })).status).toBe(400);
    expect((await admin.post("/desk/admin/doctors", { name: "Dr. X", clinic: "999", speciality: "1" })).status).toBe(
      400,
    );
    const res = await admin.post("/desk/admin/doctors", { name: "Dr. Kavitha Somayaji", clinic: "1", speciality: "2" });
    expect(res.status).toBe(303);
    expect(await (await admin.get("/desk/admin")).text()).toMatch(
      /Dr. Kavitha Somayaji added with token prefix [A-Z]{1,3} /,
    );
    const doctor = await env.DB.prepare(
      "SELECT id, token_prefix FROM doctors WHERE name = 'Dr. Kavitha Somayaji'",
    ).first<{
      id: number;
      token_prefix: string;
    }>();
    expect(doctor?.token_prefix).not.toBe("KS"); // Dr. Kavya Shetty has KS in clinic 1
    expect((await admin.post(`/desk/admin/doctors/${doctor!.id}/active`, { active: "0" })).status).toBe(303);
    expect(await env.DB.prepare("SELECT active FROM doctors WHERE id = ?").bind(doctor!.id).first()).toEqual({
      active: 0,
    });
  });

  it("adds staff users with a password shown once; switching one off signs them out everywhere", async () => {
    const admin = await signedIn("admin");
    const noClinic = await admin.post("/desk/admin/staff", { username: "desk-new", role: "desk" });
    expect(noClinic.status).toBe(400);
    expect(await noClinic.text()).toContain("A desk user needs at least one clinic.");
    expect((await admin.post("/desk/admin/staff", { username: "x", role: "desk", "clinic-1": "1" })).status).toBe(400);
    expect((await admin.post("/desk/admin/staff", { username: "doc-new", role: "doctor", doctor: "999" })).status).toBe(
      400,
    );

    const added = await admin.post("/desk/admin/staff", { username: "desk-surathkal", role: "desk", "clinic-2": "1" });
    expect(added.status).toBe(200);
    const password = /Password \(shown once, hand it over in person\): ([A-Za-z0-9]+)/.exec(await added.text())![1]!;
    expect(
      (await admin.post("/desk/admin/staff", { username: "desk-surathkal", role: "desk", "clinic-2": "1" })).status,
    ).toBe(400);

    const newcomer = new DeskClient();
    expect((await newcomer.signIn("desk-surathkal", password)).status).toBe(303);
    expect((await newcomer.get("/desk/clinics/2/queue")).status).toBe(200);
    expect((await newcomer.get("/desk/clinics/1/queue")).status).toBe(403);

    const user = await env.DB.prepare("SELECT id FROM staff_users WHERE username = 'desk-surathkal'").first<{
      id: number;
    }>();
    expect((await admin.post(`/desk/admin/staff/${user!.id}/active`, { active: "0" })).status).toBe(303);
    expect((await newcomer.get("/desk/clinics/2/queue")).status).toBe(303);
    expect(await audited("staff.off")).toBeGreaterThan(0);
  });

  it("pages the directory and the clinic list: a page shows 25 clinics with their doctors, the next link the rest", async () => {
    await env.DB.batch(
      Array.from({ length: 60 }, (_, i) =>
        env.DB.prepare("INSERT INTO clinics (id, district_id, name, address) VALUES (?, 1, ?, 'Paged Road')").bind(
          3000 + i,
          `Paged Clinic ${3000 + i}`,
        ),
      ),
    );
    await env.DB.prepare(
      "INSERT INTO doctors (id, clinic_id, name, specialization_id, token_prefix) VALUES (3999, 3059, 'Dr. Last Page', 1, 'LP')",
    ).run();
    const admin = await signedIn("admin");
    const shown = (html: string) =>
      [...html.matchAll(/href="\/desk\/admin\/clinics\/(\d+)"/g)].map((m) => Number(m[1]));
    const first = await (await admin.get("/desk/admin")).text();
    expect(shown(first)).toHaveLength(25);
    expect(first).not.toContain("Dr. Last Page");
    let page = first;
    const seen = new Set(shown(first));
    for (
      let next = /href="\/desk\/admin\?after=(\d+)"/.exec(page);
      next;
      next = /href="\/desk\/admin\?after=(\d+)"/.exec(page)
    ) {
      page = await (await admin.get(`/desk/admin?after=${next[1]}`)).text();
      for (const id of shown(page)) {
        expect(seen.has(id), `clinic ${id} on two pages`).toBe(false);
        seen.add(id);
      }
    }
    expect(page).toContain("Dr. Last Page");
    expect(seen).toContain(3059);
    expect(seen).toContain(1);
    // A doctor can be added to a clinic on any page.
    expect(
      (await admin.post("/desk/admin/doctors", { name: "Dr. Paged", clinic: "3030", speciality: "1" })).status,
    ).toBe(303);
    const list = await (await admin.get("/desk")).text();
    expect(list).toContain('<a href="/desk?after=');
    expect([...list.matchAll(/<li>/g)]).toHaveLength(50);
  });
});

describe("the clinic's reminder calls switch", () => {
  /** Clinic-local time (Asia/Kolkata) in a week of this file's own. */
  const ist = (local: string) => new Date(`${local.replace(" ", "T")}:00+05:30`);
  const puttur = {
    name: "Puttur Town Clinic",
    address: "Main Road, Puttur 574201",
    timezone: "Asia/Kolkata",
    phone: "+918251230002",
    district: "1",
  };
  const callsOn = async () =>
    (await env.DB.prepare("SELECT reminder_calls AS on_ FROM clinics WHERE id = 2").first<{ on_: number }>())!.on_;
  afterEach(() => vi.useRealTimers());

  it("the admin turns it on, and the cron calls the clinic's patient that evening; a desk user cannot", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(ist("2028-04-03 09:00")); // a Monday
    const placed: string[] = [];
    mockServer.use(
      http.post(`https://twilio.test/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Calls.json`, async ({ request }) => {
        placed.push(new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())).get("To") ?? "");
        return HttpResponse.json({ sid: `CA${placed.length}`, status: "queued" }, { status: 201 });
      }),
    );
    const phone = "+919833311001";
    const caller = newCallOn(lineWith({}), phone);
    await caller.dial();
    for (const key of ["2", "1", "3", "2"]) await caller.press(key); // Puttur, next free, other days, another day
    await caller.press("05"); // Wednesday the 5th
    expect(heard(await caller.press("1"))).toContain("Your appointment is booked");

    const cron = async (local: string) => {
      vi.setSystemTime(ist(local));
      const config = readConfig({ ...env, PUBLIC_BASE_URL: ORIGIN } as Env);
      const jobs = { sendBatch: async () => undefined } as unknown as Queue<Job>;
      await runReminderCalls({ db: database(env.DB), config, jobs }, ist(local));
    };
    await cron("2028-04-04 18:00");
    expect(placed).toEqual([]); // off by default

    const desk = await signedIn("desk", { clinics: [2] });
    expect((await desk.post("/desk/admin/clinics/2", { ...puttur, reminder_calls: "1" })).status).toBe(403);
    expect(await callsOn()).toBe(0);

    const admin = await signedIn("admin");
    expect(await (await admin.get("/desk/admin/clinics/2")).text()).toMatch(/name="reminder_calls" value="1"\s*\/?>/);
    expect((await admin.post("/desk/admin/clinics/2", { ...puttur, reminder_calls: "1" })).status).toBe(303);
    expect(await callsOn()).toBe(1);
    expect(await audited("clinic.reminder-calls.on")).toBe(1);
    expect(await (await admin.get("/desk/admin/clinics/2")).text()).toMatch(/name="reminder_calls" value="1" checked/);

    await cron("2028-04-04 18:01");
    expect(placed).toEqual([phone]);

    // Saving the form without the box ticked turns them off again (and says so in the audit).
    expect((await admin.post("/desk/admin/clinics/2", puttur)).status).toBe(303);
    expect(await callsOn()).toBe(0);
    expect(await audited("clinic.reminder-calls.off")).toBe(1);
  });
});
