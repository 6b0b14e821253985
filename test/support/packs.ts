/** Recorded prompt packs in tests: every name the directory can say, as a clinic records them at the desk. */
import { env } from "cloudflare:workers";
import { nameIn } from "../../src/db/display-names.ts";
import type { Language } from "../../src/words/index.ts";

/** Every name the directory can say in `language`: clinics, places, specialities and doctors. */
export async function directoryNames(language: Language = "kn"): Promise<string[]> {
  const names: string[] = [];
  for (const table of ["states", "districts", "clinics", "specializations"]) {
    const { results } = await env.DB.prepare(`SELECT name, display_names AS displayNames FROM ${table}`).all<{
      name: string;
      displayNames: string | null;
    }>();
    names.push(...results.map((r) => nameIn(r, language)));
  }
  const { results } = await env.DB.prepare("SELECT name FROM doctors").all<{ name: string }>();
  return [...names, ...results.map((r) => r.name)];
}
