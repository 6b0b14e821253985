/**
 * Health data only for the clinic's own staff with the right role: another clinic's staff, a
 * doctor who is not the appointment's, or the desk cannot read a summary, reason, note or
 * recording, also by changing the id they ask for; notes stay within their clinic.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { StaffRole } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import type { ReasonJob } from "../src/jobs/queue.ts";
import { addNote, readNotes, saveOwnNote } from "../src/reasons/notes.ts";
import { readReason, readSummary, readUrgency } from "./support/health-reads.ts";
import { summariseAppointment } from "../src/reasons/summarise.ts";
import { readConfig } from "../src/config.ts";
import { appointment, note, patient, spokenReason } from "./support/health.ts";

const db = database(env.DB);
const DOCTOR_ONLY: StaffRole[] = ["doctor"];
const WITH_DESK: StaffRole[] = ["doctor", "desk"];

// Clinic 1: doctors 1 and 2. Clinic 2: doctor 3.
const ownDoctor = { role: "doctor" as const, clinicIds: [1], doctorId: 1 };
const colleague = { role: "doctor" as const, clinicIds: [1], doctorId: 2 };
const otherClinicDoctor = { role: "doctor" as const, clinicIds: [2], doctorId: 3 };
/** Claims to be doctor 1 but belongs to clinic 2: an id the viewer does not own. */
const impostor = { role: "doctor" as const, clinicIds: [2], doctorId: 1 };
const admin = { role: "admin" as const, clinicIds: [1] };
const otherAdmin = { role: "admin" as const, clinicIds: [2] };
const desk = { role: "desk" as const, clinicIds: [1] };
const otherDesk = { role: "desk" as const, clinicIds: [2] };

let appt: number;
let clinic2Appt: number;
let queued: ReasonJob[];
const deps = (noteWriters: StaffRole[]) => ({
  db,
  noteWriters,
  enqueue: async (jobs: ReasonJob[]) => void queued.push(...jobs),
});

beforeAll(async () => {
  const p = await patient("Access patient");
  const past = await appointment(p, 1, "2027-07-01T04:00:00.000Z", { status: "completed" });
  await note(past, "Asthma, salbutamol inhaler.");
  appt = await appointment(p, 1, "2027-08-02T04:00:00.000Z");
  await spokenReason(appt, "heavy bleeding after a fall", ["heavy-bleeding"]);
  await summariseAppointment(db, undefined, readConfig(env).ai, appt);
  clinic2Appt = await appointment(p, 3, "2027-08-03T04:00:00.000Z");
  await note(clinic2Appt, "CLINIC-2 ONLY: knee x-ray.");
});

describe("reading", () => {
  it("the appointment's doctor and the clinic's admin read reason, summary and notes", async () => {
    for (const viewer of [ownDoctor, admin]) {
      expect(await readReason(db, viewer, appt)).toMatchObject({
        transcript: "heavy bleeding after a fall",
        flags: ["heavy-bleeding"],
      });
      expect(await readSummary(db, viewer, appt)).toMatchObject({
        method: "fallback",
        urgent: true,
        flags: ["heavy-bleeding"],
      });
      const notes = await readNotes(deps(DOCTOR_ONLY), viewer, appt);
      expect(notes?.map((n) => n.body)).toEqual(["Asthma, salbutamol inhaler."]);
    }
  });

  it.each([
    ["another clinic's doctor", otherClinicDoctor],
    ["a doctor id from another clinic", impostor],
    ["a colleague who is not the appointment's doctor", colleague],
    ["another clinic's admin", otherAdmin],
    ["the desk", desk],
    ["another clinic's desk", otherDesk],
  ])("%s reads no reason, summary or notes", async (_who, viewer) => {
    expect(await readReason(db, viewer, appt)).toBeNull();
    expect(await readSummary(db, viewer, appt)).toBeNull();
    expect(await readNotes(deps(DOCTOR_ONLY), viewer, appt)).toBeNull();
  });

  it("not allowed and not found look the same, for any id", async () => {
    for (const id of [appt + 100_000, 0, -1, Number.NaN]) {
      expect(await readSummary(db, admin, id)).toBeNull();
      expect(await readReason(db, admin, id)).toBeNull();
      expect(await readUrgency(db, admin, id)).toBeNull();
    }
  });

  it("the desk sees the urgent mark and its flags (to put the patient first), only at its own clinic", async () => {
    expect(await readUrgency(db, desk, appt)).toEqual({ urgent: true, flags: ["heavy-bleeding"] });
    expect(await readUrgency(db, otherDesk, appt)).toBeNull();
  });

  it("notes are the patient's history at that clinic only", async () => {
    const atClinic1 = await readNotes(deps(DOCTOR_ONLY), admin, appt);
    expect(atClinic1!.map((n) => n.body)).not.toContain("CLINIC-2 ONLY: knee x-ray.");
    const atClinic2 = await readNotes(deps(DOCTOR_ONLY), { role: "doctor", clinicIds: [2], doctorId: 3 }, clinic2Appt);
    expect(atClinic2!.map((n) => n.body)).toEqual(["CLINIC-2 ONLY: knee x-ray."]);
  });
});

