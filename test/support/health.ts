/** Fixtures for reasons, notes and summaries: patients and appointments written straight to D1, and a fake AI. */
import { env } from "cloudflare:workers";
import type { AiRunner } from "../../src/reasons/ai.ts";

let serial = 0;

export async function patient(label: string): Promise<number> {
  const phone = `+9170${String(Date.now() % 1_000_000).padStart(6, "0")}${String(++serial).padStart(2, "0")}`;
  const row = await env.DB.prepare("INSERT INTO patients (phone, name) VALUES (?, ?) RETURNING id")
    .bind(phone, label)
    .first<{ id: number }>();
  return row!.id;
}

/** An appointment of `doctorId` at its clinic; `startsAt` picks the time (unique per doctor). */
export async function appointment(
  patientId: number,
  doctorId: number,
  startsAt: string,
  options: { status?: string; callSid?: string } = {},
): Promise<number> {
  const doctor = await env.DB.prepare("SELECT clinic_id FROM doctors WHERE id = ?")
    .bind(doctorId)
    .first<{ clinic_id: number }>();
  const ends = new Date(new Date(startsAt).getTime() + 15 * 60_000).toISOString();
  const row = await env.DB.prepare(
    `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source, call_sid)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'staff', ?) RETURNING id`,
  )
    .bind(
      doctorId,
      doctor!.clinic_id,
      patientId,
      startsAt.slice(0, 10),
      startsAt,
      ends,
      `T-${++serial}`,
      options.status ?? "booked",
      options.callSid ?? null,
    )
    .first<{ id: number }>();
  return row!.id;
}

export async function note(appointmentId: number, body: string): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO visit_notes (appointment_id, clinic_id, patient_id, author_role, body)
     SELECT id, clinic_id, patient_id, 'doctor', ? FROM appointments WHERE id = ?`,
  )
    .bind(body, appointmentId)
    .run();
}

export async function spokenReason(appointmentId: number, transcript: string, flags: string[] = []): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO visit_reasons (appointment_id, clinic_id, patient_id, language, method, transcript, transcription_status, red_flags)
     SELECT id, clinic_id, patient_id, 'en', 'speech', ?, 'done', ? FROM appointments WHERE id = ?`,
  )
    .bind(transcript, JSON.stringify(flags), appointmentId)
    .run();
  if (flags.length) await env.DB.prepare("UPDATE appointments SET urgent = 1 WHERE id = ?").bind(appointmentId).run();
}

export interface FakeAi extends AiRunner {
  calls: { model: string; inputs: Record<string, unknown> }[];
}

/** A Workers AI stand-in: `answer` decides each reply (or throws, or never settles). */
export function fakeAi(answer: (model: string, inputs: Record<string, unknown>) => unknown): FakeAi {
  const calls: FakeAi["calls"] = [];
  return {
    calls,
    async run(model, inputs) {
      calls.push({ model, inputs });
      return answer(model, inputs);
    },
  };
}

/** The system prompt of a chat call, to tell the summary call from the flag check. */
export function systemPrompt(inputs: Record<string, unknown>): string {
  const messages = inputs.messages as { role: string; content: string }[] | undefined;
  return messages?.find((m) => m.role === "system")?.content ?? "";
}

export function userPrompt(inputs: Record<string, unknown>): string {
  const messages = inputs.messages as { role: string; content: string }[] | undefined;
  return messages?.find((m) => m.role === "user")?.content ?? "";
}
