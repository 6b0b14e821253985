import { defineConfig, type ViteUserConfig } from "vitest/config";

// CI asks for a JSON report beside the usual output, to print one plain summary line.
const reportDir = process.env.VITEST_REPORT_DIR;
const reporters: NonNullable<NonNullable<ViteUserConfig["test"]>["reporters"]> = reportDir
  ? ["default", ["json", { outputFile: `${reportDir}/tools.json` }]]
  : ["default"];

// The local developer tools (npm start, npm run call, npm run sms) run in Node against a real
// `wrangler dev`; they are tested here, outside workerd.
export default defineConfig({
  test: {
    reporters,
    include: ["test-tools/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    // Each file runs its own wrangler dev (and one a browser): one at a time on a two-core machine,
    // so a queue delivery or a page load is not starved by another file's server.
    fileParallelism: false,
    hookTimeout: 120_000,
  },
});
