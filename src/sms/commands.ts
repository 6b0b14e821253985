/**
 * What an inbound SMS asks for. Forgiving about case, spaces and punctuation, because it is
 * typed on a basic phone: "cancel", " Cancel. ", "CANCEL ks 2", "cancel KS-2!" all work.
 * STOP/START/HELP are left to Twilio, which handles opt-out keywords itself.
 */
export type SmsCommand = { kind: "cancel"; token?: string } | { kind: "status" } | { kind: "help" };

export function parseSmsCommand(body: string): SmsCommand {
  const text = body
    .normalize("NFKC")
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, "")
    .replace(/\s+/g, " ");
  if (/^(status|list)$/i.test(text)) return { kind: "status" };
  if (/^cancel$/i.test(text)) return { kind: "cancel" };
  const withToken = /^cancel[\s:,.#-]*([a-z]{1,6})[\s.-]*(\d{1,3})$/i.exec(text);
  if (withToken) return { kind: "cancel", token: `${withToken[1]!.toUpperCase()}-${Number(withToken[2])}` };
  return { kind: "help" };
}
