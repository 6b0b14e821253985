#!/usr/bin/env node
/**
 * npm run call: a terminal phone for the local line. It calls the line as Twilio does (signed
 * requests, Twilio's parameters), or with --provider plivo|exotel as Plivo (X-Plivo-Signature-V3,
 * CallUUID, Plivo XML) or Exotel (the keyed entry URL, then the line's signed URLs, ExoML) does;
 * prints what the line says with the language and voice of each <Say>/<Speak>, sends your key
 * presses (or words, as Twilio's speech recogniser would hear them), and when the call ends
 * shows the SMS it produced.
 *
 *   npm run call                                  interactive: type keys or words, Enter alone = silence
 *   npm run call -- --keys 1,1,1                  scripted (an empty item is silence)
 *   npm run call -- --keys "2,say:Puttur,1"       "say:" speaks instead of pressing keys
 *   npm run call -- --from +919812345678 --url http://localhost:9000
 *   npm run call -- --provider exotel --keys 4,1,1   as Exotel would (ExoPhone +918047100000 by default)
 *   npm run call -- --provider plivo                 as Plivo would (English and Hindi: no Kannada voice)
 *   npm run call -- --provider exotel --print-urls --url https://WORKER --to +91... --token SECRET
 *                                                    the ExoPhone's keyed entry and status URLs, for Exotel's dashboard
 *   npm run call -- --answer [--from +91...]     answers the line's outbound call (a reminder call) as the patient's
 *                                                phone: runs the local cron once, then picks up the newest call the
 *                                                line placed (OUTBOUND_CALLS=log: placed nowhere, ringing locally)
 */
import { createInterface } from "node:readline/promises";
import { DIALECTS } from "../tools/dialects.ts";
import { outboundKey } from "../src/providers/exotel-urls.ts";
import { SimulatedCall } from "../tools/twilio-caller.ts";
import { normalizePhone } from "../src/patients/phone.ts";
import { localQuery, parseArgs, providerSecret } from "./local.mjs";

