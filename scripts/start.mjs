#!/usr/bin/env node
/**
 * npm start: the line on this machine with demo data, no Twilio account needed.
 * 1. .dev.vars with a random local TWILIO_AUTH_TOKEN and SMS_MODE=log (signature validation
 *    stays on; the local tools sign with the same token), 2. D1 migrations on the local database,
 * 3. the demo clinics and doctors (idempotent), 4. the Kannada demo prompt pack (a tone per clip,
 *    as npm run pack:demo; PROMPT_PACKS=kn in .dev.vars plays it; DEMO_PACKS=off skips it), 5. desk accounts (admin, one desk
 *    user per clinic, a doctor) with new passwords, printed once, 6. wrangler dev, with any extra arguments:
 *    npm start -- --port 9000 --var KEY:VALUE
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createLocalAccounts } from "./desk-accounts.mjs";
import { root, wranglerBin } from "./local.mjs";

const passThrough = process.argv.slice(2);
// A local line needs no network: no Request.cf lookup, no usage metrics.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.WRANGLER_SEND_METRICS ??= "false";
const persistIndex = passThrough.indexOf("--persist-to");
const persistArgs = persistIndex >= 0 ? ["--persist-to", passThrough[persistIndex + 1]] : [];
const portIndex = passThrough.indexOf("--port");
const port = portIndex >= 0 ? passThrough[portIndex + 1] : "8787";

function step(title, args) {
  console.log(`\n> ${title}`);
  const result = spawnSync(wranglerBin, args, { cwd: root, stdio: "inherit", env: { ...process.env, CI: "true" } });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

const devVarsFile = path.join(root, ".dev.vars");
// Tokens once shipped in .dev.vars.example: public, so a .dev.vars still holding them gets new ones.
const PUBLIC_EXAMPLE_TOKENS = new Set(["local-dev-auth-token", "local-staff-token"]);
const randomToken = () => randomBytes(24).toString("base64url");
if (!existsSync(devVarsFile)) {
  writeFileSync(
    devVarsFile,
    [
      "# Written by npm start: random local tokens (npm run call and npm run sms sign with this one).",
      `TWILIO_AUTH_TOKEN=${randomToken()}`,
      "# Local runs print SMS instead of sending them. Remove (and set the TWILIO_* credentials) to send.",
      "SMS_MODE=log",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  console.log("Created .dev.vars with random local tokens (SMS are printed, not sent).");
}
{
  const text = readFileSync(devVarsFile, "utf8");
  const renewed = text.replace(/^(TWILIO_AUTH_TOKEN|STAFF_API_TOKEN)=(.*)$/gm, (line, name, value) =>
    PUBLIC_EXAMPLE_TOKENS.has(value.trim()) ? `${name}=${randomToken()}` : line,
  );
  if (renewed !== text) {
    writeFileSync(devVarsFile, renewed);
    console.log("Replaced the public example tokens in .dev.vars with random ones.");
  }
  // Plivo and Exotel on the local line too (npm run call -- --provider plivo|exotel), added once.
  const providers = [
    ["PLIVO_AUTH_TOKEN", randomToken()],
    // Plivo has no Kannada voice: its local menu offers English and Hindi.
    ["PLIVO_LANGUAGES", "en,hi"],
    ["EXOTEL_URL_SECRET", randomToken()],
    // A made-up ExoPhone for the local line; the terminal phone dials it by default.
    ["EXOTEL_NUMBERS", "+918047100000"],
  ].filter(([name]) => !new RegExp(`^${name}=`, "m").test(renewed));
  if (providers.length > 0) {
    const lines = providers.map(([name, value]) => `${name}=${value}`);
    writeFileSync(
      devVarsFile,
      `${renewed.replace(/\n*$/, "\n")}# Added by npm start: the local line on Plivo and Exotel.\n${lines.join("\n")}\n`,
    );
    console.log(`Added ${providers.map(([name]) => name).join(", ")} to .dev.vars.`);
  }
}
// Log mode is never a silent fall-back: local runs ask for it, unless .dev.vars or --var says otherwise.
const smsModeChosen =
  /^SMS_MODE=/m.test(readFileSync(devVarsFile, "utf8")) || passThrough.some((arg) => arg.startsWith("SMS_MODE:"));
const localVars = smsModeChosen ? [] : ["--var", "SMS_MODE:log"];
// Reminder calls are placed nowhere locally: `npm run call -- --answer` picks them up. --test-scheduled
// lets it (and you: curl localhost:PORT/__scheduled) run the cron at once.
const callsModeChosen =
  /^OUTBOUND_CALLS=/m.test(readFileSync(devVarsFile, "utf8")) ||
  passThrough.some((arg) => arg.startsWith("OUTBOUND_CALLS:"));
if (!callsModeChosen) localVars.push("--var", "OUTBOUND_CALLS:log");

step("Applying D1 migrations to the local database", ["d1", "migrations", "apply", "DB", "--local", ...persistArgs]);
step("Loading the demo clinics and doctors", [
  "d1",
  "execute",
  "DB",
  "--local",
  "--file",
  "seed/demo.sql",
  ...persistArgs,
]);

if (process.env.DEMO_PACKS !== "off") {
  console.log("\n> Installing the Kannada demo prompt pack (npm run pack:demo installs every language's)");
  const demoPack = path.join(root, "scripts", "demo-pack.mjs");
  const packs = spawnSync(process.execPath, [demoPack, "--languages", "kn", ...persistArgs], {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  });
  // The line works without it (the voice speaks): a failure here is said, not fatal.
  if (packs.status !== 0) console.warn("The demo prompt pack was not installed; npm run pack:demo tries again.");
}

console.log("\n> Creating the local desk accounts (new passwords on every start)");
const accounts = createLocalAccounts(persistArgs[1]);
const width = Math.max(...accounts.map((a) => a.username.length));

console.log(`
The clinic desk: http://localhost:${port}/desk   (sign in with one of these)
${accounts.map((a) => `  user: ${a.username.padEnd(width)}  password: ${a.password}   (${a.role}: ${a.what})`).join("\n")}

The clinic booking line is starting on http://localhost:${port}
  Call it:        npm run call${port === "8787" ? "" : ` -- --url http://localhost:${port}`}
  Script a call:  npm run call -- --keys 1,1,1${port === "8787" ? "" : ` --url http://localhost:${port}`}
  Text it:        npm run sms -- "STATUS" --from +919876543210${port === "8787" ? "" : ` --url http://localhost:${port}`}
  Answer its reminder call: npm run call -- --answer${port === "8787" ? "" : ` --url http://localhost:${port}`}   (README, Reminder calls)
  SMS are printed below ([sms log mode]) and kept in the local sms_outbox table.
  Patient page:   http://localhost:${port}/me   (after a call books: npm run patient-password -- +919876543210)
  Recorded prompts: the Kannada demo pack is installed; PROMPT_PACKS=kn in .dev.vars plays it.
`);

const dev = spawn(wranglerBin, ["dev", "--test-scheduled", ...localVars, ...passThrough], {
  cwd: root,
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
