/**
 * The desk and the patient page mount one security stack (src/middleware/pages.ts) and the app
 * has one answer to a fault no route caught (src/middleware/fault.ts): the same headers on both,
 * a cross-site form refused on both, and a failing database answered alike, with nothing of
 * the fault in the page.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { app } from "../src/index.ts";
import { ORIGIN } from "./support/desk.ts";
import { faultyEnv, plan } from "./support/faults.ts";

const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
const SIGN_IN = { "/desk/login": "username=nobody&password=wrong", "/me/login": "phone=9845012345&password=wrong" };
const PATHS = Object.keys(SIGN_IN) as (keyof typeof SIGN_IN)[];

function post(path: keyof typeof SIGN_IN, origin: string): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: SIGN_IN[path],
  });
}

describe("one security stack for the desk and the patient page", () => {
  it("both sign-in pages carry the same security headers, and neither may be stored", async () => {
    const [desk, me] = await Promise.all(PATHS.map((path) => app.fetch(new Request(`${ORIGIN}${path}`), env, ctx)));
    for (const res of [desk!, me!]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    }
    for (const name of ["Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "Strict-Transport-Security"])
      expect(me!.headers.get(name), name).toBe(desk!.headers.get(name));
  });

  it.each(PATHS)("%s refuses a form posted from another site with 403", async (path) => {
    const res = await app.fetch(post(path, "https://elsewhere.test"), env, ctx);
    expect(res.status).toBe(403);
  });

  it.each(PATHS)("%s answers a failing database with the one apology, nothing of the fault in it", async (path) => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const failing = plan("d1", 1);
      const res = await app.fetch(post(path, ORIGIN), faultyEnv(env, failing), ctx);
      expect(failing.fired).toBe(true);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(text).toBe("Sorry, something went wrong. Please try again in a moment.");
      expect(res.headers.get("Cache-Control")).toBe("no-store");
    } finally {
      quiet.mockRestore();
    }
  });
});
