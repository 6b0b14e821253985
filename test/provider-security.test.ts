/**
 * Plivo's and Exotel's webhooks refuse what their provider did not send (403, nothing read or
 * written): Plivo's by X-Plivo-Signature-V3, checked against the official `plivo` package;
 * Exotel's, which Exotel does not sign, by the keyed entry URL and the line's own signed URLs.
 * A provider that cannot speak a configured language is refused as a configuration, not heard.
 */
import { env } from "cloudflare:workers";
import { validateV3Signature } from "plivo/dist/utils/v3Security.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { entryKey, outboundKey, signedUrl, statusKey } from "../src/providers/exotel-urls.ts";
import { plivoSignature } from "../src/providers/plivo-signature.ts";
import { IVR_PATHS } from "../src/ivr/flow.ts";
import { assertPlivoXml } from "./support/plivo-oracle.ts";
import { BASE_URL, heard, lineWith, newProviderCall, overHttp, PROVIDER_SECRETS, workerFetch } from "./support/line.ts";

const PLIVO_TOKEN = PROVIDER_SECRETS.plivo;
const EXOTEL_SECRET = PROVIDER_SECRETS.exotel;
const EXOPHONE = "+918047100000";
const NOW = new Date("2027-10-26T04:30:00Z"); // Tuesday 10:00 IST

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

async function loggedCall(callSid: string) {
  return env.DB.prepare("SELECT call_sid FROM call_log WHERE call_sid = ?").bind(callSid).first();
}

function form(params: Record<string, string>) {
  return new URLSearchParams(params).toString();
}

describe("X-Plivo-Signature-V3", () => {
  const cases: [string, Record<string, string>][] = [
    [`${BASE_URL}/api/plivo/welcome/`, { CallUUID: "u-1", From: "919812300001", To: "918071000000" }],
    [`${BASE_URL}/api/plivo/handle-clinic/?lang=en&state=1&district=1`, { CallUUID: "u-2", Digits: "4" }],
    [
      `${BASE_URL}/api/plivo/confirm-booking/?lang=en&clinic=4&hold=5.2027-10-26.1015&back=5.2027-10-26.1000~5.2027-10-26.1030`,
      { Digits: "1" },
    ],
    [`${BASE_URL}/api/plivo/status/`, {}],
    [`http://localhost:8787/api/plivo/welcome/?a=2&a=1&b=x%20y`, { B: "2", A: "1" }],
  ];
  it.each(cases)("%s: ours is the one the official package accepts", async (url, params) => {
    const signature = await plivoSignature(PLIVO_TOKEN, url, Object.entries(params), "12345678");
    expect(validateV3Signature("POST", url, "12345678", PLIVO_TOKEN, signature, params)).toBe(true);
    expect(validateV3Signature("POST", url, "12345678", "another-token", signature, params)).toBe(false);
  });

  it("refuses unsigned, wrongly signed and replayed-elsewhere requests with 403, and logs no call", async () => {
    const url = `${BASE_URL}/api/plivo/welcome/`;
    const params = { CallUUID: "u-forged", From: "919812300009", To: "918071000000" };
    const post = (headers: Record<string, string>, to = url) =>
      workerFetch(to, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
        body: form(params),
      });
    const good = await plivoSignature(PLIVO_TOKEN, url, Object.entries(params), "n1");
    const wrongToken = await plivoSignature("not-the-token", url, Object.entries(params), "n1");
    expect((await post({})).status).toBe(403);
    expect((await post({ "X-Plivo-Signature-V3": good })).status).toBe(403); // no nonce
    expect((await post({ "X-Plivo-Signature-V3": good, "X-Plivo-Signature-V3-Nonce": "n2" })).status).toBe(403);
    expect((await post({ "X-Plivo-Signature-V3": wrongToken, "X-Plivo-Signature-V3-Nonce": "n1" })).status).toBe(403);
    // Signed for the welcome, sent to the booking step.
    const elsewhere = `${BASE_URL}/api/plivo/confirm-booking/?lang=en&clinic=4&hold=5.2027-10-26.1015`;
    expect((await post({ "X-Plivo-Signature-V3": good, "X-Plivo-Signature-V3-Nonce": "n1" }, elsewhere)).status).toBe(
      403,
    );
    expect(await loggedCall("u-forged")).toBeNull();
    // The same request, signed: answered.
    const ok = await post({ "X-Plivo-Signature-V3": `${wrongToken},${good}`, "X-Plivo-Signature-V3-Nonce": "n1" });
    expect(ok.status).toBe(200);
    assertPlivoXml(await ok.text());
  });

  it("with PLIVO_NUMBERS, answers only calls to those numbers (a signed call to another gets 403)", async () => {
    const line = lineWith({ PLIVO_NUMBERS: "+918071000000, +918071000001" });
    const url = `${BASE_URL}/api/plivo/welcome/`;
    const dial = async (callUuid: string, to: string) => {
      const params = { CallUUID: callUuid, From: "919812300010", To: to };
      const signature = await plivoSignature(PLIVO_TOKEN, url, Object.entries(params), "n3");
      const headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Plivo-Signature-V3": signature,
        "X-Plivo-Signature-V3-Nonce": "n3",
      };
      return line(url, { method: "POST", headers, body: form(params) });
    };
    expect((await dial("u-other-number", "918071000099")).status).toBe(403);
    expect(await loggedCall("u-other-number")).toBeNull();
    expect((await dial("u-listed-number", "918071000001")).status).toBe(200);
  });
});

