/**
 * Reminders: the evening before (18:00 clinic-local, or at booking time when booked later) and
 * about 2 hours before (skipped when booked under 3 hours ahead), each sent exactly once through
 * the outbox, whenever and however often the cron runs; none for cancelled or moved
 * appointments, and the new time of a moved one gets its own.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { dueReminder, nextReminderAt, reminderTimes } from "../src/reminders/due.ts";
import { sendDueReminders } from "../src/reminders/send.ts";
import type { Job } from "../src/jobs/queue.ts";

/** "2027-01-07 18:00" in Kolkata as an instant. */
const ist = (local: string) => new Date(`${local.replace(" ", "T")}:00+05:30`);

describe("reminderTimes and dueReminder", () => {
  const at = (starts: string, booked: string) => ({
    date: starts.slice(0, 10),
    startsAt: ist(starts),
    bookedAt: ist(booked),
    timezone: "Asia/Kolkata",
  });

  it("booked days ahead: 18:00 the evening before, and 2 hours before", () => {
    expect(reminderTimes(at("2027-01-08 10:00", "2027-01-05 11:00"))).toEqual({
      evening: ist("2027-01-07 18:00"),
      soon: ist("2027-01-08 08:00"),
    });
  });

  it("booked after 18:00 the evening before: at booking time", () => {
    expect(reminderTimes(at("2027-01-08 10:00", "2027-01-07 20:30")).evening).toEqual(ist("2027-01-07 20:30"));
  });

  it("booked under 3 hours ahead: no 2-hour reminder", () => {
    expect(reminderTimes(at("2027-01-08 10:00", "2027-01-08 07:30")).soon).toBeNull();
    expect(reminderTimes(at("2027-01-08 10:00", "2027-01-08 07:00")).soon).toEqual(ist("2027-01-08 08:00"));
  });

  it("one due at a time; nothing once it has started", () => {
    const a = at("2027-01-08 10:00", "2027-01-05 11:00");
    expect(dueReminder(a, ist("2027-01-07 17:59"))).toBeNull();
    expect(dueReminder(a, ist("2027-01-07 18:00"))).toBe("evening");
    expect(dueReminder(a, ist("2027-01-08 07:59"))).toBe("evening");
    expect(dueReminder(a, ist("2027-01-08 08:00"))).toBe("soon");
    expect(dueReminder(a, ist("2027-01-08 10:00"))).toBeNull();
  });

  it("the next one the cron waits for: the evening, then 2 hours before, then none", () => {
    const a = at("2027-01-08 10:00", "2027-01-05 11:00");
    expect(nextReminderAt(a, ist("2027-01-05 11:00"), [])).toEqual(ist("2027-01-07 18:00"));
    expect(nextReminderAt(a, ist("2027-01-07 18:00"), ["evening"])).toEqual(ist("2027-01-08 08:00"));
    expect(nextReminderAt(a, ist("2027-01-08 08:00"), ["evening", "soon"])).toBeNull();
    // A cron down through the evening sends the 2-hour one only, and nothing after it.
    expect(nextReminderAt(a, ist("2027-01-08 09:00"), ["soon"])).toBeNull();
    // Booked under 3 hours ahead: the evening one (sent at booking time) is the last.
    expect(nextReminderAt(at("2027-01-08 10:00", "2027-01-08 07:30"), ist("2027-01-08 07:30"), ["evening"])).toBeNull();
    expect(nextReminderAt(a, ist("2027-01-08 10:00"), [])).toBeNull();
  });
});

