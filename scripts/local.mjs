// Shared by the local tools: where things are, the local auth token, and wrangler itself.
import { spawnSync } from "node:child_process";
import { pbkdf2Sync, randomBytes, randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");

/** Reads KEY=value lines from .dev.vars (what wrangler dev gives the Worker). */
export function devVars() {
  const file = path.join(root, ".dev.vars");
  if (!existsSync(file)) return {};
  const vars = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) vars[match[1]] = match[2].replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/** The token local requests are signed with: --token, then $TWILIO_AUTH_TOKEN, then .dev.vars. */
export function authToken(explicit) {
  const token = explicit || process.env.TWILIO_AUTH_TOKEN || devVars().TWILIO_AUTH_TOKEN;
  if (!token) {
    console.error("No TWILIO_AUTH_TOKEN: run `npm start` once (it writes .dev.vars), or pass --token.");
    process.exit(2);
  }
  return token;
}

/** Each provider's local secret in .dev.vars: what `npm run call -- --provider X` signs (or keys) with. */
const PROVIDER_SECRETS = { twilio: "TWILIO_AUTH_TOKEN", plivo: "PLIVO_AUTH_TOKEN", exotel: "EXOTEL_URL_SECRET" };

/** The secret a provider's local requests use: --token, then the environment, then .dev.vars. */
export function providerSecret(provider, explicit) {
  if (provider === "twilio") return authToken(explicit);
  const name = PROVIDER_SECRETS[provider];
  const secret = explicit || process.env[name] || devVars()[name];
  if (!secret) {
    console.error(`No ${name}: run \`npm start\` once (it adds one to .dev.vars), or pass --token.`);
    process.exit(2);
  }
  return secret;
}

/** Minimal --flag value parsing; the rest are positional. */
export function parseArgs(argv, flags) {
  const options = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") ? (eq > 0 ? arg.slice(2, eq) : arg.slice(2)) : null;
    if (name && flags.includes(name)) {
      options[name] = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (options[name] === undefined) throw new Error(`--${name} needs a value`);
    } else if (arg === "--help" || arg === "-h") {
      options.help = true;
    } else {
      positional.push(arg);
    }
  }
  return { options, positional };
}

/** Runs a query on the local D1 database (the one `npm start` serves) and returns its rows. */
export function localQuery(sql, persistTo) {
  const args = ["d1", "execute", "DB", "--local", "--json", "--command", sql];
  if (persistTo) args.push("--persist-to", persistTo);
  const result = spawnSync(wranglerBin, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed: ${result.stderr || result.stdout}`);
  const parsed = JSON.parse(result.stdout);
  return parsed[0]?.results ?? [];
}

// The same alphabet and hash as src/patients/password.ts: no 0/O, 1/l/I.
const PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const PASSWORD_ITERATIONS = 100_000;

/** A random password for a local account (desk users, a patient's temporary one). */
export function newLocalPassword(length) {
  return Array.from({ length }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join("");
}

/** PBKDF2-SHA256 as the Worker stores it: hex hash and salt. */
export function hashLocalPassword(password) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, PASSWORD_ITERATIONS, 32, "sha256").toString("hex");
  return { hash, salt: salt.toString("hex"), iterations: PASSWORD_ITERATIONS };
}

/** Runs SQL statements on the local D1 database from a temporary file (kept out of the process list). */
export function executeLocalSql(sql, persistTo, what) {
  const dir = mkdtempSync(path.join(tmpdir(), "local-sql-"));
  try {
    const file = path.join(dir, "statements.sql");
    writeFileSync(file, sql);
    const args = ["d1", "execute", "DB", "--local", "--file", file, ...(persistTo ? ["--persist-to", persistTo] : [])];
    const result = spawnSync(wranglerBin, args, {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    });
    if (result.status !== 0) throw new Error(`${what} failed: ${result.stderr || result.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes a generated file, or with --check (CI) fails when the checked-in copy differs from
 * what would be generated: `command` is what to run to bring it up to date.
 */
export function writeOrCheck(target, content, command) {
  const name = path.relative(root, target);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {
      // missing counts as stale
    }
    if (current !== content) {
      console.error(`${name} is stale: run \`${command}\` and commit it.`);
      process.exit(1);
    }
    console.log(`${name} is up to date.`);
  } else {
    writeFileSync(target, content);
    console.log(`wrote ${name}`);
  }
}