describe("the Plivo XML oracle", () => {
  it("refuses what Plivo would refuse", () => {
    expect(() => assertPlivoXml('<Response><Speak voice="WOMAN" language="en-IN">Hi</Speak></Response>')).not.toThrow();
    expect(() => assertPlivoXml('<Response><Say voice="WOMAN">Hi</Say></Response>')).toThrow();
    expect(() => assertPlivoXml('<Response><Speak voic="WOMAN">Hi</Speak></Response>')).toThrow(/attribute/);
    expect(() =>
      assertPlivoXml('<Response><GetInput action="https://x/"><Dial><Number>1</Number></Dial></GetInput></Response>'),
    ).toThrow(/nested/);
  });
});

describe("a language the provider cannot speak", () => {
  it("Plivo with Kannada configured: 503 and the reason in the log, never Kannada in another voice", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const kannada = lineWith({ LANGUAGES: "kn,en" });
    const call = newProviderCall("plivo", "+919812300010", { fetch: kannada });
    const turn = await call.dial();
    expect(turn.responses[0]!.status).toBe(503);
    expect(JSON.stringify(errors.mock.calls)).toContain("Plivo has no voice for kn");
    errors.mockRestore();
    // PLIVO_LANGUAGES narrows Plivo's menu while Twilio and Exotel keep Kannada.
    const narrowed = newProviderCall("plivo", "+919812300011", {
      fetch: lineWith({ LANGUAGES: "kn,en", PLIVO_LANGUAGES: "en,hi" }),
    });
    const menu = await narrowed.dial();
    // The greeting naming the service (in the menu's first language), then each language in its own voice.
    expect(menu.utterances.map((u) => u.language)).toEqual(["en-IN", "en-IN", "hi-IN"]);
    const exotel = await newProviderCall("exotel", "+919812300012", { fetch: kannada }).dial();
    expect(exotel.utterances.map((u) => u.language)).toEqual(["kn", "kn", "en"]);
    expect(heard(exotel)).toContain("For English, press 2.");
  });
});

