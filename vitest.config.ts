import { readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig, type ViteUserConfig } from "vitest/config";

type Reporters = NonNullable<NonNullable<ViteUserConfig["test"]>["reporters"]>;

/** CI asks for a JSON report beside the usual output, to print one plain summary line. */
export function reporters(file: string): Reporters {
  const reportDir = process.env.VITEST_REPORT_DIR;
  return reportDir ? ["default", ["json", { outputFile: `${reportDir}/${file}` }]] : ["default"];
}

/** The workerd test project: real D1, Durable Objects and Queues, with test bindings on top. */
export async function workerProject(extraBindings: Record<string, string> = {}): Promise<ViteUserConfig> {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const demoSeed = readFileSync(path.join(import.meta.dirname, "seed/demo.sql"), "utf8");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            TEST_DEMO_SEED: demoSeed,
            TWILIO_AUTH_TOKEN: "test-auth-token",
            TWILIO_ACCOUNT_SID: "ACtest00000000000000000000000000",
            TWILIO_PHONE_NUMBER: "+15005550006",
            TWILIO_API_BASE_URL: "https://twilio.test",
            // The Indian providers, so one call-flow suite runs on all three (test/providers.test.ts).
            PLIVO_AUTH_TOKEN: "test-plivo-auth-token",
            EXOTEL_URL_SECRET: "test-exotel-url-secret",
            EXOTEL_NUMBERS: "+918047100000",
            // Empty: as LANGUAGES, whatever a developer's .dev.vars (npm start adds PLIVO_LANGUAGES) says.
            PLIVO_LANGUAGES: "",
            EXOTEL_LANGUAGES: "",
            // A developer's .dev.vars (npm start writes SMS_MODE=log) must not change what tests see.
            SMS_MODE: "twilio",
            // Tests change the directory with plain SQL between calls: read it on every request.
            // The round-trip tests turn the cache on to show what it saves.
            DIRECTORY_CACHE_SECONDS: "0",
            // Most suites exercise one language, so calls start without the language menu;
            // test/languages.test.ts runs the line with kn,en,hi as wrangler.toml does.
            LANGUAGES: "en",
            ...extraBindings,
          },
        },
      }),
    ],
    test: {
      // The CI and dev machines are small (2 cores) and busy: whole-call and property tests
      // inside workerd can take well over vitest's 5 s default there.
      testTimeout: 30_000,
      // Vitest's default on two cores is one file at a time, yet a file spends much of its time
      // waiting (starting workerd, D1 and the queue), so two at once halve the suite's wall time
      // there (measured: 298 s -> 160 s for test/). Never more: each file starts its own workerd.
      maxWorkers: 2,
      setupFiles: ["./test/setup.ts"],
      include: ["test/**/*.test.ts"],
    },
  };
}

export default defineConfig(async () => {
  const project = await workerProject();
  return { ...project, test: { ...project.test, reporters: reporters("worker.json") } };
});
