/**
 * Runs before every test file: schema and demo data in D1 (both idempotent), and outbound
 * HTTP mocked so no test can reach the network. A request no handler matches is recorded
 * and fails the test that made it, even when the code under test swallowed the error.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterEach, beforeAll, beforeEach, expect } from "vitest";
import { loadDemoSeed } from "./support/seed.ts";
import { keepSimulatedClock, simulateNow } from "./support/simulated-clock.ts";

// vitest.dates.config.ts runs the date-sensitive suites at other dates; the demo data is loaded on that clock.
if (env.TEST_SIMULATED_NOW) simulateNow(env.TEST_SIMULATED_NOW);
beforeEach(keepSimulatedClock);

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await loadDemoSeed();

/**
 * The job queue delivers in the background, sometimes after the test that booked has ended.
 * A default fake Twilio (which resetHandlers keeps) answers those sends; tests that care
 * about SMS install their own handler with fakeTwilioSms().
 */
const defaultTwilio = http.post(`https://twilio.test/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Messages.json`, () =>
  HttpResponse.json({ sid: `SM${crypto.randomUUID().replaceAll("-", "")}`, status: "queued" }, { status: 201 }),
);
export const mockServer = setupServer(defaultTwilio);
const unhandled: string[] = [];

beforeAll(() =>
  mockServer.listen({
    onUnhandledRequest(request) {
      unhandled.push(`${request.method} ${request.url}`);
      throw new Error(`unmocked outbound request: ${request.method} ${request.url}`);
    },
  }),
);
afterEach(() => {
  mockServer.resetHandlers();
  const seen = unhandled.splice(0);
  expect(seen, "outbound requests no mock handled").toEqual([]);
});
// No close() after the file: background deliveries must still meet the fake, never the network.
