/** Twilio: free text from a phone number (no DLT templates); delivery reports signed by Twilio. */
import { sendSms, type TwilioCredentials } from "../../twilio/rest.ts";
import type { SmsProvider } from "./types.ts";

export function twilioProvider(credentials: TwilioCredentials, from: string): SmsProvider {
  return {
    name: "twilio",
    needsTemplateIds: false,
    async send(sms, { timeoutMs }) {
      const result = await sendSms(
        credentials,
        { to: sms.to, from, body: sms.body, ...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {}) },
        { timeoutMs },
      );
      return result.ok ? { ok: true, sid: result.sid } : result;
    },
    async statusCallback(publicBase, outboxId) {
      if (!publicBase) return undefined; // Twilio cannot reach a URL we do not know
      return `${publicBase.replace(/\/+$/, "")}/api/sms/status/?outbox=${outboxId}`;
    },
  };
}
