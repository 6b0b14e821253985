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
    "isolate totals: every request, binding call and D1 row, the after-answer work and the job queue's consumer included;",
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
  return { grown: table, "booking-cost": costTable, capacity: renderCapacity(grown, machine, date) };
}

/**
 * The demand model (README "One database's capacity"). Facility counts: Karnataka Health and
 * Family Welfare Services, as reported by Frontline ("8,143 sub-centres ... 1,679 Primary Health
 * Centres ... 110 Community Health Centres"); the outpatient visits a day and the shares are
 * assumptions, stated as such in the README.
 */
export const DEMAND = {
  karnatakaFacilities: 1679 + 110 + 581,
  visitsPerFacilityPerDay: 120,
  phoneShare: 0.2,
  rushShare: 0.4,
  rushSeconds: 2 * 3600,
  peakOverRush: 3,
  indiaOverKarnataka: 21,
};

export function demandModel(d = DEMAND) {
  const visits = d.karnatakaFacilities * d.visitsPerFacilityPerDay;
  const rush = (visits * d.phoneShare * d.rushShare) / d.rushSeconds;
  return {
    visits,
    karnatakaRush: round(rush),
    karnatakaPeak: round(rush * d.peakOverRush),
    indiaRush: round(rush * d.indiaOverKarnataka),
    indiaPeak: round(rush * d.peakOverRush * d.indiaOverKarnataka),
  };
}

export function renderCapacity(grown, machine, date) {
  const rows = grown.capacity ?? [];
  const best = Math.max(...rows.map((r) => r.perSecond));
  const { booked, counts } = grown.grown.bookings;
  const d1PerBooking = round(counts.d1 / booked);
  const wholeBookings = round((best * 2) / d1PerBooking); // a batch here is two D1 calls (batch + call log)
  const m = demandModel();
  const d = DEMAND;
  const verdict = (need) =>
    `${need}/s: ${best >= need ? `${round(best / need)}x headroom` : `**${round(need / best)}x over**`}`;
  return [
    `Capacity of one local D1 database (${date}; ${machine}): a Worker doing only a booking's D1 writes (the booking`,
    "batch of `src/booking/book.ts` and the call-log row) against the grown database, at rising concurrency, 4 s a level.",
    "",
    "| callers at once | booking batches / s | p50 ms | p99 ms | D1 time p50 ms |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.concurrency} | ${r.perSecond} | ${r.p50} | ${r.p99} | ${r.d1P50} |`),
    "",
    `Best: ${best} booking batches/s. A whole booking makes ${d1PerBooking} D1 calls (the run above, reads included), so one`,
    `database serialises about ${wholeBookings} whole bookings/s if every call cost what a write costs (reads cost less).`,
    "",
    "| demand (bookings/s) | Karnataka | India |",
    "| --- | --- | --- |",
    `| 8-10 AM average | ${verdict(m.karnatakaRush)} | ${verdict(m.indiaRush)} |`,
    `| peak minute (${d.peakOverRush}x the rush average) | ${verdict(m.karnatakaPeak)} | ${verdict(m.indiaPeak)} |`,
    "",
    `Model: ${d.karnatakaFacilities} public facilities x ${d.visitsPerFacilityPerDay} outpatient visits a day = ${m.visits} visits;`,
    `${d.phoneShare * 100}% booked by phone; ${d.rushShare * 100}% of those between 8 and 10 AM; India = ${d.indiaOverKarnataka}x Karnataka.`,
    "Headroom is against the booking batches/s measured here (the writes, which one database serialises).",
  ].join("\n");
}
