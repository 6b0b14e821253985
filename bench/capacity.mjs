/**
 * The benchmark's capacity part: how many booking batches one local D1 database (SQLite, one
 * writer) takes per second, and its latency as it saturates. A Worker that does nothing but a
 * booking's D1 writes (bench/capacity-worker.mjs) is driven at rising concurrency against the
 * grown database; each level runs for a fixed time.
 */
import { unstable_dev } from "wrangler";

const round = (x) => Math.round(x * 100) / 100;
const pct = (sorted, p) => round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);

export async function measureCapacity(persistTo, { levels = [1, 4, 16, 64], seconds = 4 } = {}) {
  const worker = await unstable_dev("bench/capacity-worker.mjs", {
    config: "bench/capacity.wrangler.toml",
    persistTo,
    ip: "127.0.0.1",
    logLevel: "warn",
    experimental: { disableExperimentalWarning: true },
  });
  const url = `http://${worker.address}:${worker.port}/book`;
  let next = 0;
  const book = async () => {
    const started = performance.now();
    const response = await fetch(`${url}?i=${next++}`, { method: "POST" });
    const d1 = Number(await response.text());
    if (!response.ok) throw new Error(`capacity probe: ${response.status}`);
    return { ms: performance.now() - started, d1 };
  };
  try {
    for (let i = 0; i < 50; i++) await book(); // warm-up
    const rows = [];
    for (const concurrency of levels) {
      const samples = [];
      const until = performance.now() + seconds * 1000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < until) samples.push(await book());
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
      const d1 = samples.map((s) => s.d1).sort((a, b) => a - b);
      rows.push({
        concurrency,
        batches: samples.length,
        perSecond: round(samples.length / elapsed),
        p50: pct(ms, 50),
        p99: pct(ms, 99),
        d1P50: pct(d1, 50),
      });
      console.log(
        `capacity: ${concurrency} at once: ${rows.at(-1).perSecond} batches/s, p50 ${rows.at(-1).p50} ms, p99 ${rows.at(-1).p99} ms`,
      );
    }
    return rows;
  } finally {
    await worker.stop();
  }
}
