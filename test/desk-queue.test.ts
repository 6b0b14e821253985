/**
 * The desk's queue over HTTP: who may see and change what (every role, ids edited in URLs),
 * the live rows, visit-step buttons and walk-ins.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { heard, newCall } from "./support/line.ts";
import { addStaff, DeskClient } from "./support/desk.ts";

const WED_9AM = new Date("2027-03-03T03:30:00Z"); // Wednesday 09:00 IST

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(WED_9AM);
});
afterEach(() => vi.useRealTimers());

async function phoneBooking(from: string, clinicKey = "1"): Promise<string> {
  const call = newCall(from);
  await call.dial();
  await call.press(clinicKey);
  await call.press("1");
  const said = heard(await call.press("1"));
  const token = /Your token is ([A-Z ]+), (\d+)\./.exec(said);
  if (!token) throw new Error(said);
  return `${token[1]!.replaceAll(" ", "")}-${token[2]}`;
}

async function appointmentId(token: string, clinicId: number): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT id FROM appointments WHERE token = ? AND clinic_id = ? AND local_date = '2027-03-03' AND status <> 'cancelled'",
  )
    .bind(token, clinicId)
    .first<{ id: number }>();
  return row!.id;
}

async function signedIn(role: "admin" | "desk" | "doctor", options: { clinics?: number[]; doctorId?: number }) {
  const user = await addStaff(role, options);
  const client = new DeskClient();
  expect((await client.signIn(user.username, user.password)).status).toBe(303);
  return client;
}

describe("per-clinic authorisation", () => {
  it("a desk user of clinic 1 can never read or change clinic 2, also by editing ids", async () => {
    const tokenIn2 = await phoneBooking("+919811100001", "2");
    const idIn2 = await appointmentId(tokenIn2, 2);
    const desk1 = await signedIn("desk", { clinics: [1] });

    for (const path of [
      "/desk/clinics/2/queue",
      "/desk/clinics/2/queue/rows",
      "/desk/clinics/2/queue?doctor=3",
      "/desk/clinics/2/schedule",
      "/desk/display/2",
      "/desk/display/2/now",
    ]) {
      const res = await desk1.get(path);
      expect(res.status, path).toBe(403);
      expect(await res.text(), path).not.toContain(tokenIn2);
    }
    // Clinic 2's doctor named in clinic 1's URL: not one of clinic 1's doctors.
    expect((await desk1.get("/desk/clinics/1/queue?doctor=3")).status).toBe(404);
    expect((await desk1.get("/desk/clinics/999/queue")).status).toBe(404);
    expect((await desk1.get("/desk/clinics/x/queue")).status).toBe(404);

    for (const to of ["arrived", "cancelled", "no_show"]) {
      expect((await desk1.post(`/desk/appointments/${idIn2}/step`, { to })).status).toBe(403);
    }
    expect((await desk1.post("/desk/clinics/2/walk-ins", { doctor: "3", phone: "9845000002" })).status).toBe(403);
    // Clinic 2's doctor through clinic 1's walk-in form: refused, nothing booked.
    const sneaky = await desk1.post("/desk/clinics/1/walk-ins", { doctor: "3", phone: "9845000003" });
    expect(sneaky.status).toBe(400);
    expect(await sneaky.text()).toContain("Choose one of this clinic&#39;s doctors.");
    const row = await env.DB.prepare("SELECT status, visit FROM appointments WHERE id = ?").bind(idIn2).first();
    expect(row).toEqual({ status: "booked", visit: null });
    const walkIns = await env.DB.prepare(
      "SELECT count(*) AS n FROM appointments WHERE source = 'walk_in' AND local_date = '2027-03-03'",
    ).first<{ n: number }>();
    expect(walkIns?.n).toBe(0);
  });

  it("a desk user of two clinics sees both; an admin sees every clinic", async () => {
    const both = await signedIn("desk", { clinics: [1, 2] });
    expect((await both.get("/desk/clinics/1/queue")).status).toBe(200);
    expect((await both.get("/desk/clinics/2/queue")).status).toBe(200);
    expect((await both.get("/desk/clinics/3/queue")).status).toBe(403);
    const admin = await signedIn("admin", {});
    for (const id of [1, 2, 3, 4, 5]) expect((await admin.get(`/desk/clinics/${id}/queue`)).status).toBe(200);
  });

  it("a doctor sees only their own queue, with phones masked to the last four digits, and cannot cancel or issue walk-ins", async () => {
    const kavya = await phoneBooking("+919811100011"); // clinic 1: KS-2 or KR-2
    const kiran = await phoneBooking("+919811100012");
    const doctor = await signedIn("doctor", { doctorId: 1 });
    const rows = await (await doctor.get("/desk/clinics/1/queue/rows")).text();
    const own = [kavya, kiran].find((t) => t.startsWith("KS-"))!;
    const other = [kavya, kiran].find((t) => t.startsWith("KR-"))!;
    expect(rows).toContain(own);
    expect(rows).not.toContain(other);
    expect(rows).toMatch(/•••• 001[12]/);
    expect(rows).not.toContain("+91981110001");
    // Asking for a colleague's queue still shows only their own.
    expect(await (await doctor.get("/desk/clinics/1/queue/rows?doctor=2")).text()).not.toContain(other);
    expect((await doctor.get("/desk/clinics/2/queue")).status).toBe(403);
    expect((await doctor.get("/desk/clinics/1/schedule")).status).toBe(403);

    const ownId = await appointmentId(own, 1);
    const otherId = await appointmentId(other, 1);
    expect((await doctor.post(`/desk/appointments/${ownId}/step`, { to: "cancelled" })).status).toBe(403);
    expect((await doctor.post(`/desk/appointments/${otherId}/step`, { to: "arrived" })).status).toBe(403);
    expect((await doctor.post(`/desk/appointments/${ownId}/step`, { to: "arrived" })).status).toBe(303);
    expect((await doctor.post("/desk/clinics/1/walk-ins", { doctor: "1", phone: "9845000004" })).status).toBe(403);
  });

  it("a doctor keeps a note on their own appointment: nobody else reads or writes it, and the audit leaves it out", async () => {
    const token = await phoneBooking("+919811100061");
    const id = await appointmentId(token, 1);
    const doctorId = token.startsWith("KS-") ? 1 : 2;
    const doctor = await signedIn("doctor", { doctorId });
    const colleague = await signedIn("doctor", { doctorId: doctorId === 1 ? 2 : 1 });
    const desk = await signedIn("desk", { clinics: [1] });
    expect((await colleague.post(`/desk/appointments/${id}/note`, { note: "not mine" })).status).toBe(403);
    expect((await desk.post(`/desk/appointments/${id}/note`, { note: "desk note" })).status).toBe(403);
    expect((await doctor.post(`/desk/appointments/${id}/note`, { note: "BP 150/95, review in 2 weeks" })).status).toBe(
      303,
    );
    expect(await (await doctor.get("/desk/clinics/1/queue/rows")).text()).toContain(
      'value="BP 150/95, review in 2 weeks"',
    );
    expect(await (await desk.get("/desk/clinics/1/queue/rows")).text()).not.toContain("BP 150/95");
    // One notes feature: it is the doctor's visit note on the appointment (the summary reads it,
    // retention deletes it); saving again edits it, an empty note deletes it.
    const notes = () =>
      env.DB.prepare("SELECT author_role, author_doctor_id, body FROM visit_notes WHERE appointment_id = ?")
        .bind(id)
        .all()
        .then((r) => r.results);
    expect(await notes()).toEqual([
      { author_role: "doctor", author_doctor_id: doctorId, body: "BP 150/95, review in 2 weeks" },
    ]);
    expect(await (await doctor.get(`/desk/appointments/${id}/notes`)).text()).toContain("BP 150/95, review in 2 weeks");
    await doctor.get("/desk/clinics/1/queue");
    expect((await doctor.post(`/desk/appointments/${id}/note`, { note: "BP 140/90" })).status).toBe(303);
    expect(await notes()).toEqual([{ author_role: "doctor", author_doctor_id: doctorId, body: "BP 140/90" }]);
    await doctor.get("/desk/clinics/1/queue");
    expect((await doctor.post(`/desk/appointments/${id}/note`, { note: "  " })).status).toBe(303);
    expect(await notes()).toEqual([]);
    const audit = await env.DB.prepare(
      "SELECT detail FROM audit_log WHERE action = 'appointment.note' AND json_extract(detail, '$.appointmentId') = ?",
    )
      .bind(id)
      .all<{ detail: string }>();
    expect(audit.results).toHaveLength(3);
    for (const row of audit.results) expect(row.detail).not.toContain("BP");
  });

  it("the desk user sees full numbers", async () => {
    const token = await phoneBooking("+919811100021");
    const desk = await signedIn("desk", { clinics: [1] });
    const rows = await (await desk.get("/desk/clinics/1/queue/rows")).text();
    expect(rows).toContain(token);
    expect(rows).toContain("+919811100021");
  });
});

describe("running the queue", () => {
  it("a phone booking shows in the live rows; arrived, in consultation and done move it on, audited", async () => {
    const desk = await signedIn("desk", { clinics: [1] });
    const before = await (await desk.get("/desk/clinics/1/queue/rows")).text();
    const token = await phoneBooking("+919811100031");
    expect(before).not.toContain(token);
    const rows = await (await desk.get("/desk/clinics/1/queue/rows")).text();
    expect(rows).toContain(token);
    expect(rows).toContain("Phone");
    const id = await appointmentId(token, 1);

    const arrived = await desk.post(`/desk/appointments/${id}/step`, { to: "arrived" });
    expect(arrived.status).toBe(303);
    expect(arrived.headers.get("location")).toBe("/desk/clinics/1/queue");
    expect(await (await desk.get("/desk/clinics/1/queue")).text()).toContain(`${token}: Arrived.`);
    // A skipped step is refused with the reason, and changes nothing.
    const skipped = await desk.post(`/desk/appointments/${id}/step`, { to: "booked" });
    expect(skipped.status).toBe(409);
    expect(await skipped.text()).toContain("cannot go from arrived to booked");
    expect((await desk.post(`/desk/appointments/${id}/step`, { to: "in_consultation" })).status).toBe(303);
    expect((await desk.post(`/desk/appointments/${id}/step`, { to: "completed" })).status).toBe(303);
    expect((await desk.post(`/desk/appointments/${id}/step`, { to: "bogus" })).status).toBe(400);
    expect((await desk.post(`/desk/appointments/0/step`, { to: "arrived" })).status).toBe(404);

    const status = await env.DB.prepare("SELECT status FROM appointments WHERE id = ?").bind(id).first();
    expect(status).toEqual({ status: "completed" });
    const audit = await env.DB.prepare(
      "SELECT actor, action, clinic_id FROM audit_log WHERE json_extract(detail, '$.appointmentId') = ? ORDER BY id",
    )
      .bind(id)
      .all<{ actor: string; action: string; clinic_id: number }>();
    expect(audit.results.map((r) => r.action)).toEqual([
      "appointment.arrived",
      "appointment.in_consultation",
      "appointment.completed",
    ]);
    expect(audit.results.every((r) => r.clinic_id === 1 && r.actor.startsWith("staff:"))).toBe(true);
  });

  it("moving from the desk: the next free time, an SMS; another clinic's desk is refused", async () => {
    const desk = await signedIn("desk", { clinics: [1] });
    const token = await phoneBooking("+919811100051");
    const id = await appointmentId(token, 1);
    const desk2 = await signedIn("desk", { clinics: [2] });
    expect((await desk2.post(`/desk/appointments/${id}/move`, {})).status).toBe(403);
    const doctor = await signedIn("doctor", { doctorId: 1 });
    expect((await doctor.post(`/desk/appointments/${id}/move`, {})).status).toBe(403);
    expect((await desk.post(`/desk/appointments/${id}/move`, {}, { csrf: null })).status).toBe(403);
    const moved = await desk.post(`/desk/appointments/${id}/move`, {});
    expect(moved.status).toBe(303);
    expect(await (await desk.get("/desk/clinics/1/queue")).text()).toMatch(
      new RegExp(`${token} moved to K[SR]-\\d+, 2027-03-03 .*; the patient is texted\\.`),
    );
    const sms = await env.DB.prepare(
      "SELECT body FROM sms_outbox WHERE to_number = '+919811100051' ORDER BY id DESC",
    ).first<{
      body: string;
    }>();
    expect(sms?.body).toContain(`the clinic moved ${token} to`);
    expect((await desk.post(`/desk/appointments/${id}/move`, {})).status).toBe(409);
  });

  it("cancelling from the desk texts the patient", async () => {
    const desk = await signedIn("desk", { clinics: [1] });
    const token = await phoneBooking("+919811100041");
    const id = await appointmentId(token, 1);
    expect((await desk.post(`/desk/appointments/${id}/step`, { to: "cancelled" })).status).toBe(303);
    const sms = await env.DB.prepare(
      "SELECT body FROM sms_outbox WHERE to_number = '+919811100041' AND purpose = 'cancellation'",
    ).first<{ body: string }>();
    expect(sms?.body).toContain(`Token ${token} is cancelled by the clinic`);
  });

  it("an SMS the operator rejected shows beside its appointment, with the reason; a doctor sees only the fact", async () => {
    const token = await phoneBooking("+919811100091");
    const id = await appointmentId(token, 1);
    const rowsOf = async (client: DeskClient) => (await client.get("/desk/clinics/1/queue/rows")).text();
    const desk = await signedIn("desk", { clinics: [1] });
    expect(await rowsOf(desk)).not.toContain("SMS not delivered");
    // As an Exotel delivery report records it (test/sms-exotel.test.ts).
    await env.DB.prepare(
      "UPDATE sms_outbox SET status = 'failed', last_error = 'FAILED_DND (23005)' WHERE appointment_id = ?",
    )
      .bind(id)
      .run();
    expect(await rowsOf(desk)).toContain("SMS not delivered: FAILED_DND (23005)");
    const doctorId = (await env.DB.prepare("SELECT doctor_id FROM appointments WHERE id = ?").bind(id).first<{
      doctor_id: number;
    }>())!.doctor_id;
    const doctor = await signedIn("doctor", { clinics: [1], doctorId });
    const seen = await rowsOf(doctor);
    expect(seen).toContain("SMS not delivered");
    expect(seen).not.toContain("FAILED_DND");
  });

  it("a walk-in gets the next free token; bad input is a 400 with the message next to the field", async () => {
    const desk = await signedIn("desk", { clinics: [1] });
    const bad = await desk.post("/desk/clinics/1/walk-ins", { doctor: "1", phone: "12" });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('class="field-error">Enter the patient&#39;s mobile number');
    expect(page).toContain('value="12"');
    const noDoctor = await desk.post("/desk/clinics/1/walk-ins", { doctor: "", phone: "9845012399" });
    expect(noDoctor.status).toBe(400);

    const ok = await desk.post("/desk/clinics/1/walk-ins", { doctor: "2", phone: "98450 12345" });
    expect(ok.status).toBe(303);
    const queue = await (await desk.get("/desk/clinics/1/queue")).text();
    const issued = /Walk-in token (KR-\d+) at ([\d:]+ [AP]M)\./.exec(queue);
    expect(issued).not.toBeNull();
    const rows = await (await desk.get("/desk/clinics/1/queue/rows")).text();
    expect(rows).toContain(issued![1]);
    expect(rows).toContain("Walk-in");
    expect(rows).toContain("+919845012345");
  });
});
