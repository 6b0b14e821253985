/**
 * X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + concat(sorted name+value))).
 * Validation accepts the same URL variants as twilio-node's validateRequest:
 * the URL as given, with the scheme's default port added, and with any port removed
 * (Twilio signs whichever form it was configured with, and proxies drop or add ports).
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

const DEFAULT_PORTS: Record<string, string> = { "https:": "443", "http:": "80" };

/** The URL forms twilio-node accepts for one request URL. */
export function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const variants = new Set<string>([url]);
  const defaultPort = DEFAULT_PORTS[parsed.protocol];
  // WHATWG URL drops a default port when it is set, so splice it in by hand.
  const authority = `${parsed.protocol}//${parsed.username ? `${parsed.username}:${parsed.password}@` : ""}`;
  const rest = parsed.pathname + parsed.search + parsed.hash;
  variants.add(authority + parsed.hostname + rest);
  if (parsed.port) {
    variants.add(authority + parsed.hostname + ":" + parsed.port + rest);
  } else if (defaultPort) {
    variants.add(authority + parsed.hostname + ":" + defaultPort + rest);
  }
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
