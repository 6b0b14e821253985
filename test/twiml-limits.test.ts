/**
 * Twilio's size limits hold whatever the data says: one Polly <Say> carries at most 3,000
 * characters (longer text becomes several), a document stays under 64 KB, an SMS reply
 * under 1,600 characters.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_SAY_CHARS, renderTwiml, splitForSay, type Voice } from "../src/twilio/twiml.ts";
import { parseTwiml, textOf, twimlProblems, type TwimlElement } from "../tools/twiml-reader.ts";
import { newCall } from "./support/line.ts";

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

describe("a clinic whose name is 30,000 characters", () => {
  it("the clinic menu is well-formed TwiML under 64 KB, each <Say> within Twilio's limit", async () => {
    const original = await env.DB.prepare("SELECT name FROM clinics WHERE id = 1").first<{ name: string }>();
    await env.DB.prepare("UPDATE clinics SET name = ? WHERE id = 1").bind("Hampankatta ".repeat(2500)).run();
    try {
      const turn = await newCall("+919812300003").dial();
      const response = turn.responses.at(-1)!;
      expect(response.status).toBe(200);
      expect(new TextEncoder().encode(response.body).length).toBeLessThan(TWILIO_MAX_DOCUMENT);
      const root = parseTwiml(response.body);
      expect(twimlProblems(root, "voice")).toEqual([]);
      for (const say of says(root)) expect(say.length).toBeLessThanOrEqual(MAX_SAY_CHARS);
    } finally {
      await env.DB.prepare("UPDATE clinics SET name = ? WHERE id = 1").bind(original!.name).run();
    }
  });
});
