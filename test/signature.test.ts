/**
 * X-Twilio-Signature, checked against the vectors twilio-node publishes in its own tests.
 */
import { describe, expect, it } from "vitest";
import {
  computeSignature,
  constantTimeEqual,
  signaturePayload,
  urlVariants,
  validateSignature,
  type SignedParams,
} from "../src/twilio/signature.ts";

const TOKEN = "12345";
const URL_PLAIN = "https://mycompany.com/myapp.php?foo=1&bar=2";
const URL_PORT = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
const PARAMS: SignedParams = {
  CallSid: "CA1234567890ABCDE",
  Caller: "+14158675309",
  Digits: "1234",
  From: "+14158675309",
  To: "+18005551212",
};
const SIG_PLAIN = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
const SIG_PORT = "kvajT1Ptam85bY51eRf/AJRuM3w=";

describe("computeSignature", () => {
  it("matches twilio-node's vector for the URL without a port", async () => {
    expect(await computeSignature(TOKEN, URL_PLAIN, PARAMS)).toBe(SIG_PLAIN);
  });

  it("matches twilio-node's vector for the URL with :443", async () => {
    expect(await computeSignature(TOKEN, URL_PORT, PARAMS)).toBe(SIG_PORT);
  });

  it("signs the URL then each name and value, sorted by name", () => {
    expect(signaturePayload("https://a.test/x", { To: "2", From: "1", Digits: "9" })).toBe(
      "https://a.test/xDigits9From1To2",
    );
  });
});

describe("validateSignature", () => {
  it.each([
    ["plain URL", URL_PLAIN, SIG_PLAIN],
    ["plain URL", URL_PLAIN, SIG_PORT],
    [":443 URL", URL_PORT, SIG_PLAIN],
    [":443 URL", URL_PORT, SIG_PORT],
  ])("accepts on the %s the signature %s", async (_, url, signature) => {
    expect(await validateSignature(TOKEN, signature, url, PARAMS)).toBe(true);
  });

  it("rejects a wrong auth token", async () => {
    expect(await validateSignature("54321", SIG_PLAIN, URL_PLAIN, PARAMS)).toBe(false);
  });

  it("rejects a changed, added or removed parameter", async () => {
    expect(await validateSignature(TOKEN, SIG_PLAIN, URL_PLAIN, { ...PARAMS, Digits: "1235" })).toBe(false);
    expect(await validateSignature(TOKEN, SIG_PLAIN, URL_PLAIN, { ...PARAMS, Extra: "" })).toBe(false);
    const { Digits: _, ...withoutDigits } = PARAMS;
    expect(await validateSignature(TOKEN, SIG_PLAIN, URL_PLAIN, withoutDigits)).toBe(false);
  });

  it.each([
    ["host", "https://mycompany.org/myapp.php?foo=1&bar=2"],
    ["path", "https://mycompany.com/myapp2.php?foo=1&bar=2"],
    ["query", "https://mycompany.com/myapp.php?foo=2&bar=2"],
    ["query order", "https://mycompany.com/myapp.php?bar=2&foo=1"],
    ["scheme", "http://mycompany.com/myapp.php?foo=1&bar=2"],
  ])("rejects a changed %s", async (_, url) => {
    expect(await validateSignature(TOKEN, SIG_PLAIN, url, PARAMS)).toBe(false);
    expect(await validateSignature(TOKEN, SIG_PORT, url, PARAMS)).toBe(false);
  });

  it("rejects an empty or missing signature", async () => {
    expect(await validateSignature(TOKEN, "", URL_PLAIN, PARAMS)).toBe(false);
    expect(await validateSignature(TOKEN, null, URL_PLAIN, PARAMS)).toBe(false);
    expect(await validateSignature(TOKEN, undefined, URL_PLAIN, PARAMS)).toBe(false);
  });

  it("rejects everything when no auth token is configured", async () => {
    expect(await validateSignature("", SIG_PLAIN, URL_PLAIN, PARAMS)).toBe(false);
    expect(await validateSignature("", SIG_PORT, URL_PORT, PARAMS)).toBe(false);
  });

  it("rejects a signature that differs only in its last character", async () => {
    expect(await validateSignature(TOKEN, SIG_PLAIN.slice(0, -2) + "A=", URL_PLAIN, PARAMS)).toBe(false);
  });
});

describe("repeated parameter names", () => {
  it("are de-duplicated and sorted, as twilio-node does", () => {
    expect(signaturePayload("https://a.test/", { Tags: ["b", "a", "b"], A: "1" })).toBe("https://a.test/A1TagsaTagsb");
  });

  it("so value order and repeats do not change the signature", async () => {
    const url = "https://a.test/sms";
    const signature = await computeSignature(TOKEN, url, { MediaUrl: ["x", "y"] });
    expect(await validateSignature(TOKEN, signature, url, { MediaUrl: ["y", "x", "y"] })).toBe(true);
    expect(await validateSignature(TOKEN, signature, url, { MediaUrl: ["x"] })).toBe(false);
    expect(await validateSignature(TOKEN, signature, url, { MediaUrl: ["x", "z"] })).toBe(false);
  });
});

describe("constantTimeEqual", () => {
  it("is true only for equal strings", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "ab")).toBe(false);
    expect(constantTimeEqual("ab", "abc")).toBe(false);
    expect(constantTimeEqual("", "a")).toBe(false);
  });

  it("compares bytes, not UTF-16 units", () => {
    expect(constantTimeEqual("é", "é")).toBe(true);
    expect(constantTimeEqual("é", "e\u0301")).toBe(false);
  });
});

describe("urlVariants", () => {
  it("offers https with and without :443", () => {
    expect(urlVariants(URL_PLAIN).sort()).toEqual([URL_PLAIN, URL_PORT].sort());
    expect(urlVariants(URL_PORT).sort()).toEqual([URL_PLAIN, URL_PORT].sort());
  });

  it("offers http with and without :80", () => {
    expect(urlVariants("http://line.test/voice?x=1").sort()).toEqual(
      ["http://line.test/voice?x=1", "http://line.test:80/voice?x=1"].sort(),
    );
    expect(urlVariants("http://line.test:80/voice").sort()).toEqual(
      ["http://line.test/voice", "http://line.test:80/voice"].sort(),
    );
  });

  it("keeps a custom port and also offers the form without a port", () => {
    expect(urlVariants("http://localhost:8787/api/ivr/welcome/?lang=en").sort()).toEqual(
      ["http://localhost:8787/api/ivr/welcome/?lang=en", "http://localhost/api/ivr/welcome/?lang=en"].sort(),
    );
  });

  it("so, like twilio-node, a signature for the port-less URL holds whatever port the request arrived on", async () => {
    expect(await validateSignature(TOKEN, SIG_PLAIN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", PARAMS)).toBe(
      true,
    );
    expect(await validateSignature(TOKEN, SIG_PORT, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", PARAMS)).toBe(
      false,
    );
  });

  it("returns an unparsable URL as it is", () => {
    expect(urlVariants("not a url")).toEqual(["not a url"]);
  });
});