describe("Exotel: the entry key and the line's own signed URLs", () => {
  const params = (callSid: string, extra: Record<string, string> = {}) => ({
    CallSid: callSid,
    CallFrom: "09812300020",
    CallTo: "08047100000",
    Direction: "incoming",
    ...extra,
  });
  const get = (path: string, query: Record<string, string>) => {
    const url = new URL(path, BASE_URL);
    for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
    return workerFetch(url.toString(), { method: "GET" });
  };
  const post = (url: string, body: Record<string, string>) =>
    workerFetch(new URL(url, BASE_URL).toString(), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form(body),
    });

  it("the entry needs its ExoPhone's key: none, a wrong one or another number's gets 403 and no call", async () => {
    const key = await entryKey(EXOTEL_SECRET, EXOPHONE);
    expect((await get("/api/exotel/welcome/", params("ex-1"))).status).toBe(403);
    expect((await get(`/api/exotel/welcome/?k=${key.slice(1)}x`, params("ex-1"))).status).toBe(403);
    const other = await entryKey(EXOTEL_SECRET, "+918047199999");
    expect((await get(`/api/exotel/welcome/?k=${other}`, params("ex-1", { CallTo: "08047199999" }))).status).toBe(403);
    expect((await get(`/api/exotel/welcome/?k=${key}`, params("ex-1", { CallTo: "08047199999" }))).status).toBe(403);
    expect((await get(`/api/exotel/status/?k=${key}`, { CallSid: "ex-1", Status: "completed" })).status).toBe(403);
    expect(await loggedCall("ex-1")).toBeNull();
    const ok = await get(`/api/exotel/welcome/?k=${key}`, params("ex-1"));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/<Gather action="https:\/\/line\.test\/api\/exotel\/handle-clinic\/\?[^"]*sig=/);
    // The status callback as Exotel's documentation shows it: a JSON payload.
    const status = await workerFetch(
      `${BASE_URL}/api/exotel/status/?k=${await statusKey(EXOTEL_SECRET)}`,
      overHttp(`${BASE_URL}/x`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ CallSid: "ex-1", Status: "completed", DateUpdated: "2027-10-26 10:05:00" }),
      }),
    );
    expect(status.status).toBe(200);
  });

  it("a URL the line did not sign, or signed otherwise, expired, or for another call: 403 and nothing booked", async () => {
    const call = { id: "ex-2", from: "09812300021" };
    const hold = "5.2027-10-26.1015";
    const path = `/api/exotel/confirm-booking/?lang=en&state=1&district=1&clinic=4&hold=${hold}`;
    const signed = await signedUrl(EXOTEL_SECRET, path, call, new Date(), 900);
    const forged = await signedUrl("not-the-secret", path, call, new Date(), 900);
    const press1 = params("ex-2", { DigitsPressed: "1" });
    expect((await post(path, press1)).status).toBe(403); // unsigned
    expect((await post(forged, press1)).status).toBe(403);
    expect((await post(signed.replace("clinic=4", "clinic=3"), press1)).status).toBe(403); // tampered
    expect((await post(`${signed}&doctor=4`, press1)).status).toBe(403); // a call-state field added
    expect((await post(signed, params("ex-other", { DigitsPressed: "1" }))).status).toBe(403); // another call
    vi.setSystemTime(new Date(NOW.getTime() + 901_000));
    expect((await post(signed, press1)).status).toBe(403); // expired
    vi.setSystemTime(NOW);
    expect(await loggedCall("ex-2")).toBeNull();
    const booked = await env.DB.prepare("SELECT id FROM appointments WHERE call_sid = 'ex-2'").first();
    expect(booked).toBeNull();
  });

  it("reads the caller from the signed URL, not from what a later request claims", async () => {
    const c = newProviderCall("exotel", "+919812300022", { fetch: lineWith({}) });
    await c.dial();
    const turn = await c.press("4");
    const action = /action="([^"]+)"/.exec(turn.responses.at(-1)!.body)![1]!.replaceAll("&amp;", "&");
    expect(new URL(action).searchParams.get("f")).toBe("09812300022");
    expect(new URL(action).searchParams.get("c")).toBe(c.callSid);
  });

  it("refuses other methods and content types", async () => {
    const key = await entryKey(EXOTEL_SECRET, EXOPHONE);
    const put = await workerFetch(`${BASE_URL}/api/exotel/welcome/?k=${key}`, { method: "PUT" });
    expect(put.status).toBe(405);
    const xml = await workerFetch(
      `${BASE_URL}/api/exotel/welcome/?k=${key}`,
      overHttp(`${BASE_URL}/x`, { method: "POST", headers: { "Content-Type": "text/xml" }, body: "<x/>" }),
    );
    expect(xml.status).toBe(415);
    const junk = await workerFetch(
      `${BASE_URL}/api/exotel/welcome/?k=${key}`,
      overHttp(`${BASE_URL}/x`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "[1," }),
    );
    expect(junk.status).toBe(400);
  });
});

