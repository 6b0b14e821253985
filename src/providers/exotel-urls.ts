/**
 * Exotel does not sign its webhooks, so the line signs its own URLs. Every URL it hands Exotel
 * carries the call's id (c) and caller (f) as the entry request gave them, an expiry (exp, unix
 * seconds) and sig: base64url(HMAC-SHA256(EXOTEL_URL_SECRET, path + "?" + the signed fields,
 * sorted)). Fields Exotel adds (CallSid, DigitsPressed...) are not signed and are read only for
 * what they are; any call-state field not covered by the signature makes the URL invalid.
 *
 * The entry URL is the one URL the line does not hand out: it is configured in Exotel's
 * dashboard with a key per ExoPhone (k), HMAC of the number, so a key for one number opens no
 * other. The status callback URL has its own key.
 */
import { CALL_STATE_FIELDS } from "../ivr/call-state.ts";
import { constantTimeEqual } from "../twilio/signature.ts";
import { hmacSha256Base64 } from "./hmac.ts";

const BINDING_FIELDS = ["c", "f", "exp"];
const SIGNED = new Set([...CALL_STATE_FIELDS, ...BINDING_FIELDS]);

async function mac(secret: string, data: string): Promise<string> {
  return (await hmacSha256Base64(secret, data)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The signed part of a query: every field the line writes, sorted, in one canonical form. */
export function signedFields(query: URLSearchParams): URLSearchParams {
  const pairs = [...query].filter(([name]) => SIGNED.has(name));
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(pairs);
}

function canonical(path: string, query: URLSearchParams): string {
  return `${path}?${signedFields(query).toString()}`;
}

/** `path?query` signed for this call until `now + ttl`. */
export async function signedUrl(
  secret: string,
  pathAndQuery: string,
  call: { id: string; from: string | undefined },
  now: Date,
  ttlSeconds: number,
): Promise<string> {
  const url = new URL(pathAndQuery, "https://line.invalid");
  const query = url.searchParams;
  query.set("c", call.id);
  if (call.from) query.set("f", call.from);
  query.set("exp", String(Math.floor(now.getTime() / 1000) + ttlSeconds));
  query.set("sig", await mac(secret, canonical(url.pathname, query)));
  return `${url.pathname}?${query.toString()}`;
}

export type UrlCheck = { ok: true } | { ok: false; why: "unsigned" | "expired" | "tampered" };

/** Whether a request URL is one the line signed, unchanged and in time. */
export async function checkSignedUrl(secret: string, url: URL, now: Date): Promise<UrlCheck> {
  const query = url.searchParams;
  const sigs = query.getAll("sig");
  const exps = query.getAll("exp");
  if (sigs.length !== 1 || exps.length !== 1) return { ok: false, why: "unsigned" };
  const expected = await mac(secret, canonical(url.pathname, query));
  if (!constantTimeEqual(expected, sigs[0]!)) return { ok: false, why: "tampered" };
  const exp = Number(exps[0]);
  if (!Number.isInteger(exp) || exp * 1000 < now.getTime()) return { ok: false, why: "expired" };
  return { ok: true };
}

/** The key of an ExoPhone's entry URL (…/api/exotel/welcome/?k=KEY). */
export async function entryKey(secret: string, number: string): Promise<string> {
  return (await mac(secret, `entry ${number}`)).slice(0, 32);
}

/** The key of the reminder call flow's URL (…/api/exotel/outbound/?k=KEY), pasted into that flow's applet. */
export async function outboundKey(secret: string): Promise<string> {
  return (await mac(secret, "outbound")).slice(0, 32);
}

/** The key of the status callback URL (…/api/exotel/status/?k=KEY). */
export async function statusKey(secret: string): Promise<string> {
  return (await mac(secret, "status")).slice(0, 32);
}