const USAGE = `Usage: npm run call -- [--provider twilio|plivo|exotel] [--keys 1,1,2] [--from +919876543210] [--to NUMBER] [--url http://localhost:8787] [--token T] [--persist-to DIR]`;
const { options, positional } = parseArgs(process.argv.slice(2), [
  "keys",
  "from",
  "url",
  "token",
  "to",
  "persist-to",
  "provider",
]);
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const provider = options.provider ?? "twilio";
const dialect = DIALECTS[provider];
if (!dialect) {
  console.error(`--provider takes twilio, plivo or exotel (got "${provider}")`);
  process.exit(2);
}
const url = options.url ?? "http://localhost:8787";
if (positional.includes("--print-urls")) {
  // What an operator pastes into the provider's dashboard (for Exotel, keyed with the URL secret).
  const secret = providerSecret(provider, options.token);
  const to = options.to ?? dialect.defaultTo;
  console.log(`entry:  ${await dialect.entryUrl(url, secret, to)}`);
  console.log(`status: ${await dialect.statusUrl(url, secret)}`);
  // The reminder call's flow (EXOTEL_CALL_FLOW_URL) fetches this from its applet.
  if (provider === "exotel")
    console.log(
      `outbound (reminder call flow): ${url.replace(/\/+$/, "")}/api/exotel/outbound/?k=${await outboundKey(secret)}`,
    );
  process.exit(0);
}
const answering = positional.includes("--answer");
const from = options.from ?? "+919876543210";
const script = options.keys === undefined ? null : options.keys.split(",").map((k) => k.trim());
const KEYS = /^[0-9*#]*$/;
const SPEECH = /^say:(.+)$/;
if (script && script.some((k) => !KEYS.test(k) && !SPEECH.test(k))) {
  console.error(`--keys takes digits, * and #, or say:words, separated by commas (got "${options.keys}")`);
  process.exit(2);
}

/**
 * The newest call the local line placed and is ringing (OUTBOUND_CALLS=log), after one cron run;
 * with --from, the newest to that number. Waits up to ~20 s for the cron to place it.
 */
async function ringingCall() {
  // wrangler dev --test-scheduled (npm start) runs the cron on this request; elsewhere it is a 404, and the next minute's cron places it.
  await fetch(new URL("/__scheduled?cron=*+*+*+*+*", url)).catch(() => undefined);
  const to = options.from ? normalizePhone(options.from) : null;
  const query = `SELECT id, to_number AS "to", language, calls, provider_call_id AS sid FROM call_outbox
    WHERE status = 'ringing' AND provider = 'log'${to ? ` AND to_number = '${to}'` : ""} ORDER BY id DESC LIMIT 1`;
  for (let i = 0; i < 40; i++) {
    const [row] = localQuery(query, options["persist-to"]);
    if (row) return row;
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}

let call;
let patient = from;
if (answering) {
  const ringing = await ringingCall();
  if (!ringing) {
    console.error(
      "No call from the line is ringing. The line calls the evening before an appointment, within calling hours,\n" +
        "at a clinic with reminder calls on, when started with OUTBOUND_CALLS=log (npm start does): see README, Reminder calls.",
    );
    process.exit(1);
  }
  patient = ringing.to;
  const query = `?o=${ringing.id}&n=${ringing.calls}&lang=${ringing.language}`;
  call = new SimulatedCall({
    baseUrl: url,
    authToken: providerSecret("twilio", options.token),
    from: options.to ?? "+15005550006",
    to: ringing.to,
    callSid: ringing.sid,
    voicePath: `/api/ivr/outbound/${query}`,
    statusUrl: new URL(`/api/ivr/outbound-status/${query}`, url).toString(),
    outbound: true,
  });
  console.log(`The line is calling ${ringing.to}: answering (call id ${ringing.sid})\n`);
} else {
  call = new SimulatedCall({
    baseUrl: url,
    authToken: providerSecret(provider, options.token),
    dialect,
    from,
    ...(options.to ? { to: options.to } : {}),
  });
}
const startedAt = new Date(Date.now() - 1000).toISOString();
// Each <Say> with its language and voice, so a wrong pairing (which fails a real call) shows.
const show = (turn) =>
  turn.utterances.forEach((u) =>
    console.log(u.voice ? `  line [${u.language} ${u.voice}]: ${u.text}` : `  line: ${u.text}`),
  );
/** Keys, or words said to a Gather that listens for speech. */
const answer = (input) => {
  const spoken = SPEECH.exec(input);
  return spoken ? call.speak(spoken[1].trim()) : call.press(input);
};

if (!answering) console.log(`Calling ${url} from ${from} as ${provider} would (call id ${call.callSid})\n`);
let turn;
try {
  turn = await call.dial(answering ? { AnsweredBy: "human" } : {});
} catch (error) {
  console.error(`Could not reach the line at ${url}: ${error.message}\nIs it running? Start it with: npm start`);
  process.exit(1);
}
show(turn);

const rl = script ? null : createInterface({ input: process.stdin, output: process.stdout });
let step = 0;
while (!call.ended) {
  let keys;
  if (script) {
    if (step >= script.length) {
      console.log("\n(the key script is over: hanging up)");
      break;
    }
    keys = script[step++];
    console.log(`  you:  ${keys === "" ? "(silence)" : keys}`);
  } else {
    keys = (await rl.question("  keys or words (Enter alone = silence)> ")).trim();
    // Anything that is not keys is taken as speech.
    if (!KEYS.test(keys)) keys = `say:${keys}`;
  }
  show(await answer(keys));
}
rl?.close();
if (call.ended) console.log("\nThe line hung up.");
// As the provider does when a call ends: the status callback, so a time still held is free at once.
await call.hangUp().catch((error) => console.error(`status callback failed: ${error.message}`));

// The SMS the call produced, from the local outbox (only meaningful for a local line).
const phone = normalizePhone(patient);
if (phone && /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?/.test(url)) {
  const query = `SELECT id, purpose, status, body FROM sms_outbox WHERE to_number = '${phone}' AND created_at >= '${startedAt}' ORDER BY id`;
  let rows = [];
  // Up to ~20 s: on a loaded two-core machine the local queue can take a while to deliver.
  for (let i = 0; i < 40; i++) {
    try {
      rows = localQuery(query, options["persist-to"]);
    } catch (error) {
      // The running line may hold the SQLite write lock for a moment (the job queue at work).
      if (!/database is locked|SQLITE_BUSY/.test(error.message) || i === 39) throw error;
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    // The queue delivers a moment after the booking; wait until every row is settled.
    if (rows.every((r) => r.status !== "pending" && r.status !== "sending")) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(rows.length ? `\nSMS to ${phone} from this call:` : `\nNo SMS to ${phone} from this call.`);
  for (const row of rows) console.log(`  [${row.purpose}, ${row.status}] ${row.body}`);
}
