import { defineConfig } from "vitest/config";
import { simulatedDates } from "./test-tools/support/simulated-dates.ts";
import { reporters, workerProject } from "./vitest.config.ts";

/**
 * The date-sensitive suites again, with the Worker's clock moved to awkward instants relative to
 * the real date (see test-tools/support/simulated-dates.ts), so that no test and no code path
 * depends on the day the suite happens to run. D1 keeps the real clock, as production's D1 is
 * another machine's.
 */
const DATE_SENSITIVE = [
  "test/one-clock.test.ts",
  "test/call-flow.test.ts",
  "test/returning-caller.test.ts",
  "test/move.test.ts",
  "test/day-choice.test.ts",
  "test/slot-truth.test.ts",
  "test/slot-edges.test.ts",
  "test/visit-walk-in.test.ts",
  "test/desk-schedule.test.ts",
  "test/desk-queue.test.ts",
  "test/me.test.ts",
  "test/account.test.ts",
  "test/sms-outbox.test.ts",
  "test/sms-inbound.test.ts",
  "test/reminders.test.ts",
  "test/retention.test.ts",
];

export default defineConfig(async () => {
  const projects = await Promise.all(
    simulatedDates(new Date()).map(async ({ name, iso }) => {
      const project = await workerProject({ TEST_SIMULATED_NOW: iso });
      return { ...project, test: { ...project.test, name: `${name} ${iso}`, include: DATE_SENSITIVE } };
    }),
  );
  return { test: { projects, maxWorkers: 2, reporters: reporters("dates.json") } };
});
