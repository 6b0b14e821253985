import { readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig, type ViteUserConfig } from "vitest/config";

// CI asks for a JSON report beside the usual output, to print one plain summary line.
const reportDir = process.env.VITEST_REPORT_DIR;
const reporters: NonNullable<NonNullable<ViteUserConfig["test"]>["reporters"]> = reportDir
  ? ["default", ["json", { outputFile: `${reportDir}/worker.json` }]]
  : ["default"];

export default defineConfig(async () => {
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
          },
        },
      }),
    ],
    test: {
      reporters,
      setupFiles: ["./test/setup.ts"],
      // The property and rush tests take a few seconds alone; on a shared 2-core machine under
      // load they can take several times that, which is no failure of what they check.
      testTimeout: 30_000,
      include: ["test/**/*.test.ts"],
    },
  };
});
