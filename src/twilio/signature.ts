/**
 * X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + concat(sorted name+value))).
 * Validation accepts the same URL variants as twilio-node's validateRequest:
 * the URL as given, with the scheme's default port added, and with any port removed
 * (Twilio signs whichever form it was configured with, and proxies drop or add ports),
 * each also in the form Twilio wrote before the runtime re-encoded it (asTwilioWrote).
 */

export type SignedParams = Record<string, string | readonly string[]>;

const encoder = new TextEncoder();

/** The string Twilio signs: the URL, then each parameter name and value, sorted by name. */
export function signaturePayload(url: string, params: SignedParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    if (typeof value === "string") {
      data += name + value;
    } else {
      // Repeated names: twilio-node de-duplicates and sorts the values.
      for (const v of [...new Set(value)].sort()) data += name + v;
    }
  }
  return data;
}

// Importing the key costs more than signing a webhook's few hundred bytes; one token, one key.
let cachedKey: { secret: string; key: Promise<CryptoKey> } | null = null;

function hmacKey(secret: string): Promise<CryptoKey> {
  if (cachedKey?.secret !== secret) {
    cachedKey = {
      secret,
      key: crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]),
    };
  }
  return cachedKey.key;
}

async function hmacSha1Base64(secret: string, data: string): Promise<string> {
  const key = await hmacKey(secret);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(data)));
  let binary = "";
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Computes the signature Twilio would send for this URL and parameters. */
export function computeSignature(authToken: string, url: string, params: SignedParams): Promise<string> {
  return hmacSha1Base64(authToken, signaturePayload(url, params));
}

/** Compares two strings in time that depends only on their length, not on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let diff = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}

const DEFAULT_PORTS: Record<string, string> = { "https://": "443", "http://": "80" };

/**
 * The request URL as Twilio may have written it. The runtime hands the Worker a parsed URL
 * (workerd turns `'` in a query into `%27`, and `"` in a path into `%22`), but Twilio signs
 * the URL exactly as configured. Undoing those two escapes recovers that form; a URL that
 * really carried `%27` still matches as received.
 */
export function asTwilioWrote(url: string): string {
  const queryStart = url.indexOf("?");
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? "" : url.slice(queryStart);
  return path.replace(/%22/gi, '"') + query.replace(/%27/gi, "'");
}

/** The URL forms accepted for one request URL: as received and as Twilio wrote it, each with and without the port. */
export function urlVariants(url: string): string[] {
  return [...new Set([url, asTwilioWrote(url)].flatMap(portVariants))];
}

/**
 * The port forms twilio-node accepts for one URL: as given, without a port, and with the
 * scheme's default port. Split by hand, not with `new URL()`, which would re-encode the rest.
 */
function portVariants(url: string): string[] {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!match) return [url];
  const [prefix, scheme, authority] = match as unknown as [string, string, string];
  const userInfoEnd = authority.lastIndexOf("@");
  const userInfo = authority.slice(0, userInfoEnd + 1);
  const hostAndPort = authority.slice(userInfoEnd + 1);
  // A colon starts the port only after the closing bracket of an IPv6 literal.
  const portStart = hostAndPort.indexOf(":", hostAndPort.lastIndexOf("]") + 1);
  const host = portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart);
  const rest = url.slice(prefix.length);
  const variants = new Set<string>([url, scheme + userInfo + host + rest]);
  const defaultPort = DEFAULT_PORTS[scheme.toLowerCase()];
  if (portStart === -1 && defaultPort) variants.add(`${scheme}${userInfo}${host}:${defaultPort}${rest}`);
  return [...variants];
}

/** True when `signature` is Twilio's signature of the request for any accepted URL variant. */
export async function validateSignature(
  authToken: string,
  signature: string | null | undefined,
  url: string,
  params: SignedParams,
): Promise<boolean> {
  if (!authToken || !signature) return false;
  let valid = false;
  // Check every variant even after a match, so timing does not reveal which one matched.
  for (const candidate of urlVariants(url)) {
    const expected = await computeSignature(authToken, candidate, params);
    if (constantTimeEqual(expected, signature)) valid = true;
  }
  return valid;
}
