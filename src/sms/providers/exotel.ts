/**
 * Exotel's SMS API (https://developer.exotel.com/api/sms): POST /v1/Accounts/{sid}/Sms/send.json
 * with Basic auth (API key and token). Every text to an Indian number names the clinic's DLT
 * entity, the registered template it matches and the registered header as `From`.
 * Exotel does not sign its delivery reports, so the StatusCallback URL is signed here
 * (../callback-signature.ts) and checked by /api/sms/exotel-status/.
 */
import { basicAuth, isSafeApiBase, postForm } from "../../twilio/rest.ts";
import { signCallback } from "../callback-signature.ts";
import { countSegments } from "../segments.ts";
import type { DeliveryReport, ProviderResult, SmsProvider } from "./types.ts";

export interface ExotelSettings {
  apiKey: string;
  apiToken: string;
  accountSid: string;
  apiBaseUrl: string;
  entityId: string;
  header: string;
  callbackSecret: string;
}

export const EXOTEL_CALLBACK_PURPOSE = "exotel-sms-status";

/**
 * Detailed status codes that repeat however often the text is sent: an operator's rejection
 * (DND, invalid or blacklisted number, spam, an unregistered header, entity or template).
 * Exotel documents two tables of codes (23005-23083 in the API reference, 30001-30009 "DLT
 * failure codes" in the support pages); both are treated as final.
 */
const PERMANENT_DETAILED_CODES = new Set([23005, 23010, 23015, 23020, 23072, 23080, 23081, 23082, 23083]);
const isDltFailureCode = (code: number) => code >= 30001 && code <= 30009;

export function isPermanentExotelCode(code: number | undefined): boolean {
  return code !== undefined && (PERMANENT_DETAILED_CODES.has(code) || isDltFailureCode(code));
}

interface ExotelSendResponse {
  SMSMessage?: { Sid?: unknown; Status?: unknown; DetailedStatus?: unknown; DetailedStatusCode?: unknown };
  RestException?: { Status?: unknown; Message?: unknown; Code?: unknown };
}

function asNumber(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() ? Number(value) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

export function exotelProvider(settings: ExotelSettings): SmsProvider {
  return {
    name: "exotel",
    needsTemplateIds: true,
    async send(sms, { timeoutMs }): Promise<ProviderResult> {
      if (!isSafeApiBase(settings.apiBaseUrl)) {
        return {
          ok: false,
          retryable: true,
          message: "refused: EXOTEL_API_BASE_URL must be https (http only to loopback)",
        };
      }
      const url = `${settings.apiBaseUrl.replace(/\/+$/, "")}/v1/Accounts/${encodeURIComponent(settings.accountSid)}/Sms/send.json`;
      const form = new URLSearchParams({
        From: settings.header,
        To: sms.to,
        Body: sms.body,
        DltEntityId: settings.entityId,
        DltTemplateId: sms.dltTemplateId ?? "",
        // Service-Implicit content: "transactional" in Exotel's terms.
        SmsType: "transactional",
        EncodingType: countSegments(sms.body).encoding === "UCS-2" ? "unicode" : "plain",
      });
      if (sms.statusCallback) form.set("StatusCallback", sms.statusCallback);
      const posted = await postForm(url, basicAuth(settings.apiKey, settings.apiToken), form, timeoutMs);
      if (!posted.ok) return { ok: false, retryable: true, message: posted.message };
      const response = posted.response;
      let payload: ExotelSendResponse = {};
      try {
        payload = (await response.json()) as ExotelSendResponse;
      } catch {
        // Gateways answer outages with HTML; the status code still says what happened.
      }
      const message = payload.SMSMessage;
      const detailedCode = asNumber(message?.DetailedStatusCode);
      if (response.ok && typeof message?.Sid === "string" && message.Sid) {
        // Accepted, yet already failed (a DND number, say): final, with Exotel's reason.
        if (String(message.Status).startsWith("failed") || isPermanentExotelCode(detailedCode)) {
          return {
            ok: false,
            retryable: false,
            httpStatus: response.status,
            ...(detailedCode !== undefined ? { errorCode: detailedCode } : {}),
            message: `rejected: ${String(message.DetailedStatus ?? message.Status)}`,
          };
        }
        return { ok: true, sid: message.Sid };
      }
      const exception = payload.RestException;
      const code = asNumber(exception?.Code);
      return {
        ok: false,
        // 4xx repeats (a header or template not registered, a bad number); 429 and 5xx pass.
        retryable: response.status === 429 || response.status === 408 || response.status >= 500,
        httpStatus: response.status,
        ...(code !== undefined ? { errorCode: code } : {}),
        message: typeof exception?.Message === "string" ? exception.Message : `HTTP ${response.status}`,
      };
    },
    async statusCallback(publicBase, outboxId) {
      if (!publicBase) return undefined;
      const signature = await signCallback(settings.callbackSecret, EXOTEL_CALLBACK_PURPOSE, outboxId);
      return `${publicBase.replace(/\/+$/, "")}/api/sms/exotel-status/?outbox=${outboxId}&sig=${signature}`;
    },
  };
}

/**
 * An Exotel delivery report (form fields SmsSid, Status, DetailedStatus, DetailedStatusCode)
 * in the outbox's terms, or null when it is not one. Exotel's pages disagree on the statuses:
 * one lists queued, sending, submitted, sent, failed_dnd and failed (with "sent" as a final
 * state), another adds delivered, undelivered and expired; a DELIVERED_TO_HANDSET detail
 * therefore counts as delivered whatever the Status says.
 */
export function exotelDeliveryReport(form: Record<string, string | undefined>): DeliveryReport | null {
  const messageSid = form.SmsSid?.trim();
  const status = form.Status?.trim().toLowerCase();
  if (!messageSid || !status) return null;
  const detail = form.DetailedStatus?.trim().slice(0, 80);
  const code = asNumber(form.DetailedStatusCode);
  const reason = detail ? `${detail}${code !== undefined ? ` (${code})` : ""}` : undefined;
  const base = { messageSid, ...(code !== undefined ? { errorCode: code } : {}) };
  if (status === "delivered" || detail === "DELIVERED_TO_HANDSET") return { ...base, status: "delivered" };
  if (status.startsWith("failed")) return { ...base, status: "failed", reason: reason ?? status };
  if (status === "undelivered" || status === "expired")
    return { ...base, status: "undelivered", reason: reason ?? status };
  if (["queued", "sending", "submitted", "sent"].includes(status)) return { messageSid, status: "sent" };
  return null;
}
