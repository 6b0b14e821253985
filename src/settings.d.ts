// Optional settings with defaults in config.ts. Declared here rather than in wrangler.toml
// [vars], so an unset one means "use the default" (and `wrangler types` does not make them
// required strings). See README "Configuration".
interface Env {
  /** Languages whose recorded prompt pack (in the PROMPTS bucket) plays instead of the voice, e.g. "kn". */
  PROMPT_PACKS?: string;
  /** Recorded prompt packs and the clinic's recorded names (R2; README "Recorded prompts"). */
  PROMPTS?: R2Bucket;
  /** "log" prints SMS instead of sending them (local runs); anything else sends through Twilio. */
  SMS_MODE?: string;
  /** Comma-separated country calling codes outbound SMS may go to, e.g. "+91". */
  SMS_ALLOWED_COUNTRY_CODES?: string;
  /** Most SMS handed to Twilio per UTC day; past it, SMS are blocked and an alert is logged. */
  SMS_DAILY_BUDGET?: string;
  /** Replies one sender may get to inbound SMS per hour; later texts are stored, not answered. */
  SMS_REPLIES_PER_SENDER_PER_HOUR?: string;
  RETENTION_CALL_LOG_DAYS?: string;
  RETENTION_SMS_INBOUND_DAYS?: string;
  RETENTION_SMS_OUTBOX_DAYS?: string;
  RETENTION_SMS_BODY_HOURS?: string;
}
declare namespace Cloudflare {
  interface Env {
    PROMPT_PACKS?: string;
    PROMPTS?: R2Bucket;
    SMS_MODE?: string;
    SMS_ALLOWED_COUNTRY_CODES?: string;
    SMS_DAILY_BUDGET?: string;
    SMS_REPLIES_PER_SENDER_PER_HOUR?: string;
    RETENTION_CALL_LOG_DAYS?: string;
    RETENTION_SMS_INBOUND_DAYS?: string;
    RETENTION_SMS_OUTBOX_DAYS?: string;
    RETENTION_SMS_BODY_HOURS?: string;
  }
}
