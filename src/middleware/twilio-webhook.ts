/**
 * Guards every Twilio-facing route: only form posts of sane size, signed with our auth
 * token over the exact URL Twilio requested. Anything else is refused before any state is
 * read or changed. There is no switch to turn this off: local tools sign their requests.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import { log } from "../log.ts";
import { validateSignature } from "../twilio/signature.ts";

/** Twilio's webhook bodies are a few KB; anything much larger is not Twilio. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The URL Twilio requested: behind a proxy, PUBLIC_BASE_URL replaces the origin the Worker saw. */
export function publicUrl(requestUrl: string, publicBaseUrl: string): string {
  if (!publicBaseUrl) return requestUrl;
  const url = new URL(requestUrl);
  return publicBaseUrl.replace(/\/+$/, "") + url.pathname + url.search;
}

export const twilioWebhook = createMiddleware<AppEnv>(async (c, next) => {
  const { config } = c.var;
  if (c.req.method !== "POST") return c.text("Method Not Allowed: Twilio webhooks are POST", 405, { Allow: "POST" });
  const contentType = c.req.header("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return c.text("Unsupported Media Type: Twilio posts application/x-www-form-urlencoded", 415);
  }
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return c.text("Payload Too Large", 413);
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MAX_BODY_BYTES) return c.text("Payload Too Large", 413);
  const raw = new TextDecoder().decode(bytes);
  if (raw.length > MAX_BODY_BYTES) return c.text("Payload Too Large", 413);

  const form = new URLSearchParams(raw);
  const signed: Record<string, string[]> = {};
  for (const [name, value] of form) (signed[name] ??= []).push(value);

  if (!config.authToken) {
    log.error("TWILIO_AUTH_TOKEN is not configured: refusing every webhook until it is set");
    return c.text("Forbidden", 403);
  }
  const url = publicUrl(c.req.url, config.publicBaseUrl);
  const ok = await validateSignature(
    config.authToken,
    c.req.header("x-twilio-signature"),
    url,
    Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])),
  );
  if (!ok) {
    log.warn("rejected unsigned or mis-signed webhook", { method: c.req.method, path: new URL(c.req.url).pathname });
    return c.text("Forbidden", 403);
  }
  // Repeated names are unusual from Twilio; the first value is the one the flow reads.
  c.set("params", Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, v[0]!])));
  await next();
});
