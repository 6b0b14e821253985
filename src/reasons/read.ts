/**
 * What the desk shows of an appointment's health data (the shapes desk/health.ts reads a whole
 * queue into), and its recording, access-checked and streamed through the Worker with the
 * account's credentials: the browser never sees a Twilio URL or a credential. Null when the
 * viewer may not hear it or it does not exist; nothing here is logged.
 */
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { recordingSidOf } from "../stores/health.ts";
import { fetchReasonAudio } from "./recordings.ts";
import { appointmentScope, mayReadHealth, type Viewer } from "./access.ts";
import type { RedFlag } from "./red-flags.ts";

export interface ReasonView {
  method: "speech" | "recording";
  language: string;
  transcript: string | null;
  transcriptionStatus: "none" | "pending" | "done" | "failed" | "unavailable";
  hasRecording: boolean;
  flags: RedFlag[];
}

export interface UrgencyView {
  urgent: boolean;
  flags: RedFlag[];
}

export interface SummaryView extends UrgencyView {
  text: string;
  method: "ai" | "fallback";
  model: string | null;
  fallbackCause: string | null;
  generatedAt: string;
}

/**
 * The recorded reason as an audio response for a doctor's player, fetched from Twilio with
 * the account's credentials. Null when not allowed, not recorded, deleted, or Twilio fails.
 */
export async function recordingResponse(
  db: Db,
  config: Config,
  viewer: Viewer,
  appointmentId: number,
): Promise<Response | null> {
  const scope = await appointmentScope(db, appointmentId);
  if (!scope || !mayReadHealth(viewer, scope)) return null;
  const sid = await recordingSidOf(db, appointmentId);
  if (!sid) return null;
  const fetched = await fetchReasonAudio(config, sid);
  if (!fetched.ok) return null;
  return new Response(fetched.audio.body, {
    headers: {
      "Content-Type": fetched.audio.headers.get("content-type") ?? "audio/mpeg",
      // Health data: no shared cache may keep it, and the browser should not either.
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
