#!/usr/bin/env node
/**
 * npm run sms: texts the local line as Twilio delivers an inbound SMS (signed), and prints
 * the reply.   npm run sms -- "CANCEL" --from +919876543210 [--url http://localhost:8787]
 */
import { randomSid, signedPost } from "../tools/twilio-caller.ts";
import { parseTwiml, textOf } from "../tools/twiml-reader.ts";
import { authToken, parseArgs } from "./local.mjs";

const { options, positional } = parseArgs(process.argv.slice(2), ["from", "url", "token", "to"]);
if (options.help || positional.length === 0) {
  console.log('Usage: npm run sms -- "CANCEL" [--from +919876543210] [--url http://localhost:8787] [--token T]');
  process.exit(options.help ? 0 : 2);
}
const url = new URL("/api/sms/incoming/", options.url ?? "http://localhost:8787").toString();
const sid = randomSid("SM");
const params = {
  AccountSid: "AC00000000000000000000000000000000",
  ApiVersion: "2010-04-01",
  Body: positional.join(" "),
  From: options.from ?? "+919876543210",
  MessageSid: sid,
  NumMedia: "0",
  NumSegments: "1",
  SmsMessageSid: sid,
  SmsSid: sid,
  SmsStatus: "received",
  To: options.to ?? "+15005550006",
};
let response;
try {
  response = await signedPost((u, init) => fetch(u, init), authToken(options.token), url, params);
} catch (error) {
  console.error(`Could not reach the line at ${url}: ${error.message}\nIs it running? Start it with: npm start`);
  process.exit(1);
}
const body = await response.text();
if (response.status !== 200) {
  console.error(`The line answered HTTP ${response.status}: ${body}`);
  process.exit(1);
}
const replies = parseTwiml(body).children.filter((c) => typeof c !== "string" && c.name === "Message");
console.log(`you (${params.From}): ${params.Body}`);
for (const reply of replies) console.log(`line: ${textOf(reply)}`);
if (replies.length === 0) console.log("(no reply)");
