/**
 * Signed delivery-report URLs, for providers that do not sign their requests (Exotel): the URL
 * handed over with each text carries an HMAC of the outbox row it reports on, keyed by
 * SMS_CALLBACK_SECRET. A report whose URL was not made here is refused.
 */
const encoder = new TextEncoder();

async function key(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

function message(purpose: string, outboxId: number): Uint8Array {
  return encoder.encode(`${purpose}:${outboxId}`);
}

function toHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The signature for row `outboxId`'s reports on `purpose` (a route name, so one URL cannot serve another). */
export async function signCallback(secret: string, purpose: string, outboxId: number): Promise<string> {
  return toHex(await crypto.subtle.sign("HMAC", await key(secret), message(purpose, outboxId)));
}

/** Whether `signature` is this row's; compared in constant time by WebCrypto. */
export async function verifyCallback(
  secret: string,
  purpose: string,
  outboxId: number,
  signature: string,
): Promise<boolean> {
  if (!secret || !/^[0-9a-f]{64}$/.test(signature)) return false;
  const bytes = new Uint8Array(signature.match(/../g)!.map((h) => parseInt(h, 16)));
  return crypto.subtle.verify("HMAC", await key(secret), bytes, message(purpose, outboxId));
}
