/**
 * SMS through Exotel (SMS_PROVIDER=exotel), for Indian operators: every text names the clinic's
 * DLT entity, the registered template it matches and the registered sender header, against a
 * fake Exotel API. A booking, a move, a clinic's cancel and both reminders in each language;
 * retries on 5xx, final failures on an operator's rejection; delivery reports on a signed URL;
 * and a template with no DLT id is blocked, never sent as free text.
 */
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../src/config.ts";
import { database } from "../src/db/client.ts";
import { BookingService } from "../src/booking/service.ts";
import { holdEarliest } from "../src/booking/offer.ts";
import { getClinic, listDoctors } from "../src/db/directory.ts";
import { sendDueReminders } from "../src/reminders/send.ts";
import { deliverOne } from "../src/sms/outbox.ts";
import type { Job } from "../src/jobs/queue.ts";
import { matchingTemplates, TEMPLATE_KEYS, type TemplateKey } from "../src/sms/templates/index.ts";
import { missingTemplateIds, reportSmsMisconfiguration } from "../src/sms/transport.ts";
import { ALL_LANGUAGES, wordsFor, type Language } from "../src/words/index.ts";
import { mockServer } from "./setup.ts";
import { contextAt, newClinic } from "./support/clinic.ts";
import { lineWith } from "./support/line.ts";
import { addOutboxRow, outboxRow } from "./support/outbox.ts";

const SEND_URL = "https://exotel.test/v1/Accounts/clinic-line/Sms/send.json";
/** One made-up DLT id per template and language, as a clinic's registration would give. */
const TEMPLATE_IDS = Object.fromEntries(
  ALL_LANGUAGES.flatMap((language, l) =>
    TEMPLATE_KEYS.map((key, k) => [`${key}.${language}`, `1107${String(l * 100 + k).padStart(15, "0")}`]),
  ),
);
const EXOTEL = {
  SMS_PROVIDER: "exotel",
  EXOTEL_API_KEY: "exo-key",
  EXOTEL_API_TOKEN: "exo-token",
  EXOTEL_ACCOUNT_SID: "clinic-line",
  EXOTEL_API_BASE_URL: "https://exotel.test",
  DLT_ENTITY_ID: "1101000000000000001",
  DLT_SENDER_HEADER: "CLINIC",
  DLT_TEMPLATE_IDS: JSON.stringify(TEMPLATE_IDS),
  SMS_CALLBACK_SECRET: "callback-secret-for-tests",
  LINE_PHONE_NUMBER: "+918242440001",
  LANGUAGES: "kn,en,hi",
};
const WED_8AM = new Date("2027-09-08T02:30:00Z"); // Wednesday 08:00 IST

interface ExotelRequest {
  form: Record<string, string>;
  authorization: string | null;
}

/** A fake Exotel send API: records each request and answers as `respond` says (accepted by default). */
function fakeExotel(respond?: (n: number) => Response | undefined): ExotelRequest[] {
  const seen: ExotelRequest[] = [];
  mockServer.use(
    http.post(SEND_URL, async ({ request }) => {
      const form = Object.fromEntries(new URLSearchParams(await request.text()));
      seen.push({ form, authorization: request.headers.get("authorization") });
      return (
        respond?.(seen.length) ??
        HttpResponse.json({
          SMSMessage: {
            Sid: `exo${seen.length}${crypto.randomUUID().slice(0, 8)}`,
            Status: "queued",
            DetailedStatus: "PENDING_TO_OPERATOR",
            DetailedStatusCode: 21010,
          },
        })
      );
    }),
  );
  return seen;
}

/** The queue the booking service writes to: recorded, delivered by the test itself. */
function recordingQueue(): { queue: Queue<Job>; ids: () => number[] } {
  const jobs: Job[] = [];
  const queue = {
    send: async (body: Job) => void jobs.push(body),
    sendBatch: async (messages: Iterable<{ body: Job }>) => void jobs.push(...[...messages].map((m) => m.body)),
  } as unknown as Queue<Job>;
  const ids = () => jobs.flatMap((job) => ("outboxId" in job ? [job.outboxId] : []));
  return { queue, ids };
}

