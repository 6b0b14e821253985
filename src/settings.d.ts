// Optional settings with defaults in config.ts. Declared here rather than in wrangler.toml
// [vars], so an unset one means "use the default" (and `wrangler types` does not make them
// required strings). See README "Configuration".
interface Env {
  /** Minutes a freed time stays held for the waiting patient it is offered to (default 15). */
  WAITLIST_HOLD_MINUTES?: string;
  /** Days ahead (today included) a caller who heard no free time waits for one (default 14). */
  WAITLIST_DAYS?: string;
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
  /** "exotel": send through Exotel with DLT template ids; anything else: Twilio. */
  SMS_PROVIDER?: string;
  /** "on"/"off": whether patients can text the line (default: on with Twilio, off with Exotel). */
  SMS_INBOUND?: string;
  /** The number patients call, named in texts (default TWILIO_PHONE_NUMBER). */
  LINE_PHONE_NUMBER?: string;
  DLT_ENTITY_ID?: string;
  DLT_SENDER_HEADER?: string;
  /** JSON: {"booked.kn": "1107..."}, one id per template kind and language. */
  DLT_TEMPLATE_IDS?: string;
  EXOTEL_API_KEY?: string;
  EXOTEL_ACCOUNT_SID?: string;
  /** https://api.exotel.com (Singapore) or https://api.in.exotel.com (Mumbai); a fake in tests. */
  EXOTEL_API_BASE_URL?: string;
  /** Languages offered on Plivo calls (default LANGUAGES); Plivo has no Kannada voice. */
  PLIVO_LANGUAGES?: string;
  /** The Plivo numbers (E.164, comma-separated) this line answers; empty: any number of the account. */
  PLIVO_NUMBERS?: string;
  /** The Plivo account's Auth ID (with PLIVO_AUTH_TOKEN: recorded reasons are fetched and deleted). */
  PLIVO_AUTH_ID?: string;
  /** https://api.plivo.com; a fake in tests. */
  PLIVO_API_BASE_URL?: string;
  /** Languages offered on Exotel calls (default LANGUAGES). */
  EXOTEL_LANGUAGES?: string;
  /** The ExoPhones (E.164, comma-separated) this line answers on Exotel. */
  EXOTEL_NUMBERS?: string;
  /** How long a URL handed to Exotel stays valid (default 900). */
  EXOTEL_URL_TTL_SECONDS?: string;
  /** Exotel's webhook source addresses (comma-separated IPv4 or CIDR); unset: not checked. */
  EXOTEL_SOURCE_IPS?: string;
  /** Outbound calls' provider: twilio (default), plivo, exotel, or log (placed nowhere; `npm run call -- --answer`). */
  OUTBOUND_CALLS?: string;
  /** The reminder call's time the evening before, clinic-local ("18:00"), clamped to 09:00-19:59. */
  REMINDER_CALL_TIME?: string;
  /** Minutes before the one retry of an unanswered reminder call (default 60). */
  REMINDER_CALL_RETRY_MINUTES?: string;
  /** The Plivo number reminder calls come from (E.164). */
  PLIVO_CALLER_ID?: string;
  /** The ExoPhone reminder calls come from. */
  EXOTEL_CALLER_ID?: string;
  /** The Exotel dashboard flow reminder calls are connected to (its applet fetches /api/exotel/outbound/). */
  EXOTEL_CALL_FLOW_URL?: string;
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
    SMS_PROVIDER?: string;
    SMS_INBOUND?: string;
    LINE_PHONE_NUMBER?: string;
    DLT_ENTITY_ID?: string;
    DLT_SENDER_HEADER?: string;
    DLT_TEMPLATE_IDS?: string;
    EXOTEL_API_KEY?: string;
    EXOTEL_ACCOUNT_SID?: string;
    EXOTEL_API_BASE_URL?: string;
    PLIVO_LANGUAGES?: string;
    PLIVO_NUMBERS?: string;
    PLIVO_AUTH_ID?: string;
    PLIVO_API_BASE_URL?: string;
    EXOTEL_LANGUAGES?: string;
    EXOTEL_NUMBERS?: string;
    EXOTEL_URL_TTL_SECONDS?: string;
    EXOTEL_SOURCE_IPS?: string;
    OUTBOUND_CALLS?: string;
    REMINDER_CALL_TIME?: string;
    REMINDER_CALL_RETRY_MINUTES?: string;
    PLIVO_CALLER_ID?: string;
    EXOTEL_CALLER_ID?: string;
    EXOTEL_CALL_FLOW_URL?: string;
  }
}
