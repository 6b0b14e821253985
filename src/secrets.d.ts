// Secrets are not in wrangler.toml, so `wrangler types` cannot see them: declared here,
// on both the global Env and Cloudflare.Env that worker-configuration.d.ts defines.
interface Env {
  /** Signs and validates every Twilio webhook; authenticates REST calls. Set with `wrangler secret put`. */
  TWILIO_AUTH_TOKEN?: string;
}
declare namespace Cloudflare {
  interface Env {
    TWILIO_AUTH_TOKEN?: string;
  }
}
