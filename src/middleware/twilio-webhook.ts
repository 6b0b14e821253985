/**
 * Guards every Twilio-facing route: only form posts of sane size, signed with our auth
 * token over the exact URL Twilio requested. Anything else is refused before any state is
 * read or changed. There is no switch to turn this off: local tools sign their requests.
 *
 * The body is bounded before it is buffered: a request must declare its length (Twilio's
 * do), and the stream is read with a running count that stops at the limit, so an unsigned
 * chunked upload of any size costs at most the limit in memory.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { log } from "../log.ts";
import { validateSignature, type SignedParams } from "../twilio/signature.ts";

/** Twilio's webhook bodies are a few KB; anything much larger is not Twilio. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The URL Twilio requested: behind a proxy, PUBLIC_BASE_URL replaces the origin the Worker saw. */
export function publicUrl(requestUrl: string, publicBaseUrl: string): string {
  if (!publicBaseUrl) return requestUrl;
  const url = new URL(requestUrl);
  return publicBaseUrl.replace(/\/+$/, "") + url.pathname + url.search;
}

/** Reads at most `limit` bytes of a body; null (and the stream cancelled) past the limit. */
export async function readBounded(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel("body over the limit").catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Form fields by name, in a Map: a field called `__proto__`, `constructor` or `toString` is
 * just a name here, never an inherited property.
 */
export function parseForm(raw: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(raw)) {
    const values = fields.get(name);
    if (values) values.push(value);
    else fields.set(name, [value]);
  }
  return fields;
}

/** A plain record with no prototype, so no parameter name can collide with Object's members. */
function bareRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [name, value] of entries) record[name] = value;
  return record;
}

/** A webhook's body as text, bounded (a declared length within the limit, counted while reading), or the response refusing it. */
export async function boundedText(c: Context<AppEnv>): Promise<string | Response> {
  const declared = c.req.header("content-length");
  if (declared === undefined) {
    // The providers declare their bodies' length; if a deploy ever sees real webhooks here, this says why.
    log.warn("refused webhook without Content-Length", { path: new URL(c.req.url).pathname });
    return c.text("Length Required", 411);
  }
  if (!/^\d+$/.test(declared)) return c.text("Bad Request: Content-Length", 400);
  if (Number(declared) > MAX_BODY_BYTES) return c.text("Payload Too Large", 413);
  // The declared length may lie: the count while reading is what holds.
  const bytes = await readBounded(c.req.raw.body, MAX_BODY_BYTES);
  if (bytes === null) return c.text("Payload Too Large", 413);
  return new TextDecoder().decode(bytes);
}

/**
 * A webhook's form body, bounded and checked (form posts of sane size with a declared length),
 * or the response refusing it. Shared by every provider's guard; `provider` names who posts here.
 */
export async function boundedForm(c: Context<AppEnv>, provider: string): Promise<Map<string, string[]> | Response> {
  const contentType = c.req.header("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return c.text(`Unsupported Media Type: ${provider} posts application/x-www-form-urlencoded`, 415);
  }
  const text = await boundedText(c);
  return text instanceof Response ? text : parseForm(text);
}

/** The first value of each field, in a record no parameter name can collide with. */
export function firstValues(fields: Map<string, string[]>): Record<string, string> {
  return bareRecord([...fields].map(([name, values]): [string, string] => [name, values[0]!]));
}

export const twilioWebhook = createMiddleware<AppEnv>(async (c, next) => {
  // Several routers under /api/ivr use this guard; the body is read (and checked) once.
  if (c.var.params) return next();
  const { config } = c.var;
  if (c.req.method !== "POST") return c.text("Method Not Allowed: Twilio webhooks are POST", 405, { Allow: "POST" });
  const fields = await boundedForm(c, "Twilio");
  if (fields instanceof Response) return fields;

  if (!config.authToken) {
    log.error("TWILIO_AUTH_TOKEN is not configured: refusing every webhook until it is set");
    return c.text("Forbidden", 403);
  }
  const url = publicUrl(c.req.url, config.publicBaseUrl);
  const signed: SignedParams = bareRecord(
    [...fields].map(([name, values]): [string, string | string[]] => [name, values.length === 1 ? values[0]! : values]),
  );
  const ok = await validateSignature(config.authToken, c.req.header("x-twilio-signature"), url, signed);
  if (!ok) {
    log.warn("rejected unsigned or mis-signed webhook", { method: c.req.method, path: new URL(c.req.url).pathname });
    return c.text("Forbidden", 403);
  }
  // Repeated names are unusual from Twilio; the first value is the one the flow reads.
  c.set("params", firstValues(fields));
  await next();
});
