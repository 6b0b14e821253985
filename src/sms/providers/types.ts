import type { SendResult } from "../../twilio/rest.ts";

/**
 * What the outbox needs from an SMS provider: send one text, and say where its delivery
 * reports go. A provider is one file in this folder (twilio.ts, exotel.ts); the outbox, queue,
 * retries, policy and budget are the same for all of them.
 */

/** One text to hand over. `dltTemplateId` is set for providers that need one (Indian DLT). */
export interface ProviderSms {
  to: string;
  body: string;
  dltTemplateId?: string;
  statusCallback?: string;
}

/** Sent (the provider's id for the message), or why not: retryable or final, as Twilio's client says it. */
export type ProviderResult = { ok: true; sid: string } | Extract<SendResult, { ok: false }>;

export interface SmsProvider {
  name: "twilio" | "exotel";
  /** Texts must name a registered DLT template: a row without one is blocked, never sent as free text. */
  needsTemplateIds: boolean;
  send(sms: ProviderSms, options: { timeoutMs: number }): Promise<ProviderResult>;
  /** Where the provider reports delivery of outbox row `outboxId`, or undefined when no public address is known. */
  statusCallback(publicBase: string, outboxId: number): Promise<string | undefined>;
}

/** A delivery report in the outbox's terms, whatever the provider called it. */
export interface DeliveryReport {
  messageSid: string;
  status: "sent" | "delivered" | "undelivered" | "failed";
  errorCode?: number;
  /** The provider's reason for a failure ("FAILED_DND"), shown at the desk. */
  reason?: string;
}
