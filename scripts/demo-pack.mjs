#!/usr/bin/env node
/**
 * npm run pack:demo: the demo prompt packs (a short tone per clip, made here, never kept in git)
 * installed into the local PROMPTS bucket that `npm start` / wrangler dev use, with a clip for
 * every name of the local directory too. Then start the line with PROMPT_PACKS=kn (or kn,en,hi)
 * in .dev.vars to hear the line play clips instead of the voice: `npm run call` prints each
 * clip played as "line: [play] <url>". Pass --persist-to DIR as for npm start, and
 * --languages kn,en to install only those (npm start installs Kannada's).
 */
import { getPlatformProxy } from "wrangler";
import { nameIn } from "../src/db/display-names.ts";
import { installClips } from "../src/prompts/store.ts";
import { ALL_LANGUAGES } from "../src/words/index.ts";
import { demoPack, requiredKeys } from "../tools/demo-pack.ts";
import { root } from "./local.mjs";

const persistIndex = process.argv.indexOf("--persist-to");
const persist = persistIndex >= 0 ? { path: process.argv[persistIndex + 1] } : true;
const languagesIndex = process.argv.indexOf("--languages");
const languages =
  languagesIndex >= 0
    ? ALL_LANGUAGES.filter((l) => (process.argv[languagesIndex + 1] ?? "").split(",").includes(l))
    : ALL_LANGUAGES;
const { env, dispose } = await getPlatformProxy({ configPath: `${root}/wrangler.toml`, persist });
/** Every name of the local directory in `language` (none before `npm start` has made it). */
async function directoryNames(language) {
  try {
    const names = [];
    for (const table of ["states", "districts", "clinics", "specializations"]) {
      const { results } = await env.DB.prepare(`SELECT name, display_names AS displayNames FROM ${table}`).all();
      names.push(...results.map((r) => nameIn(r, language)));
    }
    const { results } = await env.DB.prepare("SELECT name FROM doctors").all();
    return [...names, ...results.map((r) => r.name)];
  } catch {
    console.warn("No local directory yet (run npm start once): names are left to the voice.");
    return [];
  }
}

try {
  for (const language of languages) {
    const names = await directoryNames(language);
    const report = await installClips(env.PROMPTS, language, demoPack(language, names), requiredKeys(language));
    console.log(`${language}: installed; missing ${report.missing.length}, refused ${report.refused.length}`);
  }
  console.log(
    `\nSet PROMPT_PACKS=${languages.join(",")} in .dev.vars (or --var PROMPT_PACKS:kn) and restart npm start.`,
  );
} finally {
  await dispose();
}
