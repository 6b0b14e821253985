/** Today's queue, its live rows, the visit-step buttons and walk-ins. */
import type { AppVariables } from "../../context.ts";
import { Hono } from "hono";
import { isQueueStatus } from "../../booking/visit.ts";
import { getClinic, listDoctors } from "../../db/directory.ts";
import { appointmentOwner } from "../../stores/appointments.ts";
import { actorOf, canManageClinic, canSeeClinic, canSeeDoctor } from "../../desk/access.ts";
import { bookingService, parseId, type DeskContext, type DeskEnv } from "../../desk/context.ts";
import { labels, STATUS_LABEL } from "../../desk/labels.ts";
import { QueuePage, QueueRows, VisitNotesPage, type QueueView } from "../../desk/pages/queue.tsx";
import { dayQueue, type QueueRow } from "../../desk/queue.ts";
import { queueHealth, viewerOf } from "../../desk/health.ts";
import { smsProblems } from "../../desk/sms-problems.ts";
import type { StaffUser } from "../../desk/access.ts";
import { addNote, readNotes, saveOwnNote } from "../../reasons/notes.ts";
import { audit } from "../../auth/audit.ts";
import { enqueueJobs } from "../../jobs/queue.ts";
import { recordingResponse } from "../../reasons/read.ts";
import { appointmentScope, mayWriteNotes } from "../../reasons/access.ts";
import type { Config } from "../../config.ts";
import { callerNumber } from "../../patients/phone.ts";
import { formatMinute, localClock } from "../../slots/calendar.ts";
import { flash, takeFlash } from "./flash.ts";
import { deny } from "./pages.tsx";

export const deskQueue = new Hono<DeskEnv>();

/**
 * The rows a user sees, urgent ones first, each with its urgent mark and, for the doctor of the
 * appointment or an admin, the doctor's summary, and whether this user may add a visit note.
 */
async function queueRows(
  db: AppVariables["db"],
  config: Config,
  user: StaffUser,
  clinic: { id: number; timezone: string },
  date: string,
  doctorId: number | undefined,
): Promise<QueueRow[]> {
  const rows = await dayQueue(db, clinic, date, {
    ...(doctorId !== undefined ? { doctorId } : {}),
    maskPhones: user.role === "doctor",
    withNotes: user.role === "doctor",
    urgentFirst: true,
  });
  const viewer = viewerOf(user, clinic.id);
  const ids = rows.map((r) => r.id);
  const [health, undelivered] = await Promise.all([queueHealth(db, viewer, ids), smsProblems(db, ids)]);
  return rows.map((row) => {
    const h = health.get(row.id);
    const smsProblem = undelivered.get(row.id);
    const scope = { id: row.id, clinicId: clinic.id, doctorId: row.doctorId, patientId: 0 };
    return {
      ...row,
      urgent: h?.urgency.urgent ?? row.urgent,
      ...(h ? { health: h } : {}),
      canWriteNotes: mayWriteNotes(viewer, scope, config.noteWriters),
      // A provider's message may name the number: a doctor (who sees masked numbers) gets the fact only.
      ...(smsProblem ? { smsProblem: user.role === "doctor" ? labels.smsNotDelivered : smsProblem } : {}),
    };
  });
}

/** The clinic, the doctors the user may see in it, and the doctor filter, or the page that refuses. */
async function queueScope(c: DeskContext, clinicParam: string | undefined, doctorParam: string | undefined) {
  const user = c.var.staff;
  const db = c.var.db;
  const clinicId = parseId(clinicParam);
  const clinic = clinicId === null ? undefined : await getClinic(db, clinicId);
  if (!clinic) return { refused: deny(c, 404) };
  if (!canSeeClinic(user, clinic.id)) return { refused: deny(c, 403) };
  const doctors = (await listDoctors(db, clinic.id)).filter((d) => canSeeDoctor(user, d));
  let doctorId: number | undefined;
  if (user.role === "doctor") doctorId = user.doctorId ?? undefined;
  else if (doctorParam !== undefined && doctorParam !== "") {
    const id = parseId(doctorParam);
    if (id === null || !doctors.some((d) => d.id === id)) return { refused: deny(c, 404) };
    doctorId = id;
  }
  const date = localClock(new Date(), clinic.timezone).date;
  return { clinic, doctors, doctorId, date, db };
}

