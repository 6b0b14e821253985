#!/usr/bin/env node
/**
 * npm run sms-templates: every SMS template in every language, as a clinic registers it on an
 * operator's DLT portal: the content with {#var#} placeholders, the category, the variables'
 * types and a sample. After registering, put each template id the portal gives into
 * DLT_TEMPLATE_IDS as "kind.language": "id" (README, "Sending SMS in India").
 * --inbound: include the texts used only where patients can text the line (SMS_INBOUND=on).
 * --json: the same as JSON, for tools.
 */
import { ALL_LANGUAGES } from "../src/words/index.ts";
import {
  dltText,
  INBOUND_ONLY,
  sampleText,
  TEMPLATE_KEYS,
  TEMPLATE_VARIABLES,
  VARIABLES,
} from "../src/sms/templates/index.ts";

const inbound = process.argv.includes("--inbound");
const keys = TEMPLATE_KEYS.filter((key) => inbound || !INBOUND_ONLY.has(key));
const rows = ALL_LANGUAGES.flatMap((language) =>
  keys.map((key) => ({
    id: `${key}.${language}`,
    language,
    category: "Service Implicit",
    content: dltText(key, language),
    variables: TEMPLATE_VARIABLES[key].map(
      (name) => `${name}: ${VARIABLES[name].dltType}, up to ${VARIABLES[name].max}`,
    ),
    sample: sampleText(key, language),
    type: language === "en" ? "Text" : "Unicode",
  })),
);

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(
    `${rows.length} templates (${keys.length} kinds x ${ALL_LANGUAGES.length} languages)${inbound ? "" : "; add --inbound for the texts used only with SMS_INBOUND=on"}.\n` +
      "Register each on the DLT portal under your entity and sender header, then set DLT_TEMPLATE_IDS.\n",
  );
  for (const row of rows) {
    console.log(`== ${row.id}  (category: ${row.category}, type: ${row.type})`);
    console.log(`content:   ${row.content}`);
    if (row.variables.length) console.log(`variables: ${row.variables.join("; ")}`);
    console.log(`sample:    ${row.sample}\n`);
  }
}