function exotelEnv(queue: Queue<Job>, overrides: Record<string, string> = {}): Env {
  return { ...env, ...EXOTEL, ...overrides, JOBS: queue } as Env;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(WED_8AM);
});
afterEach(() => vi.useRealTimers());

describe.each(ALL_LANGUAGES)("with SMS_PROVIDER=exotel, in %s", (language) => {
  it("a booking, a move, a clinic's cancel and both reminders reach Exotel with their template ids and texts", async () => {
    const { queue, ids } = recordingQueue();
    // The public address: where reports of every text go (reminders are written by the cron, without a request).
    const bindings = exotelEnv(queue, { PUBLIC_BASE_URL: "https://line.test" });
    const ctx = contextAt(WED_8AM, bindings, 7);
    const config = ctx.config;
    const service = new BookingService(ctx, wordsFor(language));
    const clinic = await newClinic(ctx, [`Dr. Exotel ${language}`]);
    const phone = `+9198765${String(10000 + ALL_LANGUAGES.indexOf(language)).slice(-5)}`;
    await env.DB.prepare("INSERT INTO patients (phone, name, preferred_language) VALUES (?, 'P', ?)")
      .bind(phone, language)
      .run();

    // Booked by a call in the language, moved on the patient page, cancelled by the clinic.
    const where = (await getClinic(ctx.db, clinic.id))!;
    const offer = (await holdEarliest(ctx, where, await listDoctors(ctx.db, clinic.id), "CAexo" + language, {
      holder: phone,
    }))!;
    const booked = await service.bookHeldSlot(
      Promise.resolve({ clinic: where, doctor: offer.doctor }),
      { doctorId: offer.doctor.id, date: offer.date, startMinute: offer.startMinute },
      { callSid: "CAexo" + language, phone },
    );
    expect(booked.kind).toBe("booked");
    const bookingId = booked.kind === "booked" ? booked.booking.appointmentId : 0;
    const moved = await service.moveForPatient(phone, bookingId, {
      actor: "patient:test",
      clinicId: clinic.id,
      action: "move",
    });
    expect(moved.kind).toBe("moved");
    const movedId = moved.kind === "moved" ? moved.appointmentId : 0;
    expect(await service.cancelByClinic(movedId)).toBe(true);

    // A second appointment, tomorrow, gets both reminders: the evening before, and 2 hours before.
    const second = (await holdEarliest(ctx, where, await listDoctors(ctx.db, clinic.id), "CAexo2" + language, {
      holder: phone,
      after: { date: "2027-09-09", minute: 0 },
    }))!;
    expect(second.date).toBe("2027-09-09");
    await service.bookHeldSlot(
      Promise.resolve({ clinic: where, doctor: second.doctor }),
      { doctorId: second.doctor.id, date: second.date, startMinute: second.startMinute },
      { callSid: "CAexo2" + language, phone },
    );
    const db = database(env.DB);
    const startsAt = second.startsAt.getTime();
    const evening = await sendDueReminders(db, queue, config, new Date(startsAt - 13 * 3_600_000));
    const soon = await sendDueReminders(db, queue, config, new Date(startsAt - 2 * 3_600_000 + 60_000));
    expect(evening.sent.map((s) => s.kind)).toEqual(["evening"]);
    expect(soon.sent.map((s) => s.kind)).toEqual(["soon"]);

    const sent = fakeExotel();
    for (const id of ids()) expect((await deliverOne(db, config, id, new Date())).outcome).toBe("sent");
    const expected: TemplateKey[] = [
      "booked",
      "moved",
      "cancelledByClinic",
      "booked",
      "reminderEvening",
      "reminderSoon",
    ];
    expect(sent).toHaveLength(expected.length);
    const auth = `Basic ${btoa("exo-key:exo-token")}`;
    sent.forEach(({ form, authorization }, i) => {
      const kind = expected[i]!;
      // The text matches its own registered template, and no other; the id sent is that template's.
      expect(matchingTemplates(form.Body!, language), form.Body).toEqual([kind]);
      expect(form).toMatchObject({
        From: "CLINIC",
        To: phone,
        DltEntityId: "1101000000000000001",
        DltTemplateId: TEMPLATE_IDS[`${kind}.${language}`],
        SmsType: "transactional",
        EncodingType: language === "en" ? "plain" : "unicode",
      });
      // Never "reply CANCEL": a DLT header cannot receive texts. The line's number instead.
      expect(form.Body).not.toContain("CANCEL");
      if (kind !== "cancelled") expect(form.Body).toContain("08242440001");
      expect(form.StatusCallback).toMatch(
        new RegExp(`^https://line\\.test/api/sms/exotel-status/\\?outbox=\\d+&sig=[0-9a-f]{64}$`),
      );
      expect(authorization).toBe(auth);
    });
    for (const id of ids()) expect(await outboxRow(id)).toMatchObject({ status: "sent", language });
  });
});

