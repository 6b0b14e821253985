import { defineConfig } from "vitest/config";

// The local developer tools (npm start, npm run call, npm run sms) run in Node against a real
// `wrangler dev`; they are tested here, outside workerd.
export default defineConfig({
  test: {
    include: ["test-tools/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
