/**
 * X-Plivo-Signature-V3: base64(HMAC-SHA256(authToken, payload + "." + nonce)), where for a POST
 * the payload is the URL without its query, then "?" and the query's pairs sorted (k=v joined by
 * &), then "." before the POST parameters sorted and concatenated (name + value). The header may
 * carry several signatures, comma-separated; one match is enough. Checked against the official
 * `plivo` package's validateV3Signature in test/plivo-signature.test.ts.
 */
import { constantTimeEqual } from "../twilio/signature.ts";
import { hmacSha256Base64 } from "./hmac.ts";

type Multi = Map<string, string[]>;

function sortedQuery(query: Multi): string {
  return [...query.keys()]
    .sort()
    .flatMap((name) => [...query.get(name)!].sort().map((value) => `${name}=${value}`))
    .join("&");
}

function sortedParams(params: Multi): string {
  return [...params.keys()]
    .sort()
    .flatMap((name) => [...params.get(name)!].sort().map((value) => name + value))
    .join("");
}

function multi(entries: Iterable<[string, string]>): Multi {
  const map: Multi = new Map();
  for (const [name, value] of entries) map.set(name, [...(map.get(name) ?? []), value]);
  return map;
}

/** The string Plivo signs (before the nonce) for a POST to `url` with form `params`. */
export function plivoPayload(url: string, params: Iterable<[string, string]>): string {
  const parsed = new URL(url);
  const base = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  // Plivo reads the query with Node's querystring: "+" is a space, as URLSearchParams reads it.
  const query = sortedQuery(multi(parsed.searchParams));
  const post = multi(params);
  let payload = base;
  if (query.length > 0 || post.size > 0) payload += `?${query}`;
  if (query.length > 0 && post.size > 0) payload += ".";
  return payload + sortedParams(post);
}

/** The signature Plivo would send for this POST. */
export function plivoSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
  nonce: string,
): Promise<string> {
  return hmacSha256Base64(authToken, `${plivoPayload(url, params)}.${nonce}`);
}

/** True when one of the header's signatures is Plivo's for this request. */
export async function validPlivoSignature(
  authToken: string,
  header: string | undefined,
  nonce: string | undefined,
  url: string,
  params: Iterable<[string, string]>,
): Promise<boolean> {
  if (!authToken || !header || !nonce) return false;
  const expected = await plivoSignature(authToken, url, params, nonce);
  let valid = false;
  // Every candidate is compared, so timing does not reveal which one matched.
  for (const candidate of header.split(",")) if (constantTimeEqual(expected, candidate.trim())) valid = true;
  return valid;
}
