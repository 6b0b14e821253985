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
import { deleteHealthBefore, forgetRecording, recordingsBefore } from "../stores/health.ts";
import { canReachRecording, deleteReasonAudio } from "./recordings.ts";

export interface RetentionResult {
  recordings: number;
  notes: number;
  reasons: number;
  summaries: number;
}

const DAY_MS = 86_400_000;

export async function purgeExpiredHealthData(db: Db, config: Config, now: Date, batch = 100): Promise<RetentionResult> {
  const recordingCutoff = new Date(now.getTime() - config.retention.recordingsDays * DAY_MS).toISOString();
  const notesCutoff = new Date(now.getTime() - config.retention.notesDays * DAY_MS).toISOString();

  let recordings = 0;
  const expired = await recordingsBefore(db, recordingCutoff, batch);
  const unreachable = expired.filter((row) => !canReachRecording(config, row.recordingSid));
  if (unreachable.length > 0) {
    log.warn("recordings past retention, but no provider credentials to delete them with", {
      count: unreachable.length,
    });
  }
  for (const row of expired.filter((r) => canReachRecording(config, r.recordingSid))) {
    const gone = await deleteReasonAudio(config, row.recordingSid);
    if (!gone) continue; // tried again next minute
    await forgetRecording(db, row.appointmentId, now.toISOString());
    recordings++;
  }

  return { recordings, ...(await deleteHealthBefore(db, notesCutoff, batch)) };
}