async function renderQueue(
  c: DeskContext,
  clinicParam: string | undefined,
  doctorParam: string | undefined,
  extra: Partial<QueueView> = {},
  status: 200 | 400 | 409 = 200,
) {
  const scope = await queueScope(c, clinicParam, doctorParam);
  if ("refused" in scope) return scope.refused;
  const user = c.var.staff;
  const rows = await queueRows(scope.db, c.var.config, user, scope.clinic, scope.date, scope.doctorId);
  c.status(status);
  return c.render(
    <QueuePage
      clinic={scope.clinic}
      date={scope.date}
      doctors={scope.doctors}
      doctorId={scope.doctorId}
      rows={rows}
      csrf={c.var.session.csrfToken}
      canManage={canManageClinic(user, scope.clinic.id)}
      notice={extra.notice ?? takeFlash(c)}
      {...(extra.walkIn ? { walkIn: extra.walkIn } : {})}
    />,
    { title: labels.queue },
  );
}

deskQueue.get("/clinics/:clinicId/queue", (c) => renderQueue(c, c.req.param("clinicId"), c.req.query("doctor")));

/** The rows alone, for the page's refresh every few seconds. */
deskQueue.get("/clinics/:clinicId/queue/rows", async (c) => {
  const scope = await queueScope(c, c.req.param("clinicId"), c.req.query("doctor"));
  if ("refused" in scope) return scope.refused;
  const user = c.var.staff;
  const rows = await queueRows(scope.db, c.var.config, user, scope.clinic, scope.date, scope.doctorId);
  c.header("Cache-Control", "no-store");
  return c.html(
    <QueueRows
      rows={rows}
      csrf={c.var.session.csrfToken}
      canManage={canManageClinic(user, scope.clinic.id)}
      doctorId={scope.doctorId}
    />,
  );
});

deskQueue.post("/appointments/:appointmentId/step", async (c) => {
  const user = c.var.staff;
  const db = c.var.db;
  const id = parseId(c.req.param("appointmentId"));
  const owner = id === null ? undefined : await appointmentOwner(db, id);
  if (!owner || id === null) return deny(c, 404);
  if (!canSeeDoctor(user, { id: owner.doctorId, clinicId: owner.clinicId })) return deny(c, 403);
  const form = await c.req.parseBody();
  const to = typeof form.to === "string" ? form.to : "";
  if (!isQueueStatus(to)) return c.text("Choose one of the queue's steps.", 400);
  if (to === "cancelled" && !canManageClinic(user, owner.clinicId)) return deny(c, 403);
  const doctorFilter = parseId(form.doctor);
  const back = `/desk/clinics/${owner.clinicId}/queue${doctorFilter !== null ? `?doctor=${doctorFilter}` : ""}`;
  const result = await bookingService(c).changeVisit(id, to, {
    actor: actorOf(user),
    clinicId: owner.clinicId,
    action: `appointment.${to}`,
    detail: { token: owner.token },
  });
  switch (result.kind) {
    case "changed":
      flash(c, labels.stepDone(owner.token, STATUS_LABEL[result.to]));
      return c.redirect(back, 303);
    case "not-found":
      return deny(c, 404);
    case "conflict":
      return renderQueue(
        c,
        String(owner.clinicId),
        form.doctor as string | undefined,
        {
          notice: { text: labels.stepConflict, error: true },
        },
        409,
      );
    case "not-allowed":
      return renderQueue(
        c,
        String(owner.clinicId),
        form.doctor as string | undefined,
        {
          notice: { text: `${owner.token}: ${result.reason}.`, error: true },
        },
        409,
      );
    case "moved": {
      const time = formatMinute(result.movedTo.startMinute);
      const text = labels.movedMeanwhile(result.token, { ...result.movedTo, time });
      return renderQueue(
        c,
        String(owner.clinicId),
        form.doctor as string | undefined,
        { notice: { text, error: true } },
        409,
      );
    }
  }
});