describe("Exotel's source addresses, where configured", () => {
  it("refuses a keyed entry from elsewhere, and answers one from a listed range", async () => {
    const line = lineWith({ EXOTEL_SOURCE_IPS: "203.0.113.0/24, 198.51.100.7" });
    const key = await entryKey(EXOTEL_SECRET, EXOPHONE);
    const url = `${BASE_URL}/api/exotel/welcome/?k=${key}&CallSid=ex-ip&CallFrom=09812300030&CallTo=08047100000`;
    const from = (ip: string) => line(url, { method: "GET", headers: { "CF-Connecting-IP": ip } });
    expect((await from("192.0.2.1")).status).toBe(403);
    expect((await from("2001:db8::1")).status).toBe(403);
    expect(await loggedCall("ex-ip")).toBeNull();
    expect((await from("198.51.100.7")).status).toBe(200);
    expect((await from("203.0.113.200")).status).toBe(200);
  });
});

describe("every step on every provider", () => {
  const steps = [
    ...Object.values(IVR_PATHS),
    "/api/ivr/status/",
    "/api/ivr/outbound-status/",
    "/api/ivr/no-such-step/",
  ];
  const send = async (provider: "plivo" | "exotel", path: string, signed: boolean) => {
    const local = `${path.replace("/api/ivr/", `/api/${provider}/`)}?lang=en`;
    const params: Record<string, string> =
      provider === "plivo"
        ? { CallUUID: "every-step", From: "919812300040", To: "918071000000", Digits: "1" }
        : { CallSid: "every-step", CallFrom: "09812300040", CallTo: "08047100000", DigitsPressed: "1" };
    let url = `${BASE_URL}${local}`;
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
    if (signed && provider === "plivo") {
      headers["X-Plivo-Signature-V3"] = await plivoSignature(PLIVO_TOKEN, url, Object.entries(params), "n");
      headers["X-Plivo-Signature-V3-Nonce"] = "n";
    }
    if (signed && provider === "exotel") {
      const key = local.startsWith("/api/exotel/welcome/")
        ? `&k=${await entryKey(EXOTEL_SECRET, EXOPHONE)}`
        : local.startsWith("/api/exotel/status/")
          ? `&k=${await statusKey(EXOTEL_SECRET)}`
          : local.startsWith("/api/exotel/outbound/")
            ? `&k=${await outboundKey(EXOTEL_SECRET)}`
            : "";
      url = key
        ? `${url}${key}`
        : `${BASE_URL}${await signedUrl(EXOTEL_SECRET, local, { id: "every-step", from: "09812300040" }, new Date(), 900)}`;
    }
    return workerFetch(url, { method: "POST", headers, body: form(params) });
  };

  it.each(["plivo", "exotel"] as const)(
    "%s: each of the flow's steps is routed; unsigned, each is refused",
    async (provider) => {
      for (const path of steps) {
        expect((await send(provider, path, false)).status, path).toBe(403);
      }
      expect(await loggedCall("every-step")).toBeNull();
      for (const path of steps) {
        const response = await send(provider, path, true);
        expect(response.status, path).toBe(path.includes("no-such-step") ? 404 : 200);
        if (response.status === 200 && provider === "plivo") assertPlivoXml(await response.text());
      }
      const get = await workerFetch(`${BASE_URL}/api/plivo/welcome/`, { method: "GET" });
      expect(get.status).toBe(405);
    },
  );
});
