/**
 * The README's grown-database and cost-of-a-booking sections, written by the benchmark from
 * bench/grown.mjs's results.
 */

/**
 * Cloudflare Workers Paid rates (USD), read 2026-12-07 from developers.cloudflare.com:
 * workers/platform/pricing, d1/platform/pricing, durable-objects/platform/pricing,
 * queues/platform/pricing. Beyond each plan's monthly allowance; the allowance is left out so
 * a booking's marginal cost is shown.
 */
export const CLOUDFLARE_RATES = {
  date: "2026-12-07",
  workerRequestPerMillion: 0.3,
  workerCpuMsPerMillion: 0.02,
  d1RowsReadPerMillion: 0.001,
  d1RowsWrittenPerMillion: 1.0,
  objectRequestPerMillion: 0.15,
  objectGbSecondPerMillion: 12.5,
  queueOperationPerMillion: 0.4,
};

/**
 * Telephony for scale, where a rate is published: Twilio's inbound local voice minute
 * (support.twilio.com "How Volume Pricing works at Twilio", US figure; Twilio publishes India
 * rates only on its price list, which we could not read) and Exotel's 60-second pulse
 * (developer.exotel.com "Pricing Model": billing in 60 s pulses; its INR 0.50 a pulse is the
 * page's worked example, not a list price).
 */
export const TELEPHONY = {
  twilioInboundMinuteUsd: 0.0085,
  exotelPulseInr: 0.5,
  inrPerUsd: 84,
  callMinutes: 2,
};

const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (a, b) => (a && b ? round(b / a) : null);

/** Per booking: the counts of a run of `booked` whole calls and their SMS delivery, priced. */
export function bookingCost(grown, label = "demo") {
  const { booked, counts } = grown[label].bookings;
  const callMs = ["welcome", "clinic menu", "next available -> offer", "confirm"]
    .map((step) => grown[label].steps[step]?.p50 ?? 0)
    .reduce((a, b) => a + b, 0);
  const per = (n) => n / booked;
  const r = CLOUDFLARE_RATES;
  // A queue message is written, read and deleted: three operations (each under 64 KB).
  const queueOps = per(counts.queue) * 3;
  // An object call keeps the object active for its wall time: taken as 10 ms at 128 MB.
  const objectGbSeconds = per(counts.durableObject) * 0.01 * 0.125;
  const lines = [
    [
      "Worker requests (4 webhooks, plus queue batches)",
      per(counts.requests + counts.queueBatches),
      r.workerRequestPerMillion,
    ],
    ["Worker CPU ms (upper bound: the call's local server time)", callMs, r.workerCpuMsPerMillion],
    ["D1 rows read", per(counts.rowsRead), r.d1RowsReadPerMillion],
    ["D1 rows written (indexes included)", per(counts.rowsWritten), r.d1RowsWrittenPerMillion],
    ["Durable Object requests", per(counts.durableObject), r.objectRequestPerMillion],
    ["Durable Object GB-s (10 ms at 128 MB a call)", objectGbSeconds, r.objectGbSecondPerMillion],
    ["Queue operations (write, read, delete)", queueOps, r.queueOperationPerMillion],
  ].map(([what, perBooking, rate]) => ({ what, perBooking, usdPer1000: (perBooking * 1000 * rate) / 1e6 }));
  const total = lines.reduce((a, l) => a + l.usdPer1000, 0);
  return { booked, lines, totalUsdPer1000: total };
}

function stepRows(grown) {
  const { demo, grown: big } = grown;
  return Object.keys(demo.steps).map((step) => {
    const a = demo.steps[step];
    const b = big.steps[step] ?? {};
    const x = ratio(a.p50, b.p50);
    return `| ${step} | ${a.p50} | ${b.p50 ?? "—"} | ${x ?? "—"}${x !== null && x > 1.2 ? " ⚠" : ""} | ${a.rowsRead} / ${b.rowsRead ?? "—"} | ${a.rowsWritten} / ${b.rowsWritten ?? "—"} |`;
  });
}

function cronRow(name, runs) {
  return runs
    .map(
      (run, i) =>
        `| ${name} cron run ${i + 1} | ${run.finished ? run.ms : `> ${run.ms} (stopped)`} | ${run.rowsRead} | ${run.rowsWritten} | ${run.objectCalls} |`,
    )
    .join("\n");
}

