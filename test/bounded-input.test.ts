/**
 * Unsigned junk costs little and never reaches a 5xx: bodies are bounded before they are
 * buffered (no Content-Length: 411; over 64 KiB, declared or streamed: 413), and parameter
 * names such as `__proto__` or `toString` are plain names.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { IVR_PATHS } from "../src/ivr/flow.ts";
import { MAX_BODY_BYTES, parseForm } from "../src/middleware/twilio-webhook.ts";
import { computeSignature } from "../src/twilio/signature.ts";
import { AUTH_TOKEN, BASE_URL, workerFetch } from "./support/line.ts";

const FORM = "application/x-www-form-urlencoded";
const TEN_MB = 10 * 1024 * 1024;
const CHUNK = 16 * 1024;
const ROUTES = [...Object.values(IVR_PATHS), "/api/sms/incoming/", "/api/sms/status/?outbox=1"];

/** A body of `size` bytes of form data, produced only as fast as it is read; counts what was read. */
function meteredBody(size: number) {
  const meter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (meter.pulled >= size) return controller.close();
        const chunk = new TextEncoder().encode("A=".padEnd(CHUNK, "x"));
        meter.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, meter };
}

describe("bodies are bounded before they are buffered", () => {
  it("a chunked 10 MB unsigned body with no Content-Length is refused (411), reading almost none of it", async () => {
    const { stream, meter } = meteredBody(TEN_MB);
    const res = await workerFetch(`${BASE_URL}/api/ivr/welcome/`, {
      method: "POST",
      headers: { "Content-Type": FORM },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(411);
    await new Promise((r) => setTimeout(r, 50));
    expect(meter.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + CHUNK);
  });

  it("a body longer than its Content-Length claims is cut off at 64 KiB (413), not read to the end", async () => {
    const { stream, meter } = meteredBody(TEN_MB);
    const request = new Request(`${BASE_URL}/api/ivr/welcome/`, {
      method: "POST",
      headers: { "Content-Type": FORM, "Content-Length": "100" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await worker.fetch(request, env, createExecutionContext());
    expect(res.status).toBe(413);
    expect(meter.pulled).toBeGreaterThan(MAX_BODY_BYTES);
    expect(meter.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * CHUNK);
  });

  it("a declared length over 64 KiB is refused before reading, and a malformed one is a 400", async () => {
    for (const [length, status] of [
      [String(MAX_BODY_BYTES + 1), 413],
      ["12abc", 400],
      ["-1", 400],
    ] as const) {
      const { stream, meter } = meteredBody(TEN_MB);
      const request = new Request(`${BASE_URL}/api/sms/incoming/`, {
        method: "POST",
        headers: { "Content-Type": FORM, "Content-Length": length },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect((await worker.fetch(request, env, createExecutionContext())).status).toBe(status);
      expect(meter.pulled).toBeLessThanOrEqual(CHUNK);
    }
  });
});

describe("parameter names that are Object's own members", () => {
  const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];
  const body = [...NAMES.map((n) => `${n}=x`), "toString=again", "CallSid=CAproto", "From=%2B919812300001"].join("&");

  it("parseForm keeps them as plain names", () => {
    const fields = parseForm(body);
    expect(fields.get("__proto__")).toEqual(["x"]);
    expect(fields.get("toString")).toEqual(["x", "again"]);
    expect(fields.get("constructor")).toEqual(["x"]);
  });

  it.each(ROUTES)("unsigned on %s: 403, never 5xx", async (route) => {
    const res = await workerFetch(`${BASE_URL}${route}`, { method: "POST", headers: { "Content-Type": FORM }, body });
    expect(res.status).toBe(403);
  });

  it.each(ROUTES)("signed on %s: handled (below 500)", async (route) => {
    const url = `${BASE_URL}${route}`;
    const params = Object.create(null) as Record<string, string | string[]>;
    for (const [name, values] of parseForm(body)) params[name] = values.length === 1 ? values[0]! : values;
    const res = await workerFetch(url, {
      method: "POST",
      headers: { "Content-Type": FORM, "X-Twilio-Signature": await computeSignature(AUTH_TOKEN, url, params) },
      body,
    });
    expect(res.status).not.toBe(403);
    expect(res.status).toBeLessThan(500);
  });
});
