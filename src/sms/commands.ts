/**
 * What an inbound SMS asks for. Forgiving about case, spaces and punctuation, because it is
 * typed on a basic phone: "cancel", " Cancel. ", "CANCEL ks 2", "cancel KS-2!", "cancel k s 6" all
 * work, and so does every token the line issues (1-3 letters, up to 4 digits).
 * STOP/START/HELP are left to Twilio, which handles opt-out keywords itself.
 */
import { parseToken } from "../booking/token.ts";

export type SmsCommand = { kind: "cancel"; token?: string } | { kind: "status" } | { kind: "help" };

export function parseSmsCommand(body: string): SmsCommand {
  const text = body
    .normalize("NFKC")
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, "")
    .replace(/\s+/g, " ");
  if (/^(status|list)$/i.test(text)) return { kind: "status" };
  if (/^cancel$/i.test(text)) return { kind: "cancel" };
  const withToken = /^cancel[\s:,.#-]*(.+)$/i.exec(text);
  const token = withToken && parseToken(withToken[1]!);
  if (token) return { kind: "cancel", token };
  return { kind: "help" };
}
