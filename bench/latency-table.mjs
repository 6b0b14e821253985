/**
 * The README's latency section (its tables), written by the benchmark between its markers
 * from the run's scenarios, the bundle size and the targets, so the figures there are always
 * those of the last full run.
 */
const ms = (s) => `${s.p50} / ${s.p95} / ${s.p99}`;

export function renderLatency({ scenarios, bundle, targets, machine, date }) {
  const [first] = scenarios;
  const steps = Object.keys(first.steps);
  const head = [
    "step",
    "one caller at a time: p50 / p95 / p99 ms (p50 × floor)",
    ...scenarios.map((s) => `${s.callers} at once: p50 / p95 / p99 ms (p50 × floor)`),
  ];
  const rows = steps.map((step) => [
    step,
    `${ms(first.steps[step].sequential)} (${first.steps[step].sequential.p50VsBaseline}×)`,
    ...scenarios.map((s) => `${ms(s.steps[step].concurrent)} (${s.steps[step].concurrent.p50VsBaseline}×)`),
  ]);
  rows.push([
    "baseline (fixed TwiML)",
    ms(first.baseline.sequential),
    ...scenarios.map((s) => ms(s.baseline.concurrent)),
  ]);
  const table = (header, body) =>
    [
      `| ${header.join(" | ")} |`,
      `| ${header.map(() => "---").join(" | ")} |`,
      ...body.map((r) => `| ${r.join(" | ")} |`),
    ].join("\n");
  const v = (s) => s.verification;
  const checks = table(
    ["", ...scenarios.map((s) => `${s.callers} callers`)],
    [
      ["calls booked / double bookings", ...scenarios.map((s) => `${v(s).callsBooked} / ${v(s).doubleBookings}`)],
      [
        "every booked call has exactly one appointment and one booking SMS",
        ...scenarios.map((s) => String(v(s).everyBookedCallHasExactlyOneAppointmentAndOneBookingSms)),
      ],
      [
        "days the bookings spread over (2 doctors, 32 slots a day each)",
        ...scenarios.map((s) => String(v(s).daysUsed)),
      ],
      [
        "whole call, server time p50 / p99 (ms)",
        ...scenarios.map((s) => `${s.wholeCallServerMs.p50} / ${s.wholeCallServerMs.p99}`),
      ],
      ["completed bookings per second", ...scenarios.map((s) => String(s.bookingsPerSecond))],
      [
        "SMS backlog drained (s after the last call)",
        ...scenarios.map((s) => String(v(s).smsDrainSecondsAfterLastCall)),
      ],
    ],
  );
  const verdict = (met) => (met ? "**met**" : "**missed**");
  const menu = ["welcome", "clinic menu"].map((step) => `${first.steps[step].concurrent.p50VsBaseline}×`).join(", ");
  return [
    `Latest figures (${date}; ${machine}):`,
    "",
    table(head, rows),
    "",
    checks,
    "",
    `Deployable bundle (\`wrangler deploy --dry-run\`, minified as deployed): ${bundle.rawKiB} KiB, **${bundle.gzipKiB} KiB gzipped**. The \`twilio\` package, a test-only oracle, is not in it.`,
    "",
    `Targets: zero double bookings at ${scenarios.map((s) => s.callers).join(" and ")} callers: ${verdict(targets.zeroDoubleBookings)}. ` +
      `Gzipped bundle <= 150 KiB: ${verdict(targets.gzippedBundleWithin150KiB)}. ` +
      `Median menu step <= 3× the floor with ${first.callers} at once (${menu}): ${verdict(targets.medianMenuStepWithin3xBaseline)}. ` +
      `p99 under 50 ms one caller at a time: ${verdict(targets.p99OfEveryStepUnder50msOneCallerAtATime)}; with ${first.callers} at once: ${verdict(targets.p99OfEveryStepUnder50msConcurrent)}.`,
  ].join("\n");
}
