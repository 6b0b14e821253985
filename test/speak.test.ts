/**
 * Words into TwiML: each text said by its language's voice, menus in breaths, and room for a
 * language with recorded prompts (played, not said).
 */
import { describe, expect, it } from "vitest";
import { breaths, languageOf, say, spoken } from "../src/ivr/speak.ts";
import { CATALOGUES, type Catalogue } from "../src/words/index.ts";

describe("speak", () => {
  it("says text with the catalogue's voice and language", () => {
    expect(say(CATALOGUES.kn, "ನಮಸ್ಕಾರ")).toEqual({
      kind: "Say",
      text: "ನಮಸ್ಕಾರ",
      voice: { voice: "Google.kn-IN-Wavenet-A", language: "kn-IN" },
    });
  });

  it("plays a recorded clip for a language without a Twilio voice (e.g. Tulu)", () => {
    const tulu: Catalogue = {
      ...CATALOGUES.kn,
      voice: { language: "kn-IN", clipUrl: (text) => `https://clips.test/tcy/${encodeURIComponent(text)}.mp3` },
    };
    expect(say(tulu, "ಸ್ವಾಗತ")).toEqual({
      kind: "Play",
      url: "https://clips.test/tcy/%E0%B2%B8%E0%B3%8D%E0%B2%B5%E0%B2%BE%E0%B2%97%E0%B2%A4.mp3",
    });
    expect(languageOf(tulu)).toEqual({ voice: "", language: "kn-IN" });
  });

  it("pauses between groups and drops empty ones", () => {
    expect(spoken(CATALOGUES.en, [["A.", "B."], [], ["C."]]).map((c) => c.kind)).toEqual(["Say", "Pause", "Say"]);
  });

  it.each([
    [3, [3]],
    [4, [4]],
    [5, [4, 1]],
    [9, [4, 4, 1]],
  ])("splits %i choice lines into breaths of %j", (n, sizes) => {
    const lines = Array.from({ length: n }, (_, i) => `line ${i}`);
    expect(breaths(lines).map((g) => g.length)).toEqual(sizes);
    expect(breaths(lines).flat()).toEqual(lines);
  });
});
