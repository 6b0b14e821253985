/**
 * Retention of health data, run by the cron in bounded batches (each run does at most
 * `batch` of each kind, so a backlog drains over a few minutes without a long invocation):
 *   recordings  RECORDINGS_RETENTION_DAYS (90): deleted at Twilio or Plivo, then the reference
 *               is forgotten; without that provider's credentials it is kept (and a warning
 *               logged) so the recording is never orphaned there
 *   notes, reasons and summaries  NOTES_RETENTION_DAYS (730)
 * The appointment itself (time, token, urgent mark) stays: it is booking data, not health data.
 */
import { log } from "../log.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { canReachRecording, deleteReasonAudio } from "./recordings.ts";

export interface RetentionResult {
  recordings: number;
  notes: number;
  reasons: number;
  summaries: number;
}

const DAY_MS = 86_400_000;

export async function purgeExpiredHealthData(db: Db, config: Config, now: Date, batch = 100): Promise<RetentionResult> {
  const d1 = db.$client;
  const recordingCutoff = new Date(now.getTime() - config.retention.recordingsDays * DAY_MS).toISOString();
  const notesCutoff = new Date(now.getTime() - config.retention.notesDays * DAY_MS).toISOString();

  let recordings = 0;
  const { results: expired } = await d1
    .prepare(
      `SELECT appointment_id, recording_sid FROM visit_reasons
        WHERE recording_sid IS NOT NULL AND created_at < ? ORDER BY created_at LIMIT ?`,
    )
    .bind(recordingCutoff, batch)
    .all<{ appointment_id: number; recording_sid: string }>();
  const unreachable = expired.filter((row) => !canReachRecording(config, row.recording_sid));
  if (unreachable.length > 0) {
    log.warn("recordings past retention, but no provider credentials to delete them with", {
      count: unreachable.length,
    });
  }
  for (const row of expired.filter((r) => canReachRecording(config, r.recording_sid))) {
    const gone = await deleteReasonAudio(config, row.recording_sid);
    if (!gone) continue; // tried again next minute
    await d1
      .prepare("UPDATE visit_reasons SET recording_sid = NULL, recording_deleted_at = ?2 WHERE appointment_id = ?1")
      .bind(row.appointment_id, now.toISOString())
      .run();
    recordings++;
  }

  const [notes, reasons, summaries] = await d1.batch([
    d1
      .prepare(
        "DELETE FROM visit_notes WHERE id IN (SELECT id FROM visit_notes WHERE created_at < ?1 ORDER BY created_at LIMIT ?2)",
      )
      .bind(notesCutoff, batch),
    // A reason whose recording is still at Twilio waits for the recording's deletion first.
    d1
      .prepare(
        `DELETE FROM visit_reasons WHERE appointment_id IN (
           SELECT appointment_id FROM visit_reasons WHERE created_at < ?1 AND recording_sid IS NULL ORDER BY created_at LIMIT ?2)`,
      )
      .bind(notesCutoff, batch),
    d1
      .prepare(
        `DELETE FROM visit_summaries WHERE appointment_id IN (
           SELECT appointment_id FROM visit_summaries WHERE generated_at < ?1 ORDER BY generated_at LIMIT ?2)`,
      )
      .bind(notesCutoff, batch),
  ]);
  return {
    recordings,
    notes: notes!.meta.changes,
    reasons: reasons!.meta.changes,
    summaries: summaries!.meta.changes,
  };
}
