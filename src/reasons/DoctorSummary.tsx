/**
 * The summary in a doctor's queue row: the urgent mark first (with its red flags), then at
 * most five lines, then which method made it and when. hono/jsx escapes every text, so a
 * summary quoting "<script>" shows it as text. Says plainly when the keyword fallback wrote
 * it (always so without Workers AI), so nobody mistakes it for a model's reading.
 */
import type { FC } from "hono/jsx";
import { MAX_LINES } from "./fallback.ts";
import { RED_FLAG_LABELS } from "./red-flags.ts";
import type { SummaryView, UrgencyView } from "./read.ts";

const FALLBACK_WHY: Record<string, string> = {
  "no-binding": "AI summaries are not set up here",
  timeout: "the AI summariser was too slow",
  error: "the AI summariser failed",
  unusable: "the AI answer was unusable",
};

export const DoctorSummary: FC<{ summary: SummaryView | null; urgency: UrgencyView; timeZone?: string }> = ({
  summary,
  urgency,
  timeZone = "Asia/Kolkata",
}) => {
  const made = summary
    ? new Date(summary.generatedAt).toLocaleString("en-IN", { timeZone, dateStyle: "medium", timeStyle: "short" })
    : "";
  return (
    <section class={urgency.urgent ? "doctor-summary urgent" : "doctor-summary"} aria-label="Summary for the doctor">
      {urgency.urgent ? (
        <p class="red-flag" role="alert">
          <strong>Urgent</strong>
          {urgency.flags.length ? `: ${urgency.flags.map((f) => RED_FLAG_LABELS[f]).join(", ")}` : ""}
        </p>
      ) : null}
      {summary ? (
        <>
          <ul class="summary-lines">
            {summary.text
              .split("\n")
              .slice(0, MAX_LINES)
              .map((line) => (
                <li>{line}</li>
              ))}
          </ul>
          <p class="summary-method">
            {summary.method === "ai"
              ? `AI summary (${summary.model ?? "Workers AI"}), ${made}`
              : `Keyword summary (${FALLBACK_WHY[summary.fallbackCause ?? ""] ?? "no AI"}), ${made}`}
          </p>
        </>
      ) : (
        <p class="summary-missing">No summary yet.</p>
      )}
    </section>
  );
};
