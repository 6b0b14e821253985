/**
 * The desk's JSON API under /api/desk: the same operations and the same checks as the pages
 * (session cookie, role, clinic), for scripts and other front ends. Every change needs the
 * session's CSRF token in an X-CSRF-Token header (a header no cross-site form can send).
 * The OpenAPI document at /api/desk/openapi.json is generated from the route table below.
 */
import { textsForStaff } from "../stores/inbound-sms.ts";
import { Hono } from "hono";
import { mount, openApiDocument, route, type JsonSchema } from "../api/define.ts";
import { smallBodies } from "../auth/limits.ts";
import { QUEUE_STATUSES } from "../booking/visit.ts";
import { getClinic } from "../db/directory.ts";

import { actorOf, canManageClinic, canSeeClinic, canSeeDoctor } from "../desk/access.ts";
import { bookingService, type DeskEnv } from "../desk/context.ts";
import { dayQueue } from "../desk/queue.ts";
import { requireSession } from "../middleware/pages.ts";
import { staffGuard } from "./desk/auth.tsx";
import { appointmentOwner } from "../stores/appointments.ts";
import { callerNumber } from "../patients/phone.ts";
import { smsUsage } from "../sms/budget.ts";
import { formatMinute, localClock, parseDate } from "../slots/calendar.ts";

const error = (description: string) => ({
  description,
  schema: { type: "object", properties: { error: { type: "string" } }, required: ["error"] },
});
const denied = {
  401: error("not signed in"),
  403: error("not yours, or no CSRF token"),
  404: error("no such thing"),
  400: error("invalid input: which field, and why"),
};
const clinicParam = { clinicId: { type: "integer", min: 1, example: 1 } } as const;
const statusSchema: JsonSchema = { type: "string", enum: [...QUEUE_STATUSES] };
const objectOf = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: "object",
  properties,
  required: Object.keys(properties),
});
const queueItem = objectOf({
  id: { type: "integer" },
  token: { type: "string", example: "KS-7" },
  time: { type: "string", example: "10:30 AM" },
  startsAt: { type: "string", format: "date-time" },
  doctorId: { type: "integer" },
  doctorName: { type: "string" },
  phone: { type: "string", description: "masked to the last four digits for the doctor role" },
  source: { type: "string", enum: ["ivr", "sms", "staff", "walk_in"] },
  status: statusSchema,
  urgent: { type: "boolean", description: "a red flag was heard in the reason for the visit; urgent rows come first" },
});

