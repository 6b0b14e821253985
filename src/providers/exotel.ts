/**
 * Exotel: entry /api/exotel/welcome/?k=KEY (GET or POST, as the ExoPhone's flow calls it),
 * status callback /api/exotel/status/?k=KEY, and ExoML (Say, Play, Gather, Dial, Redirect,
 * Hangup; developer.exotel.com/docs/exoml). Parameters: CallSid, CallFrom/From, CallTo/To,
 * DigitsPressed (or digits, which a Passthru sends wrapped in double quotes), DialCallStatus,
 * Status/CallStatus. Exotel does not sign requests: the line signs every URL it hands out
 * (providers/exotel-urls.ts) and keys the two it does not.
 *
 * ExoML as documented has no pause and no speech input. Its <Record> gives the action only the
 * recording's URL and SID, with no status callback and no documented API to fetch or delete it
 * by SID; the line never stores a recording's URL, so it is not used: Exotel calls press keys
 * and end with goodbye after the token.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { log } from "../log.ts";
import { boundedForm, boundedText, firstValues, publicUrl } from "../middleware/twilio-webhook.ts";
import { normalizePhone } from "../patients/phone.ts";
import { attrs, escapeXml } from "../twilio/twiml.ts";
import { constantTimeEqual } from "../twilio/signature.ts";
import { checkSignedUrl, entryKey, outboundKey, signedFields, signedUrl, statusKey } from "./exotel-urls.ts";
import type { CallInput, VoiceProvider } from "./provider.ts";
import type { VoiceVerb } from "./verbs.ts";
import { EXOTEL_VOICES, voiceForTag } from "./voices.ts";
import { renderVerbs, underPrefix, xmlResponse, type XmlDialect } from "./xml.ts";

const PREFIX = "/api/exotel";
const ENDED = new Set(["completed", "failed", "busy", "no-answer", "canceled"]);
/** The line's own query fields, never taken as Exotel's parameters. */
const OURS = new Set(["k", "sig"]);

function forbidden(c: Context<AppEnv>, why: string): Response {
  log.warn("rejected Exotel webhook", { why, path: new URL(c.req.url).pathname });
  return c.text("Forbidden", 403);
}

/** Which kind of URL this is: the entry, the status callback, or one the line handed out. */
function kindOf(url: URL): "entry" | "status" | "outbound" | "signed" {
  const last = url.pathname.replace(/\/+$/, "").split("/").pop();
  // The reminder call's flow (EXOTEL_CALL_FLOW_URL) fetches /outbound/ with its own key.
  return last === "welcome" ? "entry" : last === "status" ? "status" : last === "outbound" ? "outbound" : "signed";
}

/** "a.b.c.d" as a 32-bit number, or null. */
function ipv4(text: string): number | null {
  const parts = text.trim().split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Whether `ip` is in one of the ranges ("1.2.3.4" or "1.2.3.0/24"); IPv6 callers never are. */
export function inRanges(ip: string, ranges: readonly string[]): boolean {
  const address = ipv4(ip);
  if (address === null) return false;
  return ranges.some((range) => {
    const [base, bits = "32"] = range.split("/");
    const start = ipv4(base ?? "");
    const size = Number(bits);
    if (start === null || !Number.isInteger(size) || size < 0 || size > 32) return false;
    const block = 2 ** (32 - size);
    return Math.floor(address / block) === Math.floor(start / block);
  });
}

async function authenticate(c: Context<AppEnv>, params: Record<string, string>): Promise<string | null> {
  const { urlSecret, numbers, sourceRanges } = c.var.config.providers.exotel;
  if (!urlSecret || numbers.length === 0) {
    log.error("EXOTEL_URL_SECRET and EXOTEL_NUMBERS are not both configured: refusing every Exotel webhook");
    return "not configured";
  }
  // Exotel gives its webhook addresses on request (not published): where configured, only they may call.
  if (sourceRanges.length > 0 && !inRanges(c.req.header("cf-connecting-ip") ?? "", sourceRanges))
    return "not from EXOTEL_SOURCE_IPS";
  const url = new URL(c.req.url);
  const key = url.searchParams.get("k") ?? "";
  switch (kindOf(url)) {
    case "entry": {
      // The key names the ExoPhone it was made for: it opens calls to that number only.
      const called = normalizePhone(params.CallTo ?? params.To);
      if (!called || !numbers.includes(called)) return "not one of EXOTEL_NUMBERS";
      return constantTimeEqual(key, await entryKey(urlSecret, called)) ? null : "wrong entry key";
    }
    case "status":
      return constantTimeEqual(key, await statusKey(urlSecret)) ? null : "wrong status key";
    case "outbound":
      return constantTimeEqual(key, await outboundKey(urlSecret)) ? null : "wrong outbound key";
    case "signed": {
      const check = await checkSignedUrl(urlSecret, url, new Date());
      if (!check.ok) return check.why;
      // The URL was made for one call: another call's id cannot ride on it.
      // (A call the line places gets its status URL before Exotel names the call: c is empty there.)
      const signedCall = url.searchParams.get("c");
      return signedCall && params.CallSid && params.CallSid !== signedCall ? "another call's URL" : null;
    }
  }
}

/**
 * A POST's fields: a form, or (Exotel's documentation shows its callbacks' payloads as JSON) a
 * flat JSON object whose strings and numbers are read as fields.
 */
async function postedFields(c: Context<AppEnv>): Promise<Map<string, string[]> | Response> {
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json"))
    return boundedForm(c, "Exotel");
  const text = await boundedText(c);
  if (text instanceof Response) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return c.text("Bad Request: malformed JSON", 400);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return c.text("Bad Request: expected a JSON object", 400);
  const fields = new Map<string, string[]>();
  for (const [name, value] of Object.entries(parsed))
    if (typeof value === "string" || typeof value === "number") fields.set(name, [String(value)]);
  return fields;
}

const exotelWebhook = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== "POST" && c.req.method !== "GET")
    return c.text("Method Not Allowed: Exotel webhooks are GET or POST", 405, { Allow: "GET, POST" });
  // Exotel sends its parameters in the query (GET) or the form body (POST); the line's own
  // query fields are never read as Exotel's.
  const query = [...new URL(c.req.url).searchParams].filter(([name]) => !OURS.has(name));
  const fields = new Map<string, string[]>(query.map(([name, value]) => [name, [value]]));
  if (c.req.method === "POST") {
    const body = await postedFields(c);
    if (body instanceof Response) return body;
    for (const [name, values] of body) fields.set(name, values);
  }
  const params = firstValues(fields);
  const refused = await authenticate(c, params);
  if (refused) return forbidden(c, refused);
  c.set("params", params);
  await next();
});

