/**
 * Health data on the desk: the doctor's (and admin's) queue shows each row's summary and puts
 * urgent patients first, marked; the desk sees only the mark. Visit notes and the recorded
 * reason are reached through the desk routes only after the reasons' own access check: another
 * clinic's staff, a colleague, or an edited id get the same 404 as an id that does not exist.
 */
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { summariseAppointment } from "../src/reasons/summarise.ts";
import { localClock } from "../src/slots/calendar.ts";
import { mockServer } from "./setup.ts";
import { addStaff, DeskClient } from "./support/desk.ts";
import { patient, spokenReason } from "./support/health.ts";

const db = database(env.DB);
const ACCOUNT = env.TWILIO_ACCOUNT_SID;
const SID = `RE${"7".repeat(32)}`;
const AUDIO = new Uint8Array([0x49, 0x44, 0x33, 9, 9, 9]);
let serial = 0;

/** An appointment today (clinic-local) at `hhmm` UTC, with its own token. */
async function today(patientId: number, doctorId: number, hhmm: string): Promise<number> {
  const date = localClock(new Date(), "Asia/Kolkata").date;
  const starts = `${date}T${hhmm}:00.000Z`;
  const ends = new Date(new Date(starts).getTime() + 15 * 60_000).toISOString();
  const row = await env.DB.prepare(
    `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source)
     SELECT ?1, clinic_id, ?2, ?3, ?4, ?5, ?6, 'booked', 'ivr' FROM doctors WHERE id = ?1 RETURNING id`,
  )
    .bind(doctorId, patientId, date, starts, ends, `HX-${++serial}`)
    .first<{ id: number }>();
  return row!.id;
}

let calm: number;
let urgent: number;
let colleagues: number;
let clinic2: number;

async function signedIn(role: "admin" | "desk" | "doctor", options: { clinics?: number[]; doctorId?: number }) {
  const user = await addStaff(role, options);
  const client = new DeskClient();
  expect((await client.signIn(user.username, user.password)).status).toBe(303);
  return client;
}

beforeAll(async () => {
  const p = await patient("Queue health patient");
  calm = await today(p, 1, "03:30");
  urgent = await today(await patient("Urgent patient"), 1, "05:45");
  await spokenReason(urgent, "chest pain since morning", ["chest-pain"]);
  await summariseAppointment(db, undefined, readConfig(env).ai, urgent);
  await env.DB.prepare(
    `INSERT INTO visit_reasons (appointment_id, clinic_id, patient_id, language, method, transcription_status, recording_sid, recording_seconds)
     SELECT id, clinic_id, patient_id, 'kn', 'recording', 'pending', ?, 6 FROM appointments WHERE id = ?`,
  )
    .bind(SID, calm)
    .run();
  colleagues = await today(await patient("Colleague's patient"), 2, "04:00");
  clinic2 = await today(await patient("Clinic 2 patient"), 3, "04:00");
});

function order(html: string, ids: number[]): number[] {
  return ids
    .filter((id) => html.includes(`/desk/appointments/${id}/`))
    .sort((a, b) => {
      return html.indexOf(`/desk/appointments/${a}/`) - html.indexOf(`/desk/appointments/${b}/`);
    });
}

describe("the queue with the doctor's summary", () => {
  it("the doctor sees their own rows, the urgent one first and marked, with its summary", async () => {
    const doctor = await signedIn("doctor", { doctorId: 1 });
    const html = await (await doctor.get("/desk/clinics/1/queue")).text();
    expect(order(html, [urgent, calm])).toEqual([urgent, calm]);
    expect(html).toContain('data-urgent="1"');
    expect(html).toContain('class="doctor-summary urgent"');
    expect(html).toContain('class="summary-lines"');
    expect(html).toMatch(/Urgent<\/strong>: [^<]*chest pain/i);
    expect(html).toContain(`/desk/appointments/${calm}/recording`);
    expect(html).not.toContain(`/desk/appointments/${colleagues}/`);
  });

  it("an admin sees every doctor's summaries; the desk sees the urgent mark only", async () => {
    const admin = await signedIn("admin", {});
    const adminHtml = await (await admin.get("/desk/clinics/1/queue")).text();
    expect(adminHtml).toContain('class="doctor-summary urgent"');

    const desk = await signedIn("desk", { clinics: [1] });
    const deskHtml = await (await desk.get("/desk/clinics/1/queue")).text();
    expect(deskHtml).toContain('data-urgent="1"');
    expect(deskHtml).toContain("urgent-mark");
    expect(deskHtml).not.toContain('class="doctor-summary');
    expect(deskHtml).not.toContain("chest pain since morning");
    expect(deskHtml).not.toContain("/recording");
    const api = (await (await desk.get("/api/desk/clinics/1/appointments")).json()) as {
      appointments: { id: number; urgent: boolean }[];
    };
    expect(api.appointments[0]).toMatchObject({ id: urgent, urgent: true });
  });
});

