#!/usr/bin/env node
/**
 * npm start: the line on this machine with demo data, no Twilio account needed.
 * 1. .dev.vars with a local TWILIO_AUTH_TOKEN (signature validation stays on; the local
 *    tools sign with the same token), 2. D1 migrations on the local database,
 * 3. the demo clinics and doctors (idempotent), 4. desk accounts (admin, one desk user per
 *    clinic, a doctor) with new passwords, printed once, 5. wrangler dev, with any extra arguments:
 *    npm start -- --port 9000 --var KEY:VALUE
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
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

const devVars = path.join(root, ".dev.vars");
if (!existsSync(devVars)) {
  copyFileSync(path.join(root, ".dev.vars.example"), devVars);
  console.log("Created .dev.vars from .dev.vars.example (a local auth token; SMS are logged, not sent).");
}

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
  SMS are printed below ([sms log mode]) and kept in the local sms_outbox table.
`);

const dev = spawn(wranglerBin, ["dev", ...passThrough], { cwd: root, stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
