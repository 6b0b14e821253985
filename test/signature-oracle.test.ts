/**
 * Our signature check agrees with the official `twilio` package (the oracle; a dev
 * dependency, never bundled) on URLs the runtime re-encodes. workerd hands the Worker
 * `?clinic=%27a%27` for a request line `?clinic='a'` (and `%22` for `"` in a path), while
 * Twilio signs the URL as configured; the Worker must accept what the oracle accepts.
 */
import { describe, expect, it } from "vitest";
import webhooks from "twilio/lib/webhooks/webhooks.js";
import { validateSignature } from "../src/twilio/signature.ts";
import { AUTH_TOKEN, BASE_URL, workerFetch } from "./support/line.ts";

const PARAMS = { CallSid: "CAoracle", From: "+919812300002", To: "+15005550006", AccountSid: "AC1" };

/** The URL Twilio requested, and the one the Worker sees (WHATWG-parsed, as workerd does). */
const CONFIGURED = [
  `${BASE_URL}/api/ivr/welcome/?clinic='a'`,
  `${BASE_URL}/api/ivr/welcome/?note='it''s'&x=1`,
  `${BASE_URL}:443/api/ivr/welcome/?clinic='a'`,
  `${BASE_URL}/api/ivr/welcome/?clinic=%27a%27`,
  `${BASE_URL}/api/it's/welcome/`,
  `${BASE_URL}/api/"quoted"/welcome/?a='b'`,
  `${BASE_URL}/api/ivr/welcome/?q={1}&r=\`x\``,
  `http://localhost:8787/api/ivr/welcome/?clinic='a'`,
];

describe("signatures over URLs the runtime re-encodes", () => {
  it.each(CONFIGURED)("%s: accepted as the oracle accepts it, as the Worker receives it", async (configured) => {
    const signature = webhooks.getExpectedTwilioSignature(AUTH_TOKEN, configured, PARAMS);
    expect(webhooks.validateRequest(AUTH_TOKEN, signature, configured, PARAMS)).toBe(true);
    const received = new URL(configured).href;
    expect(await validateSignature(AUTH_TOKEN, signature, received, PARAMS)).toBe(true);
  });

  it.each([
    // Tampered: another value, another host, another path, another token.
    [`${BASE_URL}/api/ivr/welcome/?clinic='a'`, `${BASE_URL}/api/ivr/welcome/?clinic='b'`],
    [`${BASE_URL}/api/ivr/welcome/?clinic='a'`, `https://evil.test/api/ivr/welcome/?clinic='a'`],
    [`${BASE_URL}/api/ivr/welcome/?clinic='a'`, `${BASE_URL}/api/ivr/handle-state/?clinic='a'`],
    [`${BASE_URL}/api/ivr/welcome/?clinic='a'`, `${BASE_URL}/api/ivr/welcome/?clinic='a'&x=1`],
  ])("signed for %s, requested as %s: refused, as the oracle refuses it", async (signedFor, requested) => {
    const signature = webhooks.getExpectedTwilioSignature(AUTH_TOKEN, signedFor, PARAMS);
    expect(webhooks.validateRequest(AUTH_TOKEN, signature, requested, PARAMS)).toBe(false);
    expect(await validateSignature(AUTH_TOKEN, signature, new URL(requested).href, PARAMS)).toBe(false);
  });

  it("a Voice URL with ' reaches the IVR end to end (the request URL re-encoded on the way in)", async () => {
    const configured = `${BASE_URL}/api/ivr/welcome/?campaign='winter'`;
    const signature = webhooks.getExpectedTwilioSignature(AUTH_TOKEN, configured, PARAMS);
    const res = await workerFetch(configured, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
      body: new URLSearchParams(PARAMS).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Welcome to the clinic appointment line.");
  });
});
