/**
 * Twilio's size limits hold whatever the data says: one Polly <Say> carries at most 3,000
 * characters (longer text becomes several), a document stays under 64 KB, an SMS reply
 * under 1,600 characters. And the names callers hear are capped where they are written.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_SAY_CHARS, renderTwiml, splitForSay, type Voice } from "../src/twilio/twiml.ts";
import { parseTwiml, textOf, twimlProblems, type TwimlElement } from "../tools/twiml-reader.ts";

const VOICE: Voice = { voice: "Polly.Raveena", language: "en-IN" };
const TWILIO_MAX_DOCUMENT = 64 * 1024;

function says(root: TwimlElement): string[] {
  const out: string[] = [];
  const walk = (el: TwimlElement) => {
    if (el.name === "Say") out.push(textOf(el));
    for (const child of el.children) if (typeof child !== "string") walk(child);
  };
  walk(root);
  return out;
}

describe("splitForSay", () => {
  it("cuts at spaces into pieces of at most the limit, losing nothing but the spaces it cut at", () => {
    const words = Array.from({ length: 2000 }, (_, i) => `word${i}`).join(" ");
    const pieces = splitForSay(words);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(MAX_SAY_CHARS);
    expect(pieces.join(" ")).toBe(words);
  });

  it("cuts text with no spaces hard, never inside a surrogate pair", () => {
    const pieces = splitForSay("😀".repeat(2000));
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(MAX_SAY_CHARS);
      expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
    expect(pieces.join("")).toBe("😀".repeat(2000));
  });
});

describe("renderTwiml within Twilio's limits", () => {
  it.each([
    ["ASCII", "Clinic ".repeat(4300)],
    ["Kannada (3 bytes a character)", "ಕ್ಲಿನಿಕ್ ".repeat(3800)],
    ["markup that escapes to 6x", `"'<>& `.repeat(5000)],
  ])("a 30,000-character %s text: several <Say>s of at most 3,000 characters, a document under 64 KB", (_, text) => {
    const xml = renderTwiml([
      {
        kind: "Gather",
        action: "/api/ivr/handle-clinic/",
        input: "dtmf",
        voice: VOICE,
        children: [{ kind: "Say", text: `For ${text}, press 1.`, voice: VOICE }],
      },
      { kind: "Say", text, voice: VOICE },
      { kind: "Hangup" },
    ]);
    expect(new TextEncoder().encode(xml).length).toBeLessThan(TWILIO_MAX_DOCUMENT);
    const root = parseTwiml(xml);
    expect(twimlProblems(root, "voice")).toEqual([]);
    const spoken = says(root);
    expect(spoken.length).toBeGreaterThan(2);
    for (const say of spoken) expect(say.length).toBeLessThanOrEqual(MAX_SAY_CHARS);
    expect(xml).toContain("<Hangup/>");
  });

  it("an SMS reply is cut to 1,600 characters", () => {
    const root = parseTwiml(renderTwiml([{ kind: "Message", body: "x".repeat(5000) }]));
    expect(textOf(root.children[0] as TwimlElement)).toHaveLength(1600);
  });
});

describe("names are capped where they are written", () => {
  it.each([
    ["states", "name", 120],
    ["districts", "name", 120],
    ["clinics", "name", 120],
    ["clinics", "address", 300],
    ["specializations", "name", 120],
    ["doctors", "name", 120],
  ])("%s.%s: an update past %i characters is refused, one at the limit is not", async (table, column, limit) => {
    const update = (value: string) =>
      env.DB.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = 1`).bind(value).run();
    await expect(update("x".repeat(30_000))).rejects.toThrow(`${table}.${column} is longer than ${limit} characters`);
    await expect(update("x".repeat(limit + 1))).rejects.toThrow("longer than");
    const original = await env.DB.prepare(`SELECT ${column} AS v FROM ${table} WHERE id = 1`).first<{ v: string }>();
    await update("y".repeat(limit));
    await update(original!.v);
  });

  it("an insert with an over-long name is refused", async () => {
    await expect(
      env.DB.prepare("INSERT INTO specializations (name) VALUES (?)").bind("z".repeat(121)).run(),
    ).rejects.toThrow("specializations.name is longer than 120 characters");
  });
});
