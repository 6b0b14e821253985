import { env } from "cloudflare:workers";

/** Loads seed/demo.sql (INSERT OR IGNORE throughout, so loading twice changes nothing). */
export async function loadDemoSeed(): Promise<void> {
  const statements = env.TEST_DEMO_SEED.split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
    .filter(Boolean);
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
}
