/**
 * Runs before every test file: schema and demo data in D1 (both idempotent), and outbound
 * HTTP mocked so no test can reach the network. A request no handler matches is recorded
 * and fails the test that made it, even when the code under test swallowed the error.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { loadDemoSeed } from "./support/seed.ts";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await loadDemoSeed();

export const mockServer = setupServer();
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
afterAll(() => mockServer.close());