export function renderGrown(grown, machine, date) {
  const { growth, demo, grown: big } = grown;
  const c = growth.counts;
  const worst = Object.keys(demo.steps)
    .map((step) => [step, ratio(demo.steps[step].p50, big.steps[step]?.p50)])
    .filter(([, x]) => x !== null)
    .sort((a, b) => b[1] - a[1]);
  const over = worst.filter(([, x]) => x > 1.2);
  const coldDemo = grown.demoColdStart;
  const coldBig = grown.grownColdStart;
  const warm = (g) => g.steps.welcome?.p50 ?? 0;
  const table = [
    `Grown database (${date}; ${machine}; a machine shared with other work, so single timings are noisy: the ratio of`,
    `the two databases measured in the same run is the figure). Generated in ${growth.seconds} s (seeded): ${c.clinics} clinics,`,
    `${c.doctors} doctors (${c.doctor_hours} weekly hours, ${c.doctor_days_off} days of leave), ${c.patients} patients,`,
    `${c.appointments} appointments, ${c.sms_outbox} outbox rows, ${c.call_log} call-log rows, ${c.sms_inbound} texts received,`,
    `${c.visit_reasons} visit reasons and ${c.visit_notes} notes. Each step's p50 in ms over the same requests on both`,
    "databases (calls on clinic 1, desk pages as an admin, the patient page as a patient with one booking), and the D1",
    "rows the step read and wrote (median; the probe's count from D1's result metadata, up to the answer).",
    "",
    "| step | demo p50 ms | grown p50 ms | grown / demo | rows read demo / grown | rows written demo / grown |",
    "| --- | --- | --- | --- | --- | --- |",
    ...stepRows(grown),
    `| welcome with the directory read (cold isolate) | ${coldDemo.p50} | ${coldBig.p50} | ${ratio(coldDemo.p50, coldBig.p50)} | ${coldDemo.rowsRead} / ${coldBig.rowsRead} | 0 / 0 |`,
    "",
    `Directory cold start (the welcome with the directory read, less the cached welcome): demo ${round(coldDemo.p50 - warm(demo))} ms,`,
    `grown ${round(coldBig.p50 - warm(big))} ms (target < 50 ms), reading ${coldBig.rowsRead} rows.`,
    "",
    "| cron | time ms | rows read | rows written | object calls |",
    "| --- | --- | --- | --- | --- |",
    cronRow("demo", demo.cron),
    cronRow("grown", big.cron),
    "",
    over.length
      ? `Steps over 1.2x: ${over.map(([s, x]) => `${s} (${x}x)`).join(", ")}.`
      : `Every step within 1.2x of the demo data's p50 (worst: ${worst[0]?.[0]}, ${worst[0]?.[1]}x).`,
  ].join("\n");

  const cost = bookingCost(grown, "demo");
  const costBig = bookingCost(grown, "grown");
  const t = TELEPHONY;
  const twilio = t.twilioInboundMinuteUsd * t.callMinutes * 1000;
  const exotel = ((t.exotelPulseInr * t.callMinutes) / t.inrPerUsd) * 1000;
  const costTable = [
    `Cost of a booking (${date}), counted over ${cost.booked} whole calls of the run above (demo data) with the probe's`,
    "isolate totals: every request, binding call and D1 row, the after-answer work and the SMS queue consumer included;",
    `priced at Cloudflare's Workers Paid rates read ${CLOUDFLARE_RATES.date} (bench/grown-table.mjs, beyond the monthly allowances).`,
    "",
    "| item | per booking | USD per 1,000 bookings |",
    "| --- | --- | --- |",
    ...cost.lines.map((l) => `| ${l.what} | ${round(l.perBooking)} | ${round(l.usdPer1000, 5)} |`),
    `| **infrastructure, demo data** | | **${round(cost.totalUsdPer1000, 4)}** |`,
    `| infrastructure, grown database (same calls) | | ${round(costBig.totalUsdPer1000, 4)} |`,
    `| for scale: Twilio inbound voice, ${t.callMinutes} min a call at $${t.twilioInboundMinuteUsd}/min | | ${round(twilio, 2)} |`,
    `| for scale: Exotel, ${t.callMinutes} pulses of 60 s at INR ${t.exotelPulseInr} (example rate), INR ${t.inrPerUsd}/USD | | ${round(exotel, 2)} |`,
    "",
    `Target: infrastructure under 0.05 USD per 1,000 bookings: ${cost.totalUsdPer1000 < 0.05 ? "**met**" : "**missed**"}.`,
  ].join("\n");
  return { grown: table, "booking-cost": costTable };
}