describe("visit notes and the recording through the desk", () => {
  it("the appointment's doctor writes a note and reads it back; the desk (not in NOTE_WRITERS) cannot", async () => {
    const doctor = await signedIn("doctor", { doctorId: 1 });
    await doctor.get(`/desk/appointments/${urgent}/notes`);
    const saved = await doctor.post(`/desk/appointments/${urgent}/notes`, { body: "ECG done, <b>normal</b>" });
    expect(saved.status).toBe(303);
    const page = await (await doctor.get(`/desk/appointments/${urgent}/notes`)).text();
    expect(page).toContain("ECG done, &lt;b&gt;normal&lt;/b&gt;");

    const desk = await signedIn("desk", { clinics: [1] });
    await desk.get("/desk/clinics/1/queue");
    expect((await desk.get(`/desk/appointments/${urgent}/notes`)).status).toBe(404);
    expect((await desk.post(`/desk/appointments/${urgent}/notes`, { body: "desk note" })).status).toBe(404);
  });

  it("another clinic's staff, a colleague and edited ids get 404, and nothing is written", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM visit_notes").first<{ n: number }>();
    const otherDesk = await signedIn("desk", { clinics: [2] });
    const otherDoctor = await signedIn("doctor", { doctorId: 3 });
    const colleague = await signedIn("doctor", { doctorId: 2 });
    await otherDesk.get("/desk/clinics/2/queue");
    await otherDoctor.get("/desk/clinics/2/queue");
    await colleague.get("/desk/clinics/1/queue");
    for (const client of [otherDesk, otherDoctor, colleague]) {
      for (const id of [urgent, calm]) {
        expect((await client.get(`/desk/appointments/${id}/notes`)).status).toBe(404);
        expect((await client.post(`/desk/appointments/${id}/notes`, { body: "tampered" })).status).toBe(404);
        expect((await client.get(`/desk/appointments/${id}/recording`)).status).toBe(404);
      }
    }
    // Doctor 1 edits the id to another clinic's appointment, or to one that does not exist.
    const doctor = await signedIn("doctor", { doctorId: 1 });
    await doctor.get("/desk/clinics/1/queue");
    for (const id of [String(clinic2), String(colleagues), "999999", "0", "-1", "1e3", "abc"]) {
      expect((await doctor.get(`/desk/appointments/${id}/recording`)).status).toBe(404);
      expect((await doctor.post(`/desk/appointments/${id}/notes`, { body: "tampered" })).status).toBe(404);
    }
    const after = await env.DB.prepare("SELECT count(*) AS n FROM visit_notes").first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });

  it("the doctor's player streams the recording through the Worker, not cached", async () => {
    mockServer.use(
      http.get(`https://twilio.test/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`, () =>
        HttpResponse.arrayBuffer(AUDIO.buffer, { headers: { "Content-Type": "audio/mpeg" } }),
      ),
    );
    const doctor = await signedIn("doctor", { doctorId: 1 });
    const audio = await doctor.get(`/desk/appointments/${calm}/recording`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get("cache-control")).toBe("private, no-store");
    expect(new Uint8Array(await audio.arrayBuffer())).toEqual(AUDIO);
    const desk = await signedIn("desk", { clinics: [1] });
    expect((await desk.get(`/desk/appointments/${calm}/recording`)).status).toBe(404);
  });
});