deskQueue.post("/clinics/:clinicId/walk-ins", async (c) => {
  const user = c.var.staff;
  const clinicParam = c.req.param("clinicId");
  const clinicId = parseId(clinicParam);
  if (clinicId === null) return deny(c, 404);
  if (!canManageClinic(user, clinicId)) return deny(c, 403);
  const form = await c.req.parseBody();
  const rawPhone = typeof form.phone === "string" ? form.phone.slice(0, 20) : "";
  const doctorId = parseId(form.doctor);
  const phone = callerNumber(rawPhone);
  const walkIn = {
    doctorId: doctorId ?? undefined,
    phone: rawPhone,
    errors: {} as { doctor?: string; phone?: string },
  };
  if (!phone) walkIn.errors.phone = labels.badPhone;
  if (doctorId === null) walkIn.errors.doctor = labels.unknownDoctor;
  if (!phone || doctorId === null) return renderQueue(c, clinicParam, undefined, { walkIn }, 400);
  const result = await bookingService(c).issueWalkIn(
    { clinicId, doctorId, phone },
    { actor: actorOf(user), clinicId, action: "appointment.walk_in" },
  );
  switch (result.kind) {
    case "issued":
      flash(c, labels.walkInIssued(result.token, formatMinute(result.offer.startMinute)));
      return c.redirect(`/desk/clinics/${clinicId}/queue`, 303);
    case "unknown-doctor":
      walkIn.errors.doctor = labels.unknownDoctor;
      return renderQueue(c, clinicParam, undefined, { walkIn }, 400);
    case "not-working-today":
      walkIn.errors.doctor = labels.walkInNotWorking;
      return renderQueue(c, clinicParam, undefined, { walkIn }, 409);
    case "day-full":
      walkIn.errors.doctor = labels.walkInDayFull;
      return renderQueue(c, clinicParam, undefined, { walkIn }, 409);
    case "same-time":
      walkIn.errors.phone = labels.walkInSameTime;
      return renderQueue(c, clinicParam, undefined, { walkIn }, 409);
  }
});

deskQueue.post("/appointments/:appointmentId/move", async (c) => {
  const user = c.var.staff;
  const id = parseId(c.req.param("appointmentId"));
  const owner = id === null ? undefined : await appointmentOwner(c.var.db, id);
  if (!owner || id === null) return deny(c, 404);
  if (!canManageClinic(user, owner.clinicId)) return deny(c, 403);
  const result = await bookingService(c).moveToNextFree(id, {
    actor: actorOf(user),
    clinicId: owner.clinicId,
    action: "appointment.moved",
  });
  const clinicParam = String(owner.clinicId);
  switch (result.kind) {
    case "moved":
      flash(c, labels.moved(result.fromToken, result.token, result.offer.date, formatMinute(result.offer.startMinute)));
      return c.redirect(`/desk/clinics/${owner.clinicId}/queue`, 303);
    case "not-found":
      return deny(c, 404);
    case "not-movable":
      return renderQueue(c, clinicParam, undefined, { notice: { text: labels.moveNotPossible, error: true } }, 409);
    case "no-later-time":
      return renderQueue(c, clinicParam, undefined, { notice: { text: labels.noLaterTime, error: true } }, 409);
    case "conflict":
      return renderQueue(c, clinicParam, undefined, { notice: { text: labels.stepConflict, error: true } }, 409);
  }
});

/**
 * A doctor's note beside their own appointment in the queue: their own visit note on it
 * (reasons/notes.ts saveOwnNote), so the summary reads it and retention deletes it. The audit
 * records that a note changed, never what it says (health data).
 */