describe("Exotel's answers", () => {
  const config = readConfig(exotelEnv(env.JOBS));
  const db = database(env.DB);
  const row = (to: string, language: Language = "en") =>
    addOutboxRow(to, "Token KS-2 is cancelled: Dr. A, B, on 25-11-2026 at 9:15 AM. The time is now free for others.", {
      template: "cancelled",
      language,
    });

  it("a 5xx or a timeout is retried with backoff, then sent", async () => {
    const sent = fakeExotel((n) => (n === 1 ? HttpResponse.text("Bad Gateway", { status: 502 }) : undefined));
    const id = await row("+919811200001");
    const first = await deliverOne(db, config, id, new Date());
    expect(first).toMatchObject({ outcome: "retry", delaySeconds: 30 });
    expect(await outboxRow(id)).toMatchObject({ status: "pending", attempts: 1, last_error: "HTTP 502" });
    const later = new Date(Date.now() + 31_000);
    expect((await deliverOne(db, config, id, later)).outcome).toBe("sent");
    expect(sent).toHaveLength(2);
  });

  it("an operator's rejection is final, recorded with its reason, never retried", async () => {
    fakeExotel(() =>
      HttpResponse.json(
        { RestException: { Status: 400, Message: "Sender ID not approved for this template", Code: 400 } },
        { status: 400 },
      ),
    );
    const rejected = await row("+919811200002");
    expect(await deliverOne(db, config, rejected, new Date())).toMatchObject({ outcome: "failed" });
    expect(await outboxRow(rejected)).toMatchObject({
      status: "failed",
      last_error: "Sender ID not approved for this template",
      next_attempt_at: null,
    });
    mockServer.resetHandlers();
    // Accepted, yet already refused: the number is on the do-not-disturb registry.
    fakeExotel(() =>
      HttpResponse.json({
        SMSMessage: { Sid: "exo-dnd", Status: "failed_dnd", DetailedStatus: "FAILED_DND", DetailedStatusCode: 23005 },
      }),
    );
    const dnd = await row("+919811200003");
    expect(await deliverOne(db, config, dnd, new Date())).toMatchObject({ outcome: "failed" });
    expect(await outboxRow(dnd)).toMatchObject({
      status: "failed",
      error_code: 23005,
      last_error: "rejected: FAILED_DND",
    });
  });

  it("a template with no DLT id: a configuration error naming it, and the row blocked, never sent as free text", async () => {
    const { ["cancelled.hi"]: _, ...fewer } = TEMPLATE_IDS;
    const missing = readConfig(exotelEnv(env.JOBS, { DLT_TEMPLATE_IDS: JSON.stringify(fewer) }));
    expect(missingTemplateIds(missing)).toEqual(["cancelled.hi"]);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    reportSmsMisconfiguration(missing);
    expect(errors.mock.calls.flat().join(" ")).toContain("DLT_TEMPLATE_IDS has no id for cancelled.hi");
    errors.mockRestore();
    const sent = fakeExotel();
    const id = await row("+919811200004", "hi");
    expect(await deliverOne(db, missing, id, new Date())).toEqual({
      outcome: "blocked",
      reason: "no DLT template id for cancelled.hi",
    });
    expect(await outboxRow(id)).toMatchObject({
      status: "blocked",
      body: "",
      last_error: "blocked: no DLT template id for cancelled.hi",
    });
    expect(sent).toEqual([]);
  });

  it("settings missing or an http API base are a configuration error; the row waits untouched", async () => {
    const unsafe = readConfig(exotelEnv(env.JOBS, { EXOTEL_API_BASE_URL: "http://exotel.example" }));
    const id = await row("+919811200005");
    expect((await deliverOne(db, unsafe, id, new Date())).outcome).toBe("retry");
    const noSecret = readConfig(exotelEnv(env.JOBS, { SMS_CALLBACK_SECRET: "" }));
    expect((await deliverOne(db, noSecret, id, new Date())).outcome).toBe("retry");
    expect(await outboxRow(id)).toMatchObject({ status: "pending", attempts: 0 });
  });
});

