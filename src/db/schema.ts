/**
 * The D1 schema. Times: an appointment is its doctor and its start instant (`startsAt`, UTC
 * ISO), with `endsAt` for its length and `localDate`, the clinic-local date, for day views.
 * Nothing is stored as a number counted from a day's start, so changing hours renames nothing.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// The SQL default is only a backstop: the line writes created_at from the Worker's clock, the one
// clock its decisions (the outbox sweep, reminders, retention) compare it with. D1's own clock is
// another machine's and may disagree (it does in every test that simulates a date).
const createdAt = () =>
  text("created_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)
    .$defaultFn(() => new Date().toISOString());

/** Names in other languages, as JSON {"kn": "...", "hi": "..."}; see db/display-names.ts. */
const displayNames = () => text("display_names");

export const states = sqliteTable("states", {
  id: integer("id").primaryKey(),
  name: text("name").notNull().unique(),
  displayNames: displayNames(),
});

export const districts = sqliteTable(
  "districts",
  {
    id: integer("id").primaryKey(),
    stateId: integer("state_id")
      .notNull()
      .references(() => states.id),
    name: text("name").notNull(),
    displayNames: displayNames(),
  },
  (t) => [uniqueIndex("districts_state_name").on(t.stateId, t.name)],
);

export const clinics = sqliteTable(
  "clinics",
  {
    id: integer("id").primaryKey(),
    districtId: integer("district_id")
      .notNull()
      .references(() => districts.id),
    name: text("name").notNull(),
    address: text("address").notNull(),
    /** IANA zone the clinic's dates and hours are in. */
    timezone: text("timezone").notNull().default("Asia/Kolkata"),
    /** The clinic's reception: read out when the line cannot help, and dialled on 0 during opening hours. */
    phone: text("phone"),
    /** When the reception answers: "1-6 0830-1800" (weekdays, 0 Sunday; clinic-local); null: always. */
    openingHours: text("opening_hours"),
    displayNames: displayNames(),
    /** The evening before an appointment the line calls its patient to confirm (src/calls); off until the clinic turns it on. */
    reminderCalls: integer("reminder_calls", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("clinics_district").on(t.districtId),
    // The reminder calls' read starts from the clinics that call (few, or none), not from every
    // booked appointment of the next two days.
    index("clinics_calling")
      .on(t.id)
      .where(sql`reminder_calls = 1`),
  ],
);

export const specializations = sqliteTable("specializations", {
  id: integer("id").primaryKey(),
  name: text("name").notNull().unique(),
  displayNames: displayNames(),
});

export const doctors = sqliteTable(
  "doctors",
  {
    id: integer("id").primaryKey(),
    clinicId: integer("clinic_id")
      .notNull()
      .references(() => clinics.id),
    /** Full name as patients know it, title included ("Dr. Kavya Shetty"). */
    name: text("name").notNull(),
    specializationId: integer("specialization_id")
      .notNull()
      .references(() => specializations.id),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** Letters of this doctor's tokens ("KS" in KS-7): chosen once, never changed, never reused in the clinic. */
    tokenPrefix: text("token_prefix"),
    /** Bumped by every change to the doctor's hours, days off or active flag (see booking/calendar-push.ts). */
    calendarVersion: integer("calendar_version").notNull().default(0),
    /** The newest calendar version every doctor-day object of the horizon has taken (a failed push lags behind). */
    calendarPushedVersion: integer("calendar_pushed_version").notNull().default(0),
  },
  (t) => [
    index("doctors_clinic").on(t.clinicId),
    // The reconcile's doctors whose last calendar change has not reached every object (few).
    index("doctors_calendar_undelivered")
      .on(t.id)
      .where(sql`calendar_pushed_version < calendar_version`),
    uniqueIndex("doctors_clinic_prefix")
      .on(t.clinicId, t.tokenPrefix)
      .where(sql`token_prefix IS NOT NULL`),
  ],
);

/** Weekly hours; a doctor with no rows works the default Mon-Sat 09:00-17:00. */
export const doctorHours = sqliteTable(
  "doctor_hours",
  {
    id: integer("id").primaryKey(),
    doctorId: integer("doctor_id")
      .notNull()
      .references(() => doctors.id),
    weekday: integer("weekday").notNull(),
    startMinute: integer("start_minute").notNull(),
    endMinute: integer("end_minute").notNull(),
    slotMinutes: integer("slot_minutes").notNull().default(15),
  },
  (t) => [uniqueIndex("doctor_hours_day").on(t.doctorId, t.weekday)],
);

export const doctorDaysOff = sqliteTable(
  "doctor_days_off",
  {
    id: integer("id").primaryKey(),
    doctorId: integer("doctor_id")
      .notNull()
      .references(() => doctors.id),
    localDate: text("local_date").notNull(),
    reason: text("reason"),
  },
  (t) => [
    uniqueIndex("doctor_days_off_day").on(t.doctorId, t.localDate),
    // The directory reads only days off still ahead.
    index("doctor_days_off_date").on(t.localDate),
  ],
);

export const patients = sqliteTable(
  "patients",
  {
    id: integer("id").primaryKey(),
    /** E.164, e.g. +919876543210: the same normalisation for calls and SMS. */
    phone: text("phone").notNull().unique(),
    name: text("name").notNull(),
    /** The language the caller chose on the phone line (kn, en, hi); null until they choose. */
    preferredLanguage: text("preferred_language"),
    /** When the patient pressed 9 on a reminder call "to stop these calls": none are placed to them after it. */
    reminderCallsOffAt: text("reminder_calls_off_at"),
    createdAt: createdAt(),
  },
  // The SMS sweep looks for recent patients without an account: by date, not by scanning all.
  (t) => [index("patients_created").on(t.createdAt)],
);

/** Login for the (future) patient portal: login = phone, password only as a PBKDF2 hash. */
export const patientAccounts = sqliteTable("patient_accounts", {
  id: integer("id").primaryKey(),
  patientId: integer("patient_id")
    .notNull()
    .unique()
    .references(() => patients.id),
  login: text("login").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  passwordSalt: text("password_salt").notNull(),
  passwordIterations: integer("password_iterations").notNull(),
  mustChangePassword: integer("must_change_password", { mode: "boolean" }).notNull().default(true),
  /** A temporary password sent by SMS on request, beside the password above until it is used (patients/account.ts). */
  tempPasswordHash: text("temp_password_hash"),
  tempPasswordSalt: text("temp_password_salt"),
  tempPasswordIterations: integer("temp_password_iterations"),
  tempIssuedAt: text("temp_issued_at"),
  createdAt: createdAt(),
});

export const APPOINTMENT_STATUSES = ["booked", "cancelled", "completed", "no_show"] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** walk_in: issued at the desk to a patient standing there; staff: booked by the clinic for someone else. */
export const APPOINTMENT_SOURCES = ["ivr", "sms", "staff", "walk_in"] as const;
export const VISIT_STEPS = ["arrived", "in_consultation"] as const;
export type VisitStep = (typeof VISIT_STEPS)[number];

export const appointments = sqliteTable(
  "appointments",
  {
    id: integer("id").primaryKey(),
    doctorId: integer("doctor_id")
      .notNull()
      .references(() => doctors.id),
    clinicId: integer("clinic_id")
      .notNull()
      .references(() => clinics.id),
    patientId: integer("patient_id")
      .notNull()
      .references(() => patients.id),
    localDate: text("local_date").notNull(),
    startsAt: text("starts_at").notNull(),
    endsAt: text("ends_at").notNull().default(""),
    token: text("token").notNull(),
    status: text("status", { enum: APPOINTMENT_STATUSES }).notNull().default("booked"),
    source: text("source", { enum: APPOINTMENT_SOURCES }).notNull(),
    callSid: text("call_sid"),
    createdAt: createdAt(),
    cancelledAt: text("cancelled_at"),
    /** A red-flag reason was given: the desk sorts these first. Set by the red-flag check, never cleared by AI. */
    urgent: integer("urgent", { mode: "boolean" }).notNull().default(false),
    /** Set on a cancelled appointment that was moved: the appointment that replaced it. */
    movedTo: integer("moved_to"),
    /** Where a booked patient is on the day: null until they arrive (the desk sets it). */
    visit: text("visit", { enum: VISIT_STEPS }),
    visitAt: text("visit_at"),
    /**
     * When the reminder cron next has something to send for it (an ISO instant); null until the
     * cron has first seen it, '' once nothing is left to send. The cron reads only the rows due
     * by now and the new ones, never the reminded ones again.
     */
    remindAt: text("remind_at"),
    /** The patient pressed 1 on the reminder call: they are coming (the desk shows confirmed/unconfirmed). */
    confirmedAt: text("confirmed_at"),
  },
  (t) => [
    // Second line of defence behind the doctor-day object: one live appointment per doctor
    // and start instant, whatever the hours were when each was booked. Cancelled rows are
    // excluded, so a cancelled time can be booked again.
    uniqueIndex("appointments_live_start")
      .on(t.doctorId, t.startsAt)
      .where(sql`status <> 'cancelled'`),
    uniqueIndex("appointments_live_token")
      .on(t.clinicId, t.localDate, t.token)
      .where(sql`status <> 'cancelled'`),
    // One phone may hold several appointments, never two at the same moment.
    uniqueIndex("appointments_patient_time")
      .on(t.patientId, t.startsAt)
      .where(sql`status = 'booked'`),
    // A call books at most once, so a retried confirm finds the appointment it made.
    uniqueIndex("appointments_call")
      .on(t.callSid)
      .where(sql`call_sid IS NOT NULL`),
    index("appointments_patient_start").on(t.patientId, t.startsAt),
    // The reminder cron: booked appointments whose next reminder is due, and the new ones (null).
    index("appointments_remind")
      .on(t.remindAt, t.startsAt)
      .where(sql`status = 'booked'`),
    index("appointments_clinic_day").on(t.clinicId, t.localDate),
    // The cron's reconcile: every appointment of some doctors over a range of days.
    index("appointments_doctor_day").on(t.doctorId, t.localDate),
    // The reconcile's doctor-days cancelled since its last run.
    index("appointments_cancelled")
      .on(t.cancelledAt)
      .where(sql`cancelled_at IS NOT NULL`),
  ],
);

/**
 * Where the reconcile is (one row): the doctor its rotating slice reached, the last appointment
 * id and cancel time it has looked at. Each run visits the next few doctors' whole horizons plus
 * the doctor-days changed since, so a run's work does not grow with the number of doctors.
 */
export const reconcileCursor = sqliteTable("reconcile_cursor", {
  id: integer("id").primaryKey(),
  doctorId: integer("doctor_id").notNull().default(0),
  appointmentId: integer("appointment_id").notNull().default(0),
  cancelledSince: text("cancelled_since").notNull().default(""),
});

/**
 * The doctor-days a call has held a time in (written with the call log after each offer), so
 * the call-status callback can release every hold of a call that ended. Rows are harmless
 * once the call is over: releasing a hold that is gone does nothing.
 */
export const callHolds = sqliteTable(
  "call_holds",
  {
    callSid: text("call_sid").notNull(),
    doctorId: integer("doctor_id").notNull(),
    localDate: text("local_date").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.callSid, t.doctorId, t.localDate] })],
);