describe("the reminder cron across two days", () => {
  const queued: Job[] = [];
  const queue = {
    sendBatch: async (jobs: { body: Job }[]) => {
      queued.push(...jobs.map((j) => j.body));
    },
  } as unknown as Queue<Job>;
  const defaults = readConfig(env);
  const config = { ...defaults, sms: { ...defaults.sms, lineNumber: "+918242440001" } };

  async function appointment(id: number, phone: string, starts: string, booked: string, language = "en") {
    await env.DB.batch([
      env.DB.prepare("INSERT OR IGNORE INTO patients (phone, name, preferred_language) VALUES (?, 'P', ?)").bind(
        phone,
        language,
      ),
      env.DB.prepare(
        `INSERT INTO appointments (id, doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source, created_at)
         SELECT ?1, 3, 2, id, ?2, ?3, ?4, ?5, 'booked', 'ivr', ?6 FROM patients WHERE phone = ?7`,
      ).bind(
        id,
        starts.slice(0, 10),
        ist(starts).toISOString(),
        new Date(ist(starts).getTime() + 15 * 60_000).toISOString(),
        `A-${id}`,
        ist(booked).toISOString(),
        phone,
      ),
    ]);
  }

  it("sends each reminder once at the right local time, none for cancelled or moved, even run twice or at once", async () => {
    await appointment(9001, "+919855500001", "2027-06-11 10:00", "2027-06-09 10:00"); // ahead
    await appointment(9002, "+919855500002", "2027-06-11 16:00", "2027-06-10 20:30", "kn"); // booked late evening
    await appointment(9003, "+919855500003", "2027-06-10 15:00", "2027-06-10 13:00"); // same day, < 3 h
    await appointment(9004, "+919855500004", "2027-06-11 11:00", "2027-06-09 10:00"); // cancelled Thursday noon
    await appointment(9005, "+919855500005", "2027-06-11 12:00", "2027-06-09 10:00"); // moved Thursday 10:00
    // Appointments booked at 20:30 and 13:00 are not in D1 before then: the cron cannot see the future.
    await env.DB.prepare("UPDATE appointments SET status = 'cancelled' WHERE id IN (9002, 9003)").run();

    const db = database(env.DB);
    const sentAt = new Map<string, Date[]>();
    const tick = async (now: Date) => {
      if (now.getTime() === ist("2027-06-10 10:00").getTime()) {
        // The move: the old appointment cancelled and a new one booked, as BookingService.move writes them.
        await env.DB.prepare("UPDATE appointments SET status = 'cancelled', moved_to = 9006 WHERE id = 9005").run();
        await appointment(9006, "+919855500005", "2027-06-12 09:00", "2027-06-10 10:00");
      }
      if (now.getTime() === ist("2027-06-10 12:00").getTime())
        await env.DB.prepare("UPDATE appointments SET status = 'cancelled' WHERE id = 9004").run();
      if (now.getTime() === ist("2027-06-10 13:00").getTime())
        await env.DB.prepare("UPDATE appointments SET status = 'booked' WHERE id = 9003").run();
      if (now.getTime() === ist("2027-06-10 20:30").getTime())
        await env.DB.prepare("UPDATE appointments SET status = 'booked' WHERE id = 9002").run();
      // Twice at once, and once more after: never twice the same reminder.
      const runs = await Promise.all([
        sendDueReminders(db, queue, config, now),
        sendDueReminders(db, queue, config, now),
      ]);
      runs.push(await sendDueReminders(db, queue, config, now));
      for (const { sent } of runs)
        for (const s of sent)
          sentAt.set(`${s.appointmentId}:${s.kind}`, [...(sentAt.get(`${s.appointmentId}:${s.kind}`) ?? []), now]);
    };
    // Every 15 minutes from Thursday 00:00 to Saturday 10:00, clinic-local.
    for (let t = ist("2027-06-10 00:00").getTime(); t <= ist("2027-06-12 10:00").getTime(); t += 15 * 60_000)
      await tick(new Date(t));

    expect(Object.fromEntries(sentAt)).toEqual({
      "9001:evening": [ist("2027-06-10 18:00")],
      "9001:soon": [ist("2027-06-11 08:00")],
      "9002:evening": [ist("2027-06-10 20:30")],
      "9002:soon": [ist("2027-06-11 14:00")],
      "9003:evening": [ist("2027-06-10 13:00")],
      "9006:evening": [ist("2027-06-11 18:00")],
      "9006:soon": [ist("2027-06-12 07:00")],
    });
    const { results } = await env.DB.prepare(
      "SELECT appointment_id, to_number, body, status, template, language FROM sms_outbox WHERE purpose = 'reminder' ORDER BY id",
    ).all<{ appointment_id: number; to_number: string; body: string; status: string; template: string }>();
    expect(results).toHaveLength(7);
    expect(queued).toHaveLength(7);
    expect(results[0]).toMatchObject({
      appointment_id: 9003,
      to_number: "+919855500003",
      body: "Token A-9003: a reminder of your appointment with Dr. Anil Bhat, Puttur Town Clinic, on 10-06-2027 at 3:00 PM. To cancel or move it, call 08242440001.",
      template: "reminderEvening",
      language: "en",
    });
    // The 2-hour reminder is a template of its own.
    expect(results.filter((r) => r.template === "reminderSoon").length).toBeGreaterThan(0);
    // In the patient's language.
    expect(results.find((r) => r.appointment_id === 9002)!.body).toBe(
      "ಟೋಕನ್ A-9002 ಜ್ಞಾಪನೆ: Dr. Anil Bhat, ಪುತ್ತೂರು ಟೌನ್ ಕ್ಲಿನಿಕ್, 11-06-2027 ಸಂಜೆ 4:00. ಬದಲಾವಣೆಗೆ ಕರೆ 08242440001",
    );
  }, 60_000);

  it("a cron that was down sends the reminder still due when it comes back, once", async () => {
    await appointment(9101, "+919855500101", "2027-07-07 10:00", "2027-06-20 10:00");
    const db = database(env.DB);
    // Down from before 18:00 the evening before until 09:00: only the 2-hour reminder is still due.
    const first = await sendDueReminders(db, queue, config, ist("2027-07-07 09:00"));
    expect(first.sent.map((s) => `${s.appointmentId}:${s.kind}`)).toEqual(["9101:soon"]);
    expect((await sendDueReminders(db, queue, config, ist("2027-07-07 09:05"))).sent).toEqual([]);
  });

  it("a run reads an appointment again only when its next reminder is due", async () => {
    await appointment(9201, "+919855500201", "2027-08-11 10:00", "2027-08-01 10:00");
    const db = database(env.DB);
    const remindAt = async () =>
      (await env.DB.prepare("SELECT remind_at FROM appointments WHERE id = 9201").first<{
        remind_at: string | null;
      }>())!.remind_at;
    expect(await remindAt()).toBeNull();
    expect((await sendDueReminders(db, queue, config, ist("2027-08-09 12:00"))).sent).toEqual([]);
    expect(await remindAt()).toBe(ist("2027-08-10 18:00").toISOString());
    expect((await sendDueReminders(db, queue, config, ist("2027-08-10 18:00"))).sent).toHaveLength(1);
    expect(await remindAt()).toBe(ist("2027-08-11 08:00").toISOString());
    expect((await sendDueReminders(db, queue, config, ist("2027-08-11 08:00"))).sent).toHaveLength(1);
    expect(await remindAt()).toBe("");
  });
});
