/**
 * Clinic staff: the day's tokens, in time order. Read-only JSON behind a bearer token
 * (STAFF_API_TOKEN); the staff dashboard on the roadmap builds on this.
 */
import { and, asc, desc, eq, inArray, lt } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { database } from "../db/client.ts";
import { getClinic } from "../db/directory.ts";
import { appointments, doctors, patients, smsInbound } from "../db/schema.ts";
import { smsUsage } from "../sms/budget.ts";
import { formatMinute, localClock, parseDate } from "../slots/calendar.ts";
import { constantTimeEqual } from "../twilio/signature.ts";
import { BookingService } from "../booking/service.ts";
import { wordsFor } from "../words/index.ts";

export const staff = new Hono<AppEnv>({ strict: false });

staff.use("*", async (c, next) => {
  const expected = c.env.STAFF_API_TOKEN ?? "";
  const given = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
  // Not configured means nobody gets in, never that everybody does.
  if (!expected || !constantTimeEqual(given, expected)) return c.json({ error: "unauthorized" }, 401);
  await next();
});

staff.get("/clinics/:clinicId/appointments", async (c) => {
  const clinicId = Number(c.req.param("clinicId"));
  if (!Number.isInteger(clinicId) || clinicId <= 0) return c.json({ error: "unknown clinic" }, 404);
  const db = database(c.env.DB);
  const clinic = await getClinic(db, clinicId);
  if (!clinic) return c.json({ error: "unknown clinic" }, 404);
  const date = c.req.query("date") ?? localClock(new Date(), clinic.timezone).date;
  if (!parseDate(date)) return c.json({ error: "date must be YYYY-MM-DD" }, 400);

  const rows = await db
    .select({
      token: appointments.token,
      startsAt: appointments.startsAt,
      doctor: doctors.name,
      patientPhone: patients.phone,
      status: appointments.status,
      source: appointments.source,
    })
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .where(and(eq(appointments.clinicId, clinicId), eq(appointments.localDate, date)))
    .orderBy(asc(appointments.startsAt), asc(appointments.token));
  return c.json({
    clinic: { id: clinic.id, name: clinic.name, timezone: clinic.timezone },
    date,
    appointments: rows.map((r) => ({
      ...r,
      time: formatMinute(localClock(new Date(r.startsAt), clinic.timezone).minute),
    })),
  });
});

/**
 * Upcoming appointments a schedule change left outside their doctor's hours (or with a doctor
 * who left): the clinic must call these patients; the line never drops them on its own.
 */
staff.get("/clinics/:clinicId/attention", async (c) => {
  const clinicId = Number(c.req.param("clinicId"));
  if (!Number.isInteger(clinicId) || clinicId <= 0) return c.json({ error: "unknown clinic" }, 404);
  const db = database(c.env.DB);
  const clinic = await getClinic(db, clinicId);
  if (!clinic) return c.json({ error: "unknown clinic" }, 404);
  const service = new BookingService(
    {
      db,
      config: c.var.config,
      doctorDays: c.env.DOCTOR_DAY,
      now: new Date(),
      origin: new URL(c.req.url).origin,
      smsQueue: c.env.SMS_QUEUE,
    },
    wordsFor(c.var.config.defaultLanguage),
  );
  const stranded = await service.strandedAppointments(clinicId);
  return c.json({
    clinic: { id: clinic.id, name: clinic.name },
    outsideHours: stranded.map((a) => ({
      id: a.id,
      token: a.token,
      doctor: a.doctorName,
      date: a.date,
      time: formatMinute(a.startMinute),
      patientPhone: a.patientPhone,
    })),
  });
});

/**
 * Texts patients sent that were not commands (questions, requests), and texts the line did not
 * answer (over the per-sender hourly limit or the daily budget), newest first.
 */
staff.get("/messages", async (c) => {
  const before = Number(c.req.query("before") ?? "0");
  const limit = Math.min(Math.max(Number(c.req.query("limit") ?? "50") || 50, 1), 200);
  const rows = await database(c.env.DB)
    .select({
      id: smsInbound.id,
      from: smsInbound.fromNumber,
      body: smsInbound.body,
      /** "help" (answered with the help text) or "unanswered" (not acted on: staff may need to). */
      command: smsInbound.command,
      receivedAt: smsInbound.createdAt,
    })
    .from(smsInbound)
    .where(
      and(
        inArray(smsInbound.command, ["help", "unanswered"]),
        Number.isInteger(before) && before > 0 ? lt(smsInbound.id, before) : undefined,
      ),
    )
    .orderBy(desc(smsInbound.id))
    .limit(limit);
  return c.json({ messages: rows });
});

/** Today's outbound SMS against the daily budget: the desk shows an alert when `reached`. */
staff.get("/sms-usage", async (c) => {
  const budget = c.var.config.smsDailyBudget;
  return c.json(await smsUsage(database(c.env.DB), budget, new Date()));
});
