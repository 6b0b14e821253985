import { describe, expect, it } from "vitest";
import { computeSignature, constantTimeEqual, urlVariants, validateSignature } from "../src/twilio/signature.ts";

// twilio-node's published test vectors.
const TOKEN = "12345";
const URL_NO_PORT = "https://mycompany.com/myapp.php?foo=1&bar=2";
const URL_WITH_PORT = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
const PARAMS = {
  CallSid: "CA1234567890ABCDE",
  Caller: "+14158675309",
  Digits: "1234",
  From: "+14158675309",
  To: "+18005551212",
};
const SIGNED_WITHOUT_PORT = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
const SIGNED_WITH_PORT = "kvajT1Ptam85bY51eRf/AJRuM3w=";

describe("computeSignature", () => {
  it("matches twilio-node's vectors", async () => {
    expect(await computeSignature(TOKEN, URL_NO_PORT, PARAMS)).toBe(SIGNED_WITHOUT_PORT);
    expect(await computeSignature(TOKEN, URL_WITH_PORT, PARAMS)).toBe(SIGNED_WITH_PORT);
  });

  it("de-duplicates and sorts repeated parameter values, as twilio-node does", async () => {
    const repeated = await computeSignature(TOKEN, URL_NO_PORT, { ...PARAMS, Tag: ["b", "a", "b"] });
    const manual = await computeSignature(
      TOKEN,
      URL_NO_PORT + "CallSidCA1234567890ABCDECaller+14158675309Digits1234From+14158675309TagaTagbTo+18005551212",
      {},
    );
    expect(repeated).toBe(manual);
  });
});

describe("validateSignature", () => {
  it.each([
    [URL_NO_PORT, SIGNED_WITHOUT_PORT],
    [URL_NO_PORT, SIGNED_WITH_PORT],
    [URL_WITH_PORT, SIGNED_WITHOUT_PORT],
    [URL_WITH_PORT, SIGNED_WITH_PORT],
  ])("accepts %s signed as %s (port variants)", async (url, signature) => {
    expect(await validateSignature(TOKEN, signature, url, PARAMS)).toBe(true);
  });

  it.each([
    ["a wrong token", "54321", SIGNED_WITHOUT_PORT, URL_NO_PORT, PARAMS],
    ["a changed value", TOKEN, SIGNED_WITHOUT_PORT, URL_NO_PORT, { ...PARAMS, Digits: "1235" }],
    ["an added parameter", TOKEN, SIGNED_WITHOUT_PORT, URL_NO_PORT, { ...PARAMS, Extra: "1" }],
    [
      "a removed parameter",
      TOKEN,
      SIGNED_WITHOUT_PORT,
      URL_NO_PORT,
      { CallSid: PARAMS.CallSid, Caller: PARAMS.Caller },
    ],
    ["another host", TOKEN, SIGNED_WITHOUT_PORT, "https://evil.com/myapp.php?foo=1&bar=2", PARAMS],
    ["another path", TOKEN, SIGNED_WITHOUT_PORT, "https://mycompany.com/other.php?foo=1&bar=2", PARAMS],
    ["another query", TOKEN, SIGNED_WITHOUT_PORT, "https://mycompany.com/myapp.php?foo=2&bar=2", PARAMS],
    ["http instead of https", TOKEN, SIGNED_WITHOUT_PORT, "http://mycompany.com/myapp.php?foo=1&bar=2", PARAMS],
    ["an empty signature", TOKEN, "", URL_NO_PORT, PARAMS],
    ["no signature", TOKEN, undefined, URL_NO_PORT, PARAMS],
    ["no auth token", "", SIGNED_WITHOUT_PORT, URL_NO_PORT, PARAMS],
  ])("rejects %s", async (_case, token, signature, url, params) => {
    expect(await validateSignature(token, signature, url, params)).toBe(false);
  });
});

describe("urlVariants", () => {
  it("offers the URL as given, without a port, and with the scheme's default port", () => {
    expect(urlVariants("https://a.test/x?y=1")).toEqual(["https://a.test/x?y=1", "https://a.test:443/x?y=1"]);
    expect(urlVariants("http://a.test/x")).toEqual(["http://a.test/x", "http://a.test:80/x"]);
    expect(urlVariants("http://localhost:8787/api")).toEqual(["http://localhost:8787/api", "http://localhost/api"]);
  });
});

describe("constantTimeEqual", () => {
  it("compares whole strings", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });
});