export const REMINDER_KINDS = ["evening", "soon"] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * Every appointment reminder sent: one row per appointment and kind, ever. The cron inserts
 * the row and its outbox SMS in one batch, the SMS only if this run's row is the one that
 * landed (`runId`), so a late, repeated or concurrent run never sends one twice.
 */
export const reminders = sqliteTable(
  "reminders",
  {
    id: integer("id").primaryKey(),
    appointmentId: integer("appointment_id")
      .notNull()
      .references(() => appointments.id),
    kind: text("kind", { enum: REMINDER_KINDS }).notNull(),
    runId: text("run_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("reminders_appointment_kind").on(t.appointmentId, t.kind)],
);

/** Why the line calls: an appointment's reminder, or a freed time held for a waiting patient. */
export const CALL_PURPOSES = ["reminder", "waitlist"] as const;
export type CallPurpose = (typeof CALL_PURPOSES)[number];

export const CALL_STATUSES = [
  /** Waiting for `nextAttemptAt` (the first call, the retry an hour later, or the API's backoff). */
  "pending",
  /** Claimed by a placer until `nextAttemptAt`; the provider may or may not have the call yet. */
  "placing",
  /** The provider took the call (`providerCallId`); its status callback settles it (`nextAttemptAt`: a watchdog). */
  "ringing",
  /** Final: the patient answered (what they pressed is `outcome`). */
  "answered",
  /** Final: no answer, busy or a machine on every call; the purpose's fallback (the SMS reminder) was written. */
  "unanswered",
  /** Final: the provider refused the call, or it could not be placed in time; the fallback was written. */
  "failed",
  /** Final: nothing to call about any more (the appointment was cancelled, moved or has started). */
  "cancelled",
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/**
 * The call outbox: every outbound call the line places, one row per appointment and purpose
 * (a reminder) or per waitlist offer, ever. Like the SMS outbox, a placer claims a row before
 * asking the provider, so a crash or an outage neither loses a call nor places it twice;
 * `calls` counts calls placed (the reminder retries once), `apiAttempts` the provider's refusals.
 */
export const callOutbox = sqliteTable(
  "call_outbox",
  {
    id: integer("id").primaryKey(),
    /** What the call is about: an appointment (a reminder) or a waitlist offer; exactly one is set. */
    appointmentId: integer("appointment_id").references(() => appointments.id),
    waitlistOfferId: integer("waitlist_offer_id").references(() => waitlistOffers.id),
    purpose: text("purpose", { enum: CALL_PURPOSES }).notNull(),
    toNumber: text("to_number").notNull(),
    language: text("language").notNull(),
    status: text("status", { enum: CALL_STATUSES }).notNull().default("pending"),
    calls: integer("calls").notNull().default(0),
    apiAttempts: integer("api_attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at"),
    /** No call is placed after this instant (the end of calling hours that evening). */
    notAfter: text("not_after").notNull(),
    provider: text("provider"),
    providerCallId: text("provider_call_id"),
    answeredAt: text("answered_at"),
    /** What the answered call did: confirmed, cancel, move, reception, opted-out; an offer taken or passed. */
    outcome: text("outcome"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [
    uniqueIndex("call_outbox_appointment_purpose").on(t.appointmentId, t.purpose),
    // One call per waitlist offer, ever.
    uniqueIndex("call_outbox_waitlist_offer")
      .on(t.waitlistOfferId)
      .where(sql`waitlist_offer_id IS NOT NULL`),
    index("call_outbox_due")
      .on(t.status, t.nextAttemptAt)
      .where(sql`status IN ('pending', 'placing', 'ringing')`),
    // Exotel's answered call names only its CallSid (its flow URL is the dashboard's, not the line's).
    uniqueIndex("call_outbox_provider_call")
      .on(t.providerCallId)
      .where(sql`provider_call_id IS NOT NULL`),
    index("call_outbox_created").on(t.createdAt),
  ],
);

/** One row per call: what the caller did, step by step, and how it ended. */
export const callLog = sqliteTable(
  "call_log",
  {
    callSid: text("call_sid").primaryKey(),
    fromNumber: text("from_number"),
    toNumber: text("to_number"),
    /** JSON array of {step, digits, at}. */
    steps: text("steps").notNull().default("[]"),
    outcome: text("outcome"),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  // The retention job deletes by age.
  (t) => [index("call_log_created").on(t.createdAt)],
);

export const OUTBOX_STATUSES = [
  "pending",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "logged",
  /**
   * Never sent: the destination is not allowed (sms/policy.ts), the daily budget was spent, or
   * the row's template has no DLT template id (never sent as free text).
   */
  "blocked",
] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const SMS_PURPOSES = ["account", "booking", "cancellation", "reminder", "reply", "advice", "waitlist"] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

/**
 * Every outgoing SMS, written in the same batch as the change that causes it, then delivered
 * through the job queue. A body carrying a password is `sensitive` and is blanked once
 * delivery is final. `nextAttemptAt`: when a pending row is due again; while "sending", when
 * the sender's claim lapses (the sweep leaves it alone until then).
 */
export const smsOutbox = sqliteTable(
  "sms_outbox",
  {
    id: integer("id").primaryKey(),
    toNumber: text("to_number").notNull(),
    body: text("body").notNull(),
    // advice: "call 108 now", when a recorded reason turns out to carry a red flag after the call.
    purpose: text("purpose", { enum: SMS_PURPOSES }).notNull(),
    sensitive: integer("sensitive", { mode: "boolean" }).notNull().default(false),
    appointmentId: integer("appointment_id").references(() => appointments.id),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at"),
    lastError: text("last_error"),
    errorCode: integer("error_code"),
    messageSid: text("message_sid"),
    /** The public origin of the request that wrote the row: where Twilio reports delivery. */
    callbackBase: text("callback_base"),
    /** The SMS template (src/sms/templates) the body was rendered from, and its language: DLT sends need its id. */
    template: text("template"),
    language: text("language"),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [
    index("sms_outbox_due").on(t.status, t.nextAttemptAt),
    uniqueIndex("sms_outbox_sid").on(t.messageSid),
    index("sms_outbox_created").on(t.createdAt),
    // The foreign key's own lookup: inserting an appointment checks for outbox rows naming it.
    index("sms_outbox_appointment").on(t.appointmentId),
    // Retention blanks settled texts: only the rows that still carry words, by status and, within
    // one, by the time of their last update, so it reads just the texts it blanks. One index for
    // both (a text changes status and update time together: no more writes than one on status).
    index("sms_outbox_unblanked_since")
      .on(t.status, sql`coalesce(${t.updatedAt}, ${t.createdAt})`)
      .where(sql`body <> ''`),
  ],
);

/** Every SMS received, whatever it said: staff read the free text; MessageSid makes Twilio's retries harmless. */
export const smsInbound = sqliteTable(
  "sms_inbound",
  {
    id: integer("id").primaryKey(),
    messageSid: text("message_sid").notNull().unique(),
    fromNumber: text("from_number"),
    toNumber: text("to_number"),
    body: text("body").notNull(),
    /** cancel, status, help: what the line understood. */
    command: text("command").notNull(),
    reply: text("reply").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("sms_inbound_from").on(t.fromNumber, t.createdAt),
    index("sms_inbound_created").on(t.createdAt),
    // The desk's list of texts staff may need to read: by kind, not by walking every text.
    index("sms_inbound_command").on(t.command),
  ],
);

/** SMS handed to Twilio per UTC day, against SMS_DAILY_BUDGET; `alertedAt` once the budget is spent. */
export const smsDailyUsage = sqliteTable("sms_daily_usage", {
  day: text("day").primaryKey(),
  sent: integer("sent").notNull().default(0),
  alertedAt: text("alerted_at"),
});
export const REASON_METHODS = ["speech", "recording"] as const;
export const TRANSCRIPTION_STATUSES = ["none", "pending", "done", "failed", "unavailable"] as const;

/**
 * Why the patient is coming, in their words (health data: never logged). Said on the call
 * (Twilio's speech transcript) or recorded (the recording's SID only, never its URL, and a
 * transcript from Workers AI later). Red flags are JSON arrays of flag ids: `red_flags` from
 * the deterministic check, `ai_red_flags` only ever added by the model.
 */
export const visitReasons = sqliteTable(
  "visit_reasons",
  {
    appointmentId: integer("appointment_id")
      .primaryKey()
      .references(() => appointments.id),
    clinicId: integer("clinic_id")
      .notNull()
      .references(() => clinics.id),
    patientId: integer("patient_id")
      .notNull()
      .references(() => patients.id),
    language: text("language").notNull(),
    method: text("method", { enum: REASON_METHODS }).notNull(),
    transcript: text("transcript"),
    transcriptionStatus: text("transcription_status", { enum: TRANSCRIPTION_STATUSES }).notNull().default("none"),
    recordingSid: text("recording_sid"),
    recordingSeconds: integer("recording_seconds"),
    recordingDeletedAt: text("recording_deleted_at"),
    redFlags: text("red_flags").notNull().default("[]"),
    aiRedFlags: text("ai_red_flags").notNull().default("[]"),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [
    uniqueIndex("visit_reasons_recording")
      .on(t.recordingSid)
      .where(sql`recording_sid IS NOT NULL`),
    index("visit_reasons_created").on(t.createdAt),
    // Recording retention: recorded reasons by age, not every reason ever given.
    index("visit_reasons_recorded")
      .on(t.createdAt)
      .where(sql`recording_sid IS NOT NULL`),
  ],
);

/** Short notes per appointment; together they are the patient's history at that clinic. */
export const visitNotes = sqliteTable(
  "visit_notes",
  {
    id: integer("id").primaryKey(),
    appointmentId: integer("appointment_id")
      .notNull()
      .references(() => appointments.id),
    clinicId: integer("clinic_id")
      .notNull()
      .references(() => clinics.id),
    patientId: integer("patient_id")
      .notNull()
      .references(() => patients.id),
    authorRole: text("author_role", { enum: ["admin", "desk", "doctor"] }).notNull(),
    authorDoctorId: integer("author_doctor_id").references(() => doctors.id),
    body: text("body").notNull(),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [
    index("visit_notes_history").on(t.clinicId, t.patientId, t.createdAt),
    index("visit_notes_appointment").on(t.appointmentId),
    index("visit_notes_created").on(t.createdAt),
  ],
);

export const SUMMARY_METHODS = ["ai", "fallback"] as const;
export type SummaryMethod = (typeof SUMMARY_METHODS)[number];

/** The doctor's summary of one appointment (at most 5 lines), and what produced it. */
export const visitSummaries = sqliteTable(
  "visit_summaries",
  {
    appointmentId: integer("appointment_id")
      .primaryKey()
      .references(() => appointments.id),
    clinicId: integer("clinic_id")
      .notNull()
      .references(() => clinics.id),
    text: text("text").notNull(),
    method: text("method", { enum: SUMMARY_METHODS }).notNull(),
    model: text("model"),
    /** Why the fallback wrote it: no-binding, error, timeout, unusable. */
    fallbackCause: text("fallback_cause"),
    generatedAt: text("generated_at").notNull(),
  },
  (t) => [index("visit_summaries_generated").on(t.generatedAt)],
);

export const STAFF_ROLES = ["admin", "desk", "doctor"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** People who sign in to the desk: admin (every clinic), desk (its clinics), doctor (their own queue). */
export const staffUsers = sqliteTable(
  "staff_users",
  {
    id: integer("id").primaryKey(),
    username: text("username").notNull(),
    role: text("role", { enum: STAFF_ROLES }).notNull(),
    doctorId: integer("doctor_id").references(() => doctors.id),
    passwordHash: text("password_hash").notNull(),
    passwordSalt: text("password_salt").notNull(),
    passwordIterations: integer("password_iterations").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("staff_users_username").on(t.username)],
);

/** The clinics a desk user works for. */
export const staffClinics = sqliteTable(
  "staff_clinics",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => staffUsers.id),
    clinicId: integer("clinic_id")
      .notNull()
      .references(() => clinics.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clinicId] })],
);

/**
 * Signed-in browsers. The cookie holds a random secret; only its SHA-256 is stored here, so a
 * leaked table opens no session. Sign-out sets `revokedAt`.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["staff", "patient"] }).notNull(),
    subjectId: integer("subject_id").notNull(),
    csrfToken: text("csrf_token").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_subject").on(t.kind, t.subjectId)],
);

/** Failed sign-ins by account and by address: five within the window and sign-in waits. */
export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey(),
    key: text("key").notNull(),
    failedAt: text("failed_at").notNull(),
  },
  (t) => [index("login_failures_key").on(t.key, t.failedAt)],
);

/** The addresses each account signed in from: exempt from the account-wide count of failures (auth/throttle.ts). */
export const signInAddresses = sqliteTable("sign_in_addresses", {
  /** "staff:<login>|<address>" or "patient:<phone>|<address>". */
  key: text("key").primaryKey(),
  lastAt: text("last_at").notNull(),
});

/** Who changed what, when: one row for every change made from the desk or the patient page. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey(),
    at: text("at").notNull(),
    actor: text("actor").notNull(),
    clinicId: integer("clinic_id"),
    action: text("action").notNull(),
    detail: text("detail").notNull().default("{}"),
  },
  (t) => [index("audit_log_clinic").on(t.clinicId, t.at)],
);

export const WAITLIST_STATUSES = ["waiting", "booked", "removed"] as const;

/**
 * Patients waiting for a time that frees: one row per patient and what they wait for (a
 * doctor, any doctor of a speciality, or any doctor of the clinic) over a range of
 * clinic-local days. First come, first offered. At most one waiting row per patient and scope.
 */
export const waitlist = sqliteTable(
  "waitlist",
  {
    id: integer("id").primaryKey(),
    patientId: integer("patient_id")
      .notNull()
      .references(() => patients.id),
    clinicId: integer("clinic_id")
      .notNull()
      .references(() => clinics.id),
    /** 0: any doctor of the speciality (or, with speciality 0 too, any doctor of the clinic). */
    doctorId: integer("doctor_id").notNull().default(0),
    specializationId: integer("specialization_id").notNull().default(0),
    /** The clinic-local days a time may fall on, both included. */
    fromDate: text("from_date").notNull(),
    toDate: text("to_date").notNull(),
    /** The language the patient joined in: their offers are texted in it. */
    language: text("language").notNull(),
    status: text("status", { enum: WAITLIST_STATUSES }).notNull().default("waiting"),
    createdAt: createdAt(),
    endedAt: text("ended_at"),
  },
  (t) => [
    // One waiting entry per patient and scope: joining twice keeps the first place in line.
    uniqueIndex("waitlist_one_waiting")
      .on(t.patientId, t.clinicId, t.doctorId, t.specializationId)
      .where(sql`status = 'waiting'`),
    // A freed time's candidates: the clinic's waiting entries, first in line first.
    index("waitlist_clinic_waiting")
      .on(t.clinicId, t.createdAt)
      .where(sql`status = 'waiting'`),
  ],
);

export const WAITLIST_OUTCOMES = ["offered", "taken", "passed", "expired", "withdrawn"] as const;

/**
 * Every freed time offered to a waiting patient: held for them in its doctor-day object under
 * `holdId` until `expiresAtMs`. A live offer is one still `offered` and unexpired; a patient has
 * at most one, a time is in at most one (the object holds it for one hold id at a time, and the
 * insert checks both). An entry is never offered the same time twice.
 */
export const waitlistOffers = sqliteTable(
  "waitlist_offers",
  {
    id: integer("id").primaryKey(),
    entryId: integer("entry_id")
      .notNull()
      .references(() => waitlist.id),
    doctorId: integer("doctor_id").notNull(),
    localDate: text("local_date").notNull(),
    startMinute: integer("start_minute").notNull(),
    /** The hold's id in the doctor-day object, and the booking's call id when it is taken. */
    holdId: text("hold_id").notNull(),
    offeredAt: text("offered_at").notNull(),
    expiresAtMs: integer("expires_at_ms").notNull(),
    outcome: text("outcome", { enum: WAITLIST_OUTCOMES }).notNull().default("offered"),
  },
  (t) => [
    uniqueIndex("waitlist_offers_hold").on(t.holdId),
    uniqueIndex("waitlist_offers_entry_time").on(t.entryId, t.doctorId, t.localDate, t.startMinute),
    // The live offers (a patient's, a time's, the sweep's expired ones).
    index("waitlist_offers_live")
      .on(t.expiresAtMs)
      .where(sql`outcome = 'offered'`),
    index("waitlist_offers_time").on(t.doctorId, t.localDate, t.startMinute),
    // The desk's weekly count.
    index("waitlist_offers_at").on(t.offeredAt),
  ],
);