/** A Passthru's `digits` comes wrapped in double quotes; Gather's DigitsPressed does not. */
function keysOf(params: Record<string, string>): string | undefined {
  const raw = params.DigitsPressed ?? params.digits;
  return raw?.replace(/^"|"$/g, "");
}

function read(c: Context<AppEnv>): CallInput {
  const { params } = c.var;
  const query = new URL(c.req.url).searchParams;
  const state = signedFields(query);
  for (const binding of ["c", "f", "exp"]) state.delete(binding);
  const callStatus = params.Status ?? params.CallStatus;
  return {
    // What the line signed wins over what the request says.
    callId: query.get("c") || params.CallSid,
    from: query.get("f") ?? params.CallFrom ?? params.From,
    to: params.CallTo ?? params.To,
    digits: keysOf(params),
    ...(callStatus ? { callStatus } : {}),
    ...(params.DialCallStatus ? { dialStatus: params.DialCallStatus } : {}),
    state,
  };
}

/** ExoML: Say, Play, Gather (keys only), Dial, Redirect, Hangup. */
const EXOML: XmlDialect = {
  say(text, tag, budget) {
    const voice = voiceForTag(EXOTEL_VOICES, tag);
    return budget.spoken(`<Say${attrs({ voice: voice.voice, language: voice.language })}>`, text, "</Say>");
  },
  play: (url) => `<Play>${url}</Play>`,
  pause: () => "", // ExoML documents no pause: the next words follow at once.
  gather: (v, action, children) =>
    `<Gather${attrs({ action, method: "POST", numDigits: v.numDigits, timeout: v.timeout, finishOnKey: v.finishOnKey })}>${children}</Gather>`,
  record: () => {
    throw new Error("the line does not record on Exotel");
  },
  redirect: (url) => `<Redirect method="POST">${url}</Redirect>`,
  dial: (v, action) => `<Dial${attrs({ action, method: "POST", timeout: v.timeout })}>${escapeXml(v.number)}</Dial>`,
  hangup: "<Hangup/>",
};

/** Every URL a document hands Exotel, to sign them before rendering. */
function urlsOf(verbs: readonly VoiceVerb[]): string[] {
  return verbs.flatMap((v) => ("action" in v ? [v.action] : v.kind === "Redirect" ? [v.url] : []));
}

async function render(verbs: readonly VoiceVerb[], c: Context<AppEnv>): Promise<Response> {
  const { config } = c.var;
  const { urlSecret, urlTtlSeconds } = config.providers.exotel;
  const origin = new URL(publicUrl(c.req.url, config.publicBaseUrl)).origin;
  const { callId, from } = read(c);
  const now = new Date();
  const signed = new Map<string, string>();
  for (const path of new Set(urlsOf(verbs))) {
    const local = underPrefix(PREFIX, path);
    signed.set(path, origin + (await signedUrl(urlSecret, local, { id: callId ?? "", from }, now, urlTtlSeconds)));
  }
  return xmlResponse(renderVerbs(verbs, EXOML, (path) => signed.get(path)!));
}

export const exotel: VoiceProvider = {
  name: "exotel",
  prefix: PREFIX,
  methods: ["GET", "POST"],
  guard: exotelWebhook,
  read,
  render,
  ended: (status) => ENDED.has(status ?? ""),
  hearsSpeech: false,
  records: false,
};
