/**
 * The desk's JSON API under /api/desk: the same operations and the same checks as the pages
 * (session cookie, role, clinic), for scripts and other front ends. Every change needs the
 * session's CSRF token in an X-CSRF-Token header (a header no cross-site form can send).
 * The OpenAPI document at /api/desk/openapi.json is generated from these route definitions.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { csrfMatches, readSession } from "../auth/session.ts";
import { isQueueStatus, QUEUE_STATUSES } from "../booking/visit.ts";
import { database } from "../db/client.ts";
import { getClinic } from "../db/directory.ts";
import { smsInbound } from "../db/schema.ts";
import {
  actorOf,
  appointmentOwner,
  canManageClinic,
  canSeeClinic,
  canSeeDoctor,
  loadStaffUser,
} from "../desk/access.ts";
import { bookingService, type DeskEnv } from "../desk/context.ts";
import { dayQueue } from "../desk/queue.ts";
import { callerNumber } from "../patients/phone.ts";
import { formatMinute, localClock, parseDate } from "../slots/calendar.ts";

export const deskApi = new OpenAPIHono<DeskEnv>({
  strict: false,
  // Bad input is a 400 that says what was wrong, never a 500.
  defaultHook: (result, c) => {
    if (!result.success)
      return c.json(
        {
          error: "invalid input",
          issues: result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        },
        400,
      );
  },
});

deskApi.openAPIRegistry.registerComponent("securitySchemes", "session", {
  type: "apiKey",
  in: "cookie",
  name: "desk_session",
  description:
    "Sign in at /desk/login; changes also need the session's CSRF token in X-CSRF-Token (GET /api/desk/session).",
});

const requireApiSession: MiddlewareHandler<DeskEnv> = async (c, next) => {
  if (c.req.path.endsWith("/openapi.json")) return next();
  const db = database(c.env.DB);
  const session = await readSession(c, db, "staff", new Date());
  const user = session && (await loadStaffUser(db, session.subjectId));
  if (!session || !user) return c.json({ error: "sign in first" }, 401);
  if (c.req.method !== "GET" && !csrfMatches(session, c.req.header("x-csrf-token")))
    return c.json({ error: "missing or wrong X-CSRF-Token" }, 403);
  c.set("session", session);
  c.set("staff", user);
  await next();
};
deskApi.use("*", requireApiSession);

const ErrorBody = z.object({ error: z.string() }).openapi("Error");
const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBody } },
});
const errors = {
  401: errorResponse("not signed in"),
  403: errorResponse("not yours, or no CSRF token"),
  404: errorResponse("no such thing"),
};
const security = [{ session: [] }];
const ClinicParam = z.object({ clinicId: z.coerce.number().int().positive().openapi({ example: 1 }) });
const QueueStatus = z.enum(QUEUE_STATUSES).openapi("QueueStatus");

const QueueItem = z
  .object({
    id: z.number(),
    token: z.string().openapi({ example: "KS-7" }),
    time: z.string().openapi({ example: "10:30 AM" }),
    startsAt: z.string(),
    doctorId: z.number(),
    doctorName: z.string(),
    phone: z.string().openapi({ description: "masked to the last four digits for the doctor role" }),
    source: z.string(),
    status: QueueStatus,
  })
  .openapi("QueueItem");

deskApi.openapi(
  createRoute({
    method: "get",
    path: "/session",
    summary: "Who is signed in, and the CSRF token changes must carry",
    security,
    responses: {
      200: {
        description: "the session",
        content: {
          "application/json": {
            schema: z.object({
              user: z.object({
                id: z.number(),
                username: z.string(),
                role: z.string(),
                clinicIds: z.union([z.array(z.number()), z.literal("all")]),
              }),
              csrfToken: z.string(),
            }),
          },
        },
      },
      401: errors[401],
    },
  }),
  (c) => {
    const { id, username, role, clinicIds } = c.var.staff;
    return c.json({ user: { id, username, role, clinicIds }, csrfToken: c.var.session.csrfToken }, 200);
  },
);

deskApi.openapi(
  createRoute({
    method: "get",
    path: "/clinics/{clinicId}/appointments",
    summary: "A day's queue of a clinic, in time order (a doctor sees only their own)",
    security,
    request: {
      params: ClinicParam,
      query: z.object({
        date: z
          .string()
          .refine((d) => parseDate(d) !== null, "date must be YYYY-MM-DD")
          .optional()
          .openapi({ description: "clinic-local date; default today" }),
      }),
    },
    responses: {
      200: {
        description: "the queue",
        content: {
          "application/json": {
            schema: z.object({
              clinic: z.object({ id: z.number(), name: z.string(), timezone: z.string() }),
              date: z.string(),
              appointments: z.array(QueueItem),
            }),
          },
        },
      },
      ...errors,
    },
  }),
  async (c) => {
    const { clinicId } = c.req.valid("param");
    const db = database(c.env.DB);
    const clinic = await getClinic(db, clinicId);
    if (!clinic) return c.json({ error: "unknown clinic" }, 404);
    const user = c.var.staff;
    if (!canSeeClinic(user, clinic.id)) return c.json({ error: "not your clinic" }, 403);
    const date = c.req.valid("query").date ?? localClock(new Date(), clinic.timezone).date;
    const rows = await dayQueue(db, clinic, date, {
      ...(user.role === "doctor" && user.doctorId !== null ? { doctorId: user.doctorId } : {}),
      maskPhones: user.role === "doctor",
    });
    return c.json(
      { clinic: { id: clinic.id, name: clinic.name, timezone: clinic.timezone }, date, appointments: rows },
      200,
    );
  },
);

deskApi.openapi(
  createRoute({
    method: "get",
    path: "/clinics/{clinicId}/attention",
    summary: "Upcoming appointments a schedule change left outside their doctor's hours: call these patients",
    security,
    request: { params: ClinicParam },
    responses: {
      200: {
        description: "appointments to call about",
        content: {
          "application/json": {
            schema: z.object({
              clinic: z.object({ id: z.number(), name: z.string() }),
              outsideHours: z.array(
                z.object({
                  id: z.number(),
                  token: z.string(),
                  doctor: z.string(),
                  date: z.string(),
                  time: z.string(),
                  patientPhone: z.string(),
                }),
              ),
            }),
          },
        },
      },
      ...errors,
    },
  }),
  async (c) => {
    const { clinicId } = c.req.valid("param");
    const clinic = await getClinic(database(c.env.DB), clinicId);
    if (!clinic) return c.json({ error: "unknown clinic" }, 404);
    if (!canManageClinic(c.var.staff, clinic.id)) return c.json({ error: "not your clinic" }, 403);
    const stranded = await bookingService(c).strandedAppointments(clinic.id);
    return c.json(
      {
        clinic: { id: clinic.id, name: clinic.name },
        outsideHours: stranded.map((a) => ({
          id: a.id,
          token: a.token,
          doctor: a.doctorName,
          date: a.date,
          time: formatMinute(a.startMinute),
          patientPhone: a.patientPhone,
        })),
      },
      200,
    );
  },
);

deskApi.openapi(
  createRoute({
    method: "post",
    path: "/appointments/{appointmentId}/step",
    summary:
      "Move an appointment on: arrived, in_consultation, completed, no_show, or cancelled (the patient is texted)",
    security,
    request: {
      params: z.object({ appointmentId: z.coerce.number().int().positive() }),
      body: { content: { "application/json": { schema: z.object({ to: QueueStatus }) } }, required: true },
    },
    responses: {
      200: {
        description: "moved",
        content: { "application/json": { schema: z.object({ from: QueueStatus, to: QueueStatus }) } },
      },
      409: {
        description: "not allowed from where it is, or moved meanwhile",
        content: { "application/json": { schema: ErrorBody } },
      },
      ...errors,
    },
  }),
  async (c) => {
    const { appointmentId } = c.req.valid("param");
    const { to } = c.req.valid("json");
    const user = c.var.staff;
    const owner = await appointmentOwner(database(c.env.DB), appointmentId);
    if (!owner) return c.json({ error: "unknown appointment" }, 404);
    if (!canSeeDoctor(user, { id: owner.doctorId, clinicId: owner.clinicId }))
      return c.json({ error: "not your clinic" }, 403);
    if (!isQueueStatus(to) || (to === "cancelled" && !canManageClinic(user, owner.clinicId)))
      return c.json({ error: "a doctor cannot cancel" }, 403);
    const result = await bookingService(c).changeVisit(appointmentId, to, {
      actor: actorOf(user),
      clinicId: owner.clinicId,
      action: `appointment.${to}`,
      detail: { token: owner.token, via: "api" },
    });
    switch (result.kind) {
      case "changed":
        return c.json({ from: result.from, to: result.to }, 200);
      case "not-found":
        return c.json({ error: "unknown appointment" }, 404);
      case "conflict":
        return c.json({ error: "changed by someone else meanwhile" }, 409);
      case "not-allowed":
        return c.json({ error: result.reason }, 409);
    }
  },
);

deskApi.openapi(
  createRoute({
    method: "post",
    path: "/clinics/{clinicId}/walk-ins",
    summary: "Issue the doctor's next free time today to a patient at the counter",
    security,
    request: {
      params: ClinicParam,
      body: {
        content: {
          "application/json": {
            schema: z.object({
              doctorId: z.number().int().positive(),
              phone: z.string().max(20).openapi({ example: "9845012345" }),
            }),
          },
        },
        required: true,
      },
    },
    responses: {
      201: {
        description: "issued",
        content: {
          "application/json": { schema: z.object({ appointmentId: z.number(), token: z.string(), time: z.string() }) },
        },
      },
      400: { description: "bad phone or doctor", content: { "application/json": { schema: ErrorBody } } },
      409: { description: "no free time today", content: { "application/json": { schema: ErrorBody } } },
      ...errors,
    },
  }),
  async (c) => {
    const { clinicId } = c.req.valid("param");
    const { doctorId, phone: raw } = c.req.valid("json");
    const user = c.var.staff;
    if (!canManageClinic(user, clinicId)) return c.json({ error: "not your clinic" }, 403);
    const phone = callerNumber(raw);
    if (!phone) return c.json({ error: "phone must be a mobile number" }, 400);
    const result = await bookingService(c).issueWalkIn(
      { clinicId, doctorId, phone },
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
        return c.json({ error: "this phone already has an appointment at that time" }, 409);
    }
  },
);

deskApi.openapi(
  createRoute({
    method: "get",
    path: "/messages",
    summary: "Texts patients sent that were not commands, newest first (admin)",
    security,
    request: {
      query: z.object({
        before: z.coerce.number().int().positive().optional(),
        limit: z.coerce.number().int().min(1).max(200).optional(),
      }),
    },
    responses: {
      200: {
        description: "messages",
        content: {
          "application/json": {
            schema: z.object({
              messages: z.array(
                z.object({ id: z.number(), from: z.string().nullable(), body: z.string(), receivedAt: z.string() }),
              ),
            }),
          },
        },
      },
      ...errors,
    },
  }),
  async (c) => {
    // Texts are not tied to a clinic, so only an admin reads them.
    if (c.var.staff.role !== "admin") return c.json({ error: "admins only" }, 403);
    const { before, limit } = c.req.valid("query");
    const rows = await database(c.env.DB)
      .select({
        id: smsInbound.id,
        from: smsInbound.fromNumber,
        body: smsInbound.body,
        receivedAt: smsInbound.createdAt,
      })
      .from(smsInbound)
      .where(and(eq(smsInbound.command, "help"), before ? lt(smsInbound.id, before) : undefined))
      .orderBy(desc(smsInbound.id))
      .limit(limit ?? 50);
    return c.json({ messages: rows }, 200);
  },
);

deskApi.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "Clinic desk API",
    version: "1.0.0",
    description: "The clinic desk's operations as JSON. Same sessions, roles and per-clinic checks as /desk.",
  },
  servers: [{ url: "/api/desk" }],
});