describe("writing notes", () => {
  it("the appointment's doctor writes a note; it re-queues the summary", async () => {
    queued = [];
    const written = await addNote(deps(DOCTOR_ONLY), ownDoctor, appt, "  Dressing applied. Review in 2 days.  ");
    expect(written).toEqual({ id: expect.any(Number) });
    expect(queued).toContainEqual({ summarise: appt });
    const row = await env.DB.prepare("SELECT body, author_role, clinic_id FROM visit_notes WHERE id = ?")
      .bind(written!.id)
      .first();
    expect(row).toEqual({ body: "Dressing applied. Review in 2 days.", author_role: "doctor", clinic_id: 1 });
    // The doctor's own note beside the queue row is that note, changed in place; nobody else's.
    expect(await saveOwnNote(deps(DOCTOR_ONLY), ownDoctor, appt, "Dressing applied.")).toBe("saved");
    expect(await saveOwnNote(deps(DOCTOR_ONLY), otherClinicDoctor, appt, "tampered")).toBeNull();
    const changed = await env.DB.prepare("SELECT body FROM visit_notes WHERE id = ?").bind(written!.id).first();
    expect(changed).toEqual({ body: "Dressing applied." });
  });

  it.each([
    ["another clinic's doctor", otherClinicDoctor, DOCTOR_ONLY],
    ["a doctor id from another clinic", impostor, DOCTOR_ONLY],
    ["a colleague", colleague, DOCTOR_ONLY],
    ["the desk, when only doctors write notes", desk, DOCTOR_ONLY],
    ["another clinic's desk, even when desks write notes", otherDesk, WITH_DESK],
  ])("%s cannot write a note", async (_who, viewer, writers) => {
    queued = [];
    const before = await env.DB.prepare("SELECT count(*) AS n FROM visit_notes").first<{ n: number }>();
    expect(await addNote(deps(writers), viewer, appt, "sneaky note")).toBeNull();
    const after = await env.DB.prepare("SELECT count(*) AS n FROM visit_notes").first<{ n: number }>();
    expect(after).toEqual(before);
    expect(queued).toEqual([]);
  });

  it("the desk writes and reads notes when NOTE_WRITERS includes it", async () => {
    queued = [];
    expect(await addNote(deps(WITH_DESK), desk, appt, "Patient asked for a Kannada-speaking nurse.")).not.toBeNull();
    expect((await readNotes(deps(WITH_DESK), desk, appt))?.map((n) => n.body)).toContain(
      "Patient asked for a Kannada-speaking nurse.",
    );
    // Still no summary or reason for the desk.
    expect(await readSummary(db, desk, appt)).toBeNull();
  });

  it("an empty note is not written", async () => {
    expect(await addNote(deps(DOCTOR_ONLY), ownDoctor, appt, " \n\t ")).toBeNull();
  });
});

describe("nothing is logged", () => {
  it("reads and writes leave the console untouched", async () => {
    const spies = (["log", "info", "warn", "error"] as const).map((m) => vi.spyOn(console, m));
    try {
      await readSummary(db, ownDoctor, appt);
      await readReason(db, ownDoctor, appt);
      await readNotes(deps(DOCTOR_ONLY), ownDoctor, appt);
      await addNote(deps(DOCTOR_ONLY), ownDoctor, appt, "Sutures removed.");
      await summariseAppointment(db, undefined, readConfig(env).ai, appt);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
