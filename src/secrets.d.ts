// Secrets are not in wrangler.toml, so `wrangler types` cannot see them: declared here,
// on both the global Env and Cloudflare.Env that worker-configuration.d.ts defines.
interface Env {
  /** Signs and validates every Twilio webhook; authenticates REST calls. Set with `wrangler secret put`. */
  TWILIO_AUTH_TOKEN?: string;
  /** Exotel's API token (the password of its REST API). */
  EXOTEL_API_TOKEN?: string;
  /** Keys the HMAC in delivery-report URLs of providers that do not sign their requests (Exotel). */
  SMS_CALLBACK_SECRET?: string;
  /** "on": count round trips per request in an X-Round-Trips header (benchmark and tests only). */
  ROUND_TRIP_PROBE?: string;
  /** With the probe: delays per hop, e.g. "d1=50,do=20" (the benchmark's production model). */
  LATENCY_MODEL?: string;
  /** Workers AI; optional on purpose (see wrangler.toml): absent locally and in tests, the fallbacks run. */
  AI?: Ai;
}
declare namespace Cloudflare {
  interface Env {
    TWILIO_AUTH_TOKEN?: string;
    EXOTEL_API_TOKEN?: string;
    SMS_CALLBACK_SECRET?: string;
    ROUND_TRIP_PROBE?: string;
    LATENCY_MODEL?: string;
    AI?: Ai;
  }
}
// The Indian providers (see providers/settings.ts and the README's settings table).
interface Env {
  /** Plivo's auth token: validates X-Plivo-Signature-V3 on every Plivo webhook. */
  PLIVO_AUTH_TOKEN?: string;
  /** Exotel does not sign: this keys the entry URLs and signs every URL the line hands Exotel. */
  EXOTEL_URL_SECRET?: string;
}
declare namespace Cloudflare {
  interface Env {
    PLIVO_AUTH_TOKEN?: string;
    EXOTEL_URL_SECRET?: string;
  }
}