export const deskApiRoutes = [
  route<{}, {}, {}, DeskEnv>({
    method: "get",
    path: "/session",
    summary: "Who is signed in, and the CSRF token changes must carry",
    responses: {
      200: {
        description: "the session",
        schema: objectOf({ user: { type: "object" }, csrfToken: { type: "string" } }),
      },
      401: denied[401],
    },
    handler: (c) => {
      const { id, username, role, clinicIds } = c.var.staff;
      return c.json({ user: { id, username, role, clinicIds }, csrfToken: c.var.session.csrfToken });
    },
  }),

  route({
    method: "get",
    path: "/clinics/{clinicId}/appointments",
    summary: "A day's queue of a clinic, in time order (a doctor sees only their own, phones masked)",
    params: clinicParam,
    query: {
      date: {
        type: "string",
        pattern: "^\\d{4}-\\d{2}-\\d{2}$",
        optional: true,
        description: "clinic-local; default today",
      },
    },
    responses: {
      200: {
        description: "the queue",
        schema: objectOf({
          clinic: { type: "object" },
          date: { type: "string" },
          appointments: { type: "array", items: queueItem },
        }),
      },
      ...denied,
    },
    handler: async (c: DeskContextOf, { params, query }) => {
      const db = c.var.db;
      const clinic = await getClinic(db, params.clinicId);
      if (!clinic) return c.json({ error: "unknown clinic" }, 404);
      const user = c.var.staff;
      if (!canSeeClinic(user, clinic.id)) return c.json({ error: "not your clinic" }, 403);
      if (query.date !== undefined && !parseDate(query.date)) return c.json({ error: "date must be YYYY-MM-DD" }, 400);
      const date = query.date ?? localClock(new Date(), clinic.timezone).date;
      const rows = await dayQueue(db, clinic, date, {
        ...(user.role === "doctor" && user.doctorId !== null ? { doctorId: user.doctorId } : {}),
        maskPhones: user.role === "doctor",
        urgentFirst: true,
      });
      return c.json({
        clinic: { id: clinic.id, name: clinic.name, timezone: clinic.timezone },
        date,
        appointments: rows,
      });
    },
  }),

  route({
    method: "get",
    path: "/clinics/{clinicId}/attention",
    summary: "Upcoming appointments a schedule change left outside their doctor's hours: call these patients",
    params: clinicParam,
    responses: {
      200: {
        description: "appointments to call about",
        schema: objectOf({ clinic: { type: "object" }, outsideHours: { type: "array" } }),
      },
      ...denied,
    },
    handler: async (c: DeskContextOf, { params }) => {
      const clinic = await getClinic(c.var.db, params.clinicId);
      if (!clinic) return c.json({ error: "unknown clinic" }, 404);
      if (!canManageClinic(c.var.staff, clinic.id)) return c.json({ error: "not your clinic" }, 403);
      const stranded = await bookingService(c).strandedAppointments(clinic.id);
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
    },
  }),

  route({
    method: "post",
    path: "/appointments/{appointmentId}/step",
    summary:
      "Move an appointment on: arrived, in_consultation, completed, no_show, or cancelled (the patient is texted)",
    params: { appointmentId: { type: "integer", min: 1 } },
    body: { to: { type: "string", enum: QUEUE_STATUSES } },
    responses: {
      200: { description: "moved", schema: objectOf({ from: statusSchema, to: statusSchema }) },
      409: error("not allowed from where it is, or moved meanwhile"),
      ...denied,
    },
    handler: async (c: DeskContextOf, { params, body }) => {
      const user = c.var.staff;
      const owner = await appointmentOwner(c.var.db, params.appointmentId);
      if (!owner) return c.json({ error: "unknown appointment" }, 404);
      if (!canSeeDoctor(user, { id: owner.doctorId, clinicId: owner.clinicId }))
        return c.json({ error: "not your clinic" }, 403);
      if (body.to === "cancelled" && !canManageClinic(user, owner.clinicId))
        return c.json({ error: "a doctor cannot cancel" }, 403);
      const result = await bookingService(c).changeVisit(params.appointmentId, body.to, {
        actor: actorOf(user),
        clinicId: owner.clinicId,
        action: `appointment.${body.to}`,
        detail: { token: owner.token, via: "api" },
      });
      switch (result.kind) {
        case "changed":
          return c.json({ from: result.from, to: result.to });
        case "not-found":
          return c.json({ error: "unknown appointment" }, 404);
        case "conflict":
          return c.json({ error: "changed by someone else meanwhile" }, 409);
        case "not-allowed":
          return c.json({ error: result.reason }, 409);
        case "moved":
          return c.json(
            {
              error: `moved meanwhile to ${result.movedTo.token}; nothing was changed`,
              movedTo: {
                appointmentId: result.movedTo.id,
                token: result.movedTo.token,
                date: result.movedTo.date,
                time: formatMinute(result.movedTo.startMinute),
              },
            },
            409,
          );
      }
    },
  }),

  route({
    method: "post",
    path: "/appointments/{appointmentId}/move",
    summary: "Move a booked appointment to the doctor's next free time after it (the patient is texted)",
    params: { appointmentId: { type: "integer", min: 1 } },
    responses: {
      200: {
        description: "moved",
        schema: objectOf({
          appointmentId: { type: "integer" },
          token: { type: "string" },
          date: { type: "string" },
          time: { type: "string" },
        }),
      },
      409: error("not movable (arrived, done or cancelled), no later time, or changed meanwhile"),
      ...denied,
    },
    handler: async (c: DeskContextOf, { params }) => {
      const user = c.var.staff;
      const owner = await appointmentOwner(c.var.db, params.appointmentId);
      if (!owner) return c.json({ error: "unknown appointment" }, 404);
      if (!canManageClinic(user, owner.clinicId)) return c.json({ error: "not your clinic" }, 403);
      const result = await bookingService(c).moveToNextFree(params.appointmentId, {
        actor: actorOf(user),
        clinicId: owner.clinicId,
        action: "appointment.moved",
        detail: { via: "api" },
      });
      switch (result.kind) {
        case "moved":
          return c.json({
            appointmentId: result.appointmentId,
            token: result.token,
            date: result.offer.date,
            time: formatMinute(result.offer.startMinute),
          });
        case "not-found":
          return c.json({ error: "unknown appointment" }, 404);
        case "not-movable":
          return c.json({ error: "only a booked appointment whose patient has not arrived can be moved" }, 409);
        case "no-later-time":
          return c.json({ error: "no later free time in the horizon" }, 409);
        case "conflict":
          return c.json({ error: "changed meanwhile, or the patient already has the next free time" }, 409);
      }
    },
  }),

  route({
    method: "post",
    path: "/clinics/{clinicId}/walk-ins",
    summary: "Issue the doctor's next free time today to a patient at the counter",
    params: clinicParam,
    body: {
      doctorId: { type: "integer", min: 1 },
      phone: { type: "string", maxLength: 20, example: "9845012345" },
    },
    responses: {
      201: {
        description: "issued",
        schema: objectOf({ appointmentId: { type: "integer" }, token: { type: "string" }, time: { type: "string" } }),
      },
      409: error("no free time today, or this phone already has that time"),
      ...denied,
    },
    handler: async (c: DeskContextOf, { params, body }) => {
      const user = c.var.staff;
      const clinicId = params.clinicId;
      if (!canManageClinic(user, clinicId)) return c.json({ error: "not your clinic" }, 403);
      const phone = callerNumber(body.phone);
      if (!phone) return c.json({ error: "phone must be a mobile number" }, 400);
      const result = await bookingService(c).issueWalkIn(
        { clinicId, doctorId: body.doctorId, phone },
        { actor: actorOf(user), clinicId, action: "appointment.walk_in", detail: { via: "api" } },
      );
      switch (result.kind) {
        case "issued":
          return c.json(
            { appointmentId: result.appointmentId, token: result.token, time: formatMinute(result.offer.startMinute) },
            201,
          );
        case "unknown-doctor":
          return c.json({ error: "not one of this clinic's doctors" }, 400);
        case "not-working-today":
          return c.json({ error: "the doctor is not working today" }, 409);
        case "day-full":
          return c.json({ error: "no free time is left today" }, 409);
        case "same-time":
          return c.json({ error: "no walk-in time can be given to this phone today" }, 409);
      }
    },
  }),

  route({
    method: "get",
    path: "/messages",
    summary:
      "Texts patients sent that were not commands, and texts the line did not answer (over a limit), newest first (admin)",
    query: {
      before: { type: "integer", min: 1, optional: true },
      limit: { type: "integer", min: 1, max: 200, optional: true },
    },
    responses: {
      200: { description: "messages", schema: objectOf({ messages: { type: "array" } }) },
      ...denied,
    },
    handler: async (c: DeskContextOf, { query }) => {
      // Texts are not tied to a clinic, so only an admin reads them.
      if (c.var.staff.role !== "admin") return c.json({ error: "admins only" }, 403);
      const rows = await textsForStaff(c.var.db, {
        ...(query.before ? { before: query.before } : {}),
        limit: query.limit ?? 50,
      });
      return c.json({ messages: rows });
    },
  }),

  route({
    method: "get",
    path: "/sms-usage",
    summary: "Today's outbound SMS against the daily budget; `reached` is the desk's alert (admin and desk)",
    responses: {
      200: {
        description: "today's usage",
        schema: objectOf({
          day: { type: "string" },
          sent: { type: "integer" },
          budget: { type: "integer" },
          reached: { type: "boolean" },
        }),
      },
      ...denied,
    },
    handler: async (c: DeskContextOf) => {
      // Line-wide counts, no patient data; a doctor has no use for them.
      if (c.var.staff.role === "doctor") return c.json({ error: "admin and desk only" }, 403);
      return c.json(await smsUsage(c.var.db, c.var.config.smsDailyBudget, new Date()));
    },
  }),
];

type DeskContextOf = import("hono").Context<DeskEnv>;

/** The desk pages' guard (same sessions and users), refusing in JSON and taking CSRF from the header. */
const requireApiSession = requireSession({ ...staffGuard, json: true });

export const deskApi = new Hono<DeskEnv>({ strict: false });

deskApi.get("/openapi.json", (c) =>
  c.json(
    openApiDocument(deskApiRoutes, {
      title: "Clinic desk API",
      version: "1.0.0",
      description: "The clinic desk's operations as JSON. Same sessions, roles and per-clinic checks as /desk.",
      server: "/api/desk",
      security: {
        type: "apiKey",
        in: "cookie",
        name: "__Host-desk_session",
        description:
          "Sign in at /desk/login (the cookie is __Host-desk_session on https, desk_session on plain-http local dev); changes also need the session's CSRF token in X-CSRF-Token (GET /api/desk/session).",
      },
    }),
  ),
);
deskApi.use("*", smallBodies);
deskApi.use("*", requireApiSession);
mount(deskApi, deskApiRoutes);