deskQueue.post("/appointments/:appointmentId/note", async (c) => {
  const user = c.var.staff;
  const id = parseId(c.req.param("appointmentId"));
  const owner = id === null ? undefined : await appointmentOwner(c.var.db, id);
  if (!owner || id === null) return deny(c, 404);
  if (user.role !== "doctor" || user.doctorId !== owner.doctorId) return deny(c, 403);
  const note = (await c.req.parseBody()).note;
  if (typeof note !== "string" || note.length > 2000) return c.text("A note is text of at most 2000 characters.", 400);
  const db = c.var.db;
  const saved = await saveOwnNote(
    { db, noteWriters: c.var.config.noteWriters, enqueue: (jobs) => enqueueJobs(c.env.JOBS, jobs) },
    viewerOf(user, owner.clinicId),
    id,
    note,
  );
  if (!saved) return deny(c, 403);
  await audit(
    db,
    { actor: actorOf(user), clinicId: owner.clinicId, action: "appointment.note", detail: { appointmentId: id } },
    new Date(),
  );
  flash(c, labels.noteSaved(owner.token));
  return c.redirect(`/desk/clinics/${owner.clinicId}/queue`, 303);
});

/**
 * A visit note (src/reasons/notes.ts): the appointment's doctor always, the desk or an
 * admin of its clinic when NOTE_WRITERS names them. Another clinic's appointment, or an id that
 * is not this user's to write on, gets the same 404 as one that does not exist.
 */
deskQueue.post("/appointments/:appointmentId/notes", async (c) => {
  const user = c.var.staff;
  const db = c.var.db;
  const id = parseId(c.req.param("appointmentId"));
  const scope = id === null ? null : await appointmentScope(db, id);
  if (!scope || id === null) return deny(c, 404);
  const viewer = viewerOf(user, scope.clinicId);
  if (!canSeeClinic(user, scope.clinicId) || !mayWriteNotes(viewer, scope, c.var.config.noteWriters))
    return deny(c, 404);
  const body = (await c.req.parseBody()).body;
  if (typeof body !== "string" || body.length > 2000) return c.text("A note is text of at most 2000 characters.", 400);
  const added = await addNote(
    {
      db,
      noteWriters: c.var.config.noteWriters,
      enqueue: async (jobs) => void (await c.env.JOBS.sendBatch(jobs.map((job) => ({ body: job })))),
    },
    viewer,
    id,
    body,
  );
  if (!added) return c.text("Write the note first.", 400);
  flash(c, labels.visitNoteSaved);
  return c.redirect(`/desk/appointments/${id}/notes`, 303);
});

/** The notes of an appointment and the patient's history at that clinic, for those who may read them. */
deskQueue.get("/appointments/:appointmentId/notes", async (c) => {
  const user = c.var.staff;
  const db = c.var.db;
  const id = parseId(c.req.param("appointmentId"));
  const scope = id === null ? null : await appointmentScope(db, id);
  if (!scope || id === null || !canSeeClinic(user, scope.clinicId)) return deny(c, 404);
  const viewer = viewerOf(user, scope.clinicId);
  const notes = await readNotes({ db, noteWriters: c.var.config.noteWriters }, viewer, id);
  if (!notes) return deny(c, 404);
  c.header("Cache-Control", "private, no-store");
  return c.render(
    <VisitNotesPage
      appointmentId={id}
      clinicId={scope.clinicId}
      notes={notes}
      csrf={c.var.session.csrfToken}
      canWrite={mayWriteNotes(viewer, scope, c.var.config.noteWriters)}
      notice={takeFlash(c)}
    />,
    { title: labels.visitNotes },
  );
});

/**
 * The recorded reason, streamed through the Worker after the access check (the doctor of the
 * appointment, an admin of its clinic): the browser never sees a Twilio URL or credential.
 */
deskQueue.get("/appointments/:appointmentId/recording", async (c) => {
  const user = c.var.staff;
  const db = c.var.db;
  const id = parseId(c.req.param("appointmentId"));
  const scope = id === null ? null : await appointmentScope(db, id);
  if (!scope || id === null || !canSeeClinic(user, scope.clinicId)) return deny(c, 404);
  const audio = await recordingResponse(db, c.var.config, viewerOf(user, scope.clinicId), id);
  return audio ?? deny(c, 404);
});
