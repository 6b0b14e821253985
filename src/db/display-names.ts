/** Per-language names of places and specialities, stored as JSON beside the stored name. */
import { isLanguage, type Language } from "../words/index.ts";

export type DisplayNames = Partial<Record<Language, string>>;

/** Parses a display_names column; anything malformed is ignored rather than failing a call. */
export function parseDisplayNames(json: string | null | undefined): DisplayNames {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
    const names: DisplayNames = {};
    for (const [language, name] of Object.entries(value))
      if (isLanguage(language) && typeof name === "string" && name.trim()) names[language] = name.trim();
    return names;
  } catch {
    return {};
  }
}

/** The name a speaker of `language` hears: its display name, else the name as stored. */
export function nameIn(item: { name: string; displayNames?: string | null }, language: Language): string {
  return parseDisplayNames(item.displayNames)[language] ?? item.name;
}

/** Every form of an item's name, for matching what a caller says. */
export function allNames(item: { name: string; displayNames?: string | null }): string[] {
  return [item.name, ...Object.values(parseDisplayNames(item.displayNames))];
}
