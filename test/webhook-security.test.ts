/**
 * Only Twilio, signing with our auth token over the exact URL, gets past the door. Everything
 * else is refused before any state is read or changed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { publicUrl } from "../src/middleware/twilio-webhook.ts";
import { computeSignature } from "../src/twilio/signature.ts";
import { IVR_PATHS } from "../src/ivr/flow.ts";
import { AUTH_TOKEN, BASE_URL, workerFetch } from "./support/line.ts";

const PATHS = [
  ...Object.values(IVR_PATHS),
  "/api/sms/incoming/",
  "/api/sms/status/?outbox=1",
  "/api/ivr/reason/?lang=en&appointment=1",
  "/api/ivr/recording-status/?lang=kn&appointment=1",
];
const PARAMS = {
  CallSid: "CAsec",
  From: "+919812300000",
  To: "+15005550006",
  Digits: "1",
  Body: "CANCEL",
  MessageSid: "SMsec",
  SpeechResult: "chest pain",
  RecordingSid: "RE00000000000000000000000000000001",
  RecordingStatus: "completed",
  RecordingDuration: "5",
};
const FORM = "application/x-www-form-urlencoded";

async function counts() {
  const row = await env.DB.prepare(
    "SELECT (SELECT count(*) FROM appointments) AS a, (SELECT count(*) FROM call_log) AS c, (SELECT count(*) FROM sms_inbound) AS i, (SELECT count(*) FROM patients) AS p, (SELECT count(*) FROM visit_reasons) AS r",
  ).first();
  return row;
}

async function send(url: string, params: Record<string, string>, signature: string | null, contentType = FORM) {
  return workerFetch(url, {
    method: "POST",
    headers: { "Content-Type": contentType, ...(signature === null ? {} : { "X-Twilio-Signature": signature }) },
    body: new URLSearchParams(params).toString(),
  });
}

describe.each(PATHS.flatMap((p) => [p, p.replace(/\/(\?|$)/, "$1")]))("%s", (path) => {
  const url = `${BASE_URL}${path}`;

  it("refuses missing, wrong-token, tampered and replayed signatures with 403 and changes nothing", async () => {
    const before = await counts();
    const good = await computeSignature(AUTH_TOKEN, url, PARAMS);
    const attempts = [
      send(url, PARAMS, null),
      send(url, PARAMS, ""),
      send(url, PARAMS, await computeSignature("not-our-token", url, PARAMS)),
      send(url, { ...PARAMS, Digits: "2" }, good),
      send(url, { ...PARAMS, Extra: "x" }, good),
      send(url, { CallSid: PARAMS.CallSid }, good),
      send(url.replace("line.test", "evil.test"), PARAMS, good),
      send(`${url}${url.includes("?") ? "&" : "?"}clinic=1`, PARAMS, good),
      // A valid request for another endpoint, replayed here.
      send(url, PARAMS, await computeSignature(AUTH_TOKEN, `${BASE_URL}/api/ivr/some-other-step/`, PARAMS)),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("refuses other content types (415), oversized bodies (413) and GET (405)", async () => {
    const good = await computeSignature(AUTH_TOKEN, url, PARAMS);
    expect((await send(url, PARAMS, good, "application/json")).status).toBe(415);
    const huge = { ...PARAMS, Body: "x".repeat(70_000) };
    expect((await send(url, huge, await computeSignature(AUTH_TOKEN, url, huge))).status).toBe(413);
    expect((await workerFetch(url, { method: "GET" })).status).toBe(405);
  });

  it("accepts the request signed for the URL with :443", async () => {
    const res = await send(
      url,
      PARAMS,
      await computeSignature(AUTH_TOKEN, url.replace("line.test", "line.test:443"), PARAMS),
    );
    expect(res.status).not.toBe(403);
    expect(res.status).toBeLessThan(500);
  });
});

describe("behind a proxy", () => {
  it("PUBLIC_BASE_URL replaces the origin the Worker saw, keeping path and query", () => {
    expect(publicUrl("http://internal:8787/api/ivr/welcome/?a=1", "")).toBe(
      "http://internal:8787/api/ivr/welcome/?a=1",
    );
    expect(publicUrl("http://internal:8787/api/ivr/welcome/?a=1", "https://line.example.in/")).toBe(
      "https://line.example.in/api/ivr/welcome/?a=1",
    );
  });
});
