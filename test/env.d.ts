declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_DEMO_SEED: string;
    /** Set by vitest.dates.config.ts: the instant the suite runs at (the Worker's clock only). */
    TEST_SIMULATED_NOW?: string;
  }
}

// Vite's ?raw imports: a file's text (test/catalogues.test.ts reads the twilio package's TwiML types).
declare module "*?raw" {
  const text: string;
  export default text;
}