describe("Exotel's delivery reports", () => {
  const line = lineWith(EXOTEL);
  const config = readConfig(exotelEnv(env.JOBS));
  const db = database(env.DB);

  async function sentRow(to: string): Promise<{ id: number; callback: string }> {
    const sent = fakeExotel();
    const id = await addOutboxRow(
      to,
      "Token KS-2 is cancelled: Dr. A, B, on 25-11-2026 at 9:15 AM. The time is now free for others.",
      {
        template: "cancelled",
      },
    );
    expect((await deliverOne(db, config, id, new Date())).outcome).toBe("sent");
    return { id, callback: sent[0]!.form.StatusCallback! };
  }
  const report = (url: string, fields: Record<string, string>) =>
    line(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });

  it("an operator's rejection is recorded as failed with its reason, for the desk", async () => {
    const { id, callback } = await sentRow("+919811300001");
    const sid = (await outboxRow(id)).message_sid!;
    const res = await report(callback, {
      SmsSid: sid,
      Status: "failed",
      DetailedStatus: "FAILED_DLT_TEMPLATE",
      DetailedStatusCode: "23082",
    });
    expect(res.status).toBe(204);
    expect(await outboxRow(id)).toMatchObject({
      status: "failed",
      error_code: 23082,
      last_error: "FAILED_DLT_TEMPLATE (23082)",
    });
  });

  it("delivered: recorded, and the text is not kept", async () => {
    const { id, callback } = await sentRow("+919811300002");
    const sid = (await outboxRow(id)).message_sid!;
    const res = await report(callback, {
      SmsSid: sid,
      Status: "sent",
      DetailedStatus: "DELIVERED_TO_HANDSET",
      DetailedStatusCode: "20005",
    });
    expect(res.status).toBe(204);
    expect(await outboxRow(id)).toMatchObject({ status: "delivered", body: "" });
  });

  it("a forged or tampered URL is refused with 403 and changes nothing; another row's SmsSid is not taken", async () => {
    const { id, callback } = await sentRow("+919811300003");
    const sid = (await outboxRow(id)).message_sid!;
    const failed = { SmsSid: sid, Status: "failed", DetailedStatus: "FAILED_DND", DetailedStatusCode: "23005" };
    const other = await sentRow("+919811300004");
    // The signature of another row, a made-up one, none at all.
    const tampered = callback.replace(/outbox=\d+/, `outbox=${other.id}`);
    const madeUp = callback.replace(/sig=[0-9a-f]+/, `sig=${"0".repeat(64)}`);
    const unsigned = callback.replace(/&sig=[0-9a-f]+/, "");
    for (const url of [tampered, madeUp, unsigned]) expect((await report(url, failed)).status).toBe(403);
    expect(await outboxRow(id)).toMatchObject({ status: "sent" });
    expect(await outboxRow(other.id)).toMatchObject({ status: "sent" });
    // Signed for its row, but naming another message: not recorded.
    expect((await report(other.callback, failed)).status).toBe(404);
    expect(await outboxRow(other.id)).toMatchObject({ status: "sent" });
    // Junk: no SmsSid.
    expect((await report(callback, { Status: "failed" })).status).toBe(400);
  });
});
