/**
 * The waitlist offer's call in the call outbox (its row is written by waitlist/offer-call.ts):
 * whether it is still wanted, and the text it leaves behind. One call, no retry (the hold is
 * short): nobody answering, a machine, a refusal or the end of its window sends the text instead, once.
 */
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { CallRow } from "../stores/call-outbox.ts";
import { offerForCall } from "../stores/waitlist.ts";
import { waitlistSmsStatement } from "../waitlist/offer-sms.ts";

/** Whether the row's offer is still worth a call: live with time to answer, and the patient not opted out. */
export async function waitlistCallWanted(db: Db, row: CallRow, now: Date): Promise<"call" | "drop" | "give-up"> {
  const offer = row.waitlistOfferId === null ? null : await offerForCall(db.$client, row.waitlistOfferId);
  if (!offer || offer.outcome !== "offered" || offer.expiresAtMs <= now.getTime()) return "drop";
  if (offer.callsOffAt) return "give-up";
  return now < new Date(row.notAfter) ? "call" : "give-up";
}

/**
 * The text an offer's unanswered (or never placed) call leaves behind: written only if the call's
 * own final transition landed (`guard`) and the offer is still live, so it goes once and never
 * for a time already taken or passed on.
 */
export async function waitlistFallback(
  db: Db,
  config: Config,
  row: CallRow,
  now: Date,
  guard: { sql: string; params: unknown[] },
): Promise<D1PreparedStatement[]> {
  const offer = row.waitlistOfferId === null ? null : await offerForCall(db.$client, row.waitlistOfferId);
  if (!offer) return [];
  const slot = {
    doctorName: offer.doctorName,
    clinic: { name: offer.clinicName, displayNames: offer.clinicDisplayNames, timezone: offer.timezone },
    date: offer.date,
    startMinute: offer.startMinute,
    expiresAtMs: offer.expiresAtMs,
  };
  const condition = {
    from: "waitlist_offers",
    where: `id = ? AND outcome = 'offered' AND expires_at_ms > ? AND ${guard.sql.replace(/\?\d+/g, "?")}`,
    params: [offer.id, now.getTime(), ...guard.params],
  };
  const statement = waitlistSmsStatement(
    db.$client,
    config,
    offer,
    slot,
    { origin: config.publicBaseUrl, now },
    condition,
  );
  return statement ? [statement] : [];
}
