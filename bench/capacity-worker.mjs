/**
 * The capacity probe's Worker: POST /book?i=N writes the D1 batch a phone booking writes
 * (src/booking/book.ts: the patient, the appointment with its per-phone limit check, the
 * booking SMS in the outbox), then the call-log row written after the answer, for a booking
 * numbered N (its own doctor and time, so none collide). Answers the D1 time in ms.
 */
const FIRST_DOCTOR = 7; // the grown database's doctors
const DOCTORS = 7994;

export default {
  async fetch(request, env) {
    const i = Number(new URL(request.url).searchParams.get("i"));
    const doctor = FIRST_DOCTOR + (i % DOCTORS);
    const slot = Math.floor(i / DOCTORS);
    const startsAt = new Date(Date.UTC(2031, 0, 1, 3, 30) + slot * 15 * 60_000);
    const phone = `+9177${String(i).padStart(8, "0")}`;
    const callSid = `CAcapacity${i}`;
    const started = Date.now();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO patients (phone, name) VALUES (?, ?) ON CONFLICT (phone) DO NOTHING").bind(
        phone,
        "Capacity",
      ),
      env.DB.prepare(
        `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source, call_sid)
         SELECT ?1, d.clinic_id, p.id, ?2, ?3, ?4, ?5, 'booked', 'ivr', ?6 FROM patients p, doctors d
          WHERE p.phone = ?7 AND d.id = ?1
            AND (SELECT count(*) FROM appointments a WHERE a.patient_id = p.id AND a.status = 'booked' AND a.starts_at > ?8) < 4
         RETURNING id`,
      ).bind(
        doctor,
        startsAt.toISOString().slice(0, 10),
        startsAt.toISOString(),
        new Date(startsAt.getTime() + 900_000).toISOString(),
        `Z-${i}`,
        callSid,
        phone,
        new Date().toISOString(),
      ),
      env.DB.prepare(
        `INSERT INTO sms_outbox (to_number, body, purpose, appointment_id, callback_base)
         SELECT ?1, ?2, 'booking', id, ?3 FROM appointments WHERE call_sid = ?4 AND status = 'booked' RETURNING id`,
      ).bind(phone, "Your appointment is booked. Token Z, 1.", "http://localhost", callSid),
    ]);
    await env.DB.prepare(
      `INSERT INTO call_log (call_sid, from_number, to_number, steps, outcome) VALUES (?1, ?2, ?3, '[]', 'booked')
       ON CONFLICT (call_sid) DO UPDATE SET outcome = excluded.outcome`,
    )
      .bind(callSid, phone, "+918000000000")
      .run();
    return new Response(String(Date.now() - started));
  },
};
