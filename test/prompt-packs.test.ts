/**
 * Recorded prompt packs: a clinic's recordings replace the voice piece by piece. With a complete
 * pack a whole Kannada call is played, never said; with a partial one the missing pieces (and
 * only they) are said by the voice; clips in the wrong format are refused and reported; clips
 * are served by the Worker with caching headers.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { segmentsOf, type Speaker } from "../src/prompts/compose.ts";
import { checkClip } from "../src/prompts/clip-format.ts";
import { markedCatalogue } from "../src/prompts/marks.ts";
import { letterKey, numberKey, textKey, type PromptPack } from "../src/prompts/pack.ts";
import { installClips, packReport, removePack } from "../src/prompts/store.ts";
import { CATALOGUES } from "../src/words/index.ts";
import type { Turn } from "../tools/twilio-caller.ts";
import { parseTwiml, type TwimlElement } from "../tools/twiml-reader.ts";
import { demoPack, requiredKeys, toneWav } from "../tools/demo-pack.ts";
import { BASE_URL, lineWith, newCallOn, workerFetch } from "./support/line.ts";
import { directoryNames } from "./support/packs.ts";

const NOW = new Date("2026-12-02T03:30:00Z"); // Wednesday 09:00 IST
const line = lineWith({ LANGUAGES: "kn", PROMPT_PACKS: "kn", REASON_CAPTURE: "off" });
const bucket = env.PROMPTS!;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

/** The <Say> texts and <Play> URLs of a turn, in order. */
function heardAndPlayed(turn: Turn): { says: string[]; plays: string[] } {
  const says: string[] = [];
  const plays: string[] = [];
  const walk = (el: TwimlElement) => {
    for (const child of el.children) {
      if (typeof child === "string") continue;
      if (child.name === "Say") says.push(child.children.join(""));
      else if (child.name === "Play") plays.push(child.children.join(""));
      else walk(child);
    }
  };
  for (const response of turn.responses) walk(parseTwiml(response.body));
  return { says, plays };
}

/** Books the first free time: Kannada is the only language, so no language menu. */
async function bookingCall(phone: string): Promise<Turn[]> {
  const call = newCallOn(line, phone);
  const turns = [await call.dial()];
  // Clinic 1, its first free doctor, book it; silence after the token, then goodbye (in the same answer).
  for (const key of ["1", "1", "1", ""]) turns.push(await call.press(key));
  expect(call.ended).toBe(true);
  return turns;
}

describe("composing words from clips", () => {
  const words = CATALOGUES.kn;
  const marked = markedCatalogue(words);
  const booked = marked.booked({
    doctor: "Dr. Kavya Shetty",
    when: marked.when({ kind: "today" }, 9 * 60 + 15),
    token: marked.spokenToken("KS-14"),
  });
  const speakerWith = (has: (key: string) => boolean): Speaker => {
    const pack: PromptPack = {
      language: "kn",
      clip: (key) => (has(key) ? `https://clips.test/${encodeURIComponent(key)}` : undefined),
    };
    return { words, voice: { voice: "Google.kn-IN-Wavenet-A", language: "kn-IN" }, pack };
  };

  it("plays a whole entry from its pieces: fixed words, the name, the time word by word, the token letter by letter", () => {
    const segments = segmentsOf(
      speakerWith(() => true),
      booked,
    );
    expect(segments.every((s) => s.kind === "play")).toBe(true);
    const keys = segments.map((s) =>
      s.kind === "play" ? decodeURIComponent(s.url.slice("https://clips.test/".length)) : "",
    );
    expect(keys).toEqual(
      [
        "Dr. Kavya Shetty",
        "ಅವರ ಹತ್ತಿರ",
        "ಇವತ್ತು",
        "ಬೆಳಿಗ್ಗೆ",
        numberKey(9),
        "ಗಂಟೆ",
        numberKey(15),
        "ನಿಮಿಷಕ್ಕೆ",
        "ನಿಮ್ಮ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಬುಕ್ ಆಗಿದೆ. ನಿಮ್ಮ ಟೋಕನ್ ನಂಬರ್",
        letterKey("K"),
        letterKey("S"),
        numberKey(14),
        ". ಇನ್ನೊಮ್ಮೆ, ನಿಮ್ಮ ಟೋಕನ್ ನಂಬರ್",
        letterKey("K"),
        letterKey("S"),
        numberKey(14),
        ".",
      ].filter((k) => /[\p{L}\p{N}]/u.test(k)),
    );
  });

  it("says with the voice exactly the pieces the pack lacks, and a time or token only whole", () => {
    const noName = segmentsOf(
      speakerWith((key) => key !== "Dr. Kavya Shetty" && key !== "ನಿಮಿಷಕ್ಕೆ"),
      booked,
    );
    expect(noName.filter((s) => s.kind === "say").map((s) => (s.kind === "say" ? s.text : ""))).toEqual([
      "Dr. Kavya Shetty",
      "ಇವತ್ತು ಬೆಳಿಗ್ಗೆ 9 ಗಂಟೆ 15 ನಿಮಿಷಕ್ಕೆ",
    ]);
    const nothing = segmentsOf(
      speakerWith(() => false),
      booked,
    );
    expect(nothing).toEqual([
      {
        kind: "say",
        text: words.booked({
          doctor: "Dr. Kavya Shetty",
          when: words.when({ kind: "today" }, 555),
          token: words.spokenToken("KS-14"),
        }),
        voice: { voice: "Google.kn-IN-Wavenet-A", language: "kn-IN" },
      },
    ]);
  });

  it("the demo pack has a clip for every key the catalogue needs", () => {
    const keys = requiredKeys("kn");
    expect(keys).toContain(textKey("ಒತ್ತಿ."));
    expect(keys).toContain("ನಿಮಿಷಕ್ಕೆ");
    expect(keys.length).toBeGreaterThan(300);
  });
});

describe("the clip format (8 kHz mono WAV or mono MP3)", () => {
  it("accepts the line's format and refuses others with the reason", () => {
    expect(checkClip(toneWav(1, 440))).toMatchObject({ ok: true, type: "audio/wav" });
    expect(checkClip(toneWav(1, 440, 44_100))).toEqual({
      ok: false,
      problem: "WAV must be 8 kHz (this one is 44100 Hz)",
    });
    expect(checkClip(toneWav(1, 440, 8000, 2))).toEqual({ ok: false, problem: "WAV must be mono" });
    expect(checkClip(toneWav(31, 440))).toEqual({ ok: false, problem: "the clip is 31 s long; at most 30 s" });
    expect(checkClip(toneWav(11, 440), 10)).toMatchObject({ ok: false });
    expect(checkClip(new TextEncoder().encode("<html>not audio</html>"))).toEqual({
      ok: false,
      problem: "not a readable MP3 file",
    });
    expect(checkClip(new Uint8Array(600 * 1024))).toEqual({ ok: false, problem: "the file is over 512 KB" });
    expect(checkClip(new Uint8Array())).toEqual({ ok: false, problem: "the file is empty" });
    // An MPEG-2 layer III mono frame header at 32 kbit/s, 16 kHz.
    const mp3 = new Uint8Array(8000);
    mp3.set([0xff, 0xf3, 0x48, 0xc4]);
    expect(checkClip(mp3)).toMatchObject({ ok: true, type: "audio/mpeg" });
    mp3[3] = 0x44; // joint stereo
    expect(checkClip(mp3)).toEqual({ ok: false, problem: "MP3 must be mono" });
  });
});

describe("a Kannada call with a recorded pack", () => {
  let names: string[];
  beforeAll(async () => {
    names = await directoryNames();
  });
  beforeEach(() => removePack(bucket, "kn"));

  it("with a complete pack, plays clips only: not one <Say> from the greeting to goodbye", async () => {
    const report = await installClips(bucket, "kn", demoPack("kn", names), requiredKeys("kn"));
    expect(report).toEqual({ missing: [], refused: [] });
    const turns = await bookingCall("+919300000701");
    for (const turn of turns.filter((t) => t.responses.length > 0)) {
      const { says, plays } = heardAndPlayed(turn);
      expect(says).toEqual([]);
      expect(plays.length).toBeGreaterThan(0);
    }
    const booked = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.phone = ?",
    )
      .bind("+919300000701")
      .first<{ n: number }>();
    expect(booked?.n).toBe(1);

    // The Worker serves what the line plays, cacheable by the provider.
    const url = heardAndPlayed(turns[0]!).plays[0]!;
    expect(url.startsWith(`${BASE_URL}/prompts/kn/`)).toBe(true);
    const clip = await workerFetch(url, {});
    expect(clip.status).toBe(200);
    expect(clip.headers.get("Content-Type")).toBe("audio/wav");
    expect(clip.headers.get("Cache-Control")).toBe("public, max-age=3600");
    expect(checkClip(new Uint8Array(await clip.arrayBuffer()))).toMatchObject({ ok: true });
    expect((await workerFetch(`${BASE_URL}/prompts/kn/manifest.json`, {})).status).toBe(404);
    expect((await workerFetch(`${BASE_URL}/prompts/kn/..%2Fen%2Fx.wav`, {})).status).toBe(404);
  });

  it("with a partial pack, the voice says the missing pieces and the clips play the rest", async () => {
    const partial = demoPack("kn", names).filter((clip) => clip.key !== "ನಿಮಿಷಕ್ಕೆ" && clip.key !== "ಗಂಟೆಗೆ");
    const report = await installClips(bucket, "kn", partial, requiredKeys("kn"));
    expect(report.missing.sort()).toEqual(["ಗಂಟೆಗೆ", "ನಿಮಿಷಕ್ಕೆ"]);
    const [, , offer] = await bookingCall("+919300000702");
    const { says, plays } = heardAndPlayed(offer!);
    // The offered time alone is said, whole; everything around it is played.
    expect(says).toHaveLength(1);
    expect(says[0]).toMatch(/^ಇವತ್ತು ಬೆಳಿಗ್ಗೆ \d+ (ಗಂಟೆಗೆ|ಗಂಟೆ \d+ ನಿಮಿಷಕ್ಕೆ)$/);
    expect(plays.length).toBeGreaterThan(2);
  });

  it("refuses clips in the wrong format, reports them as missing, and the voice says their words", async () => {
    const clips = demoPack("kn", names).map((clip) =>
      clip.key === textKey(CATALOGUES.kn.welcome) ? { ...clip, bytes: toneWav(1, 440, 44_100) } : clip,
    );
    const report = await installClips(bucket, "kn", clips, requiredKeys("kn"));
    expect(report.refused).toEqual([
      { file: expect.stringMatching(/^welcome\.\d+\.wav$/), problem: "WAV must be 8 kHz (this one is 44100 Hz)" },
    ]);
    expect(report.missing).toEqual([textKey(CATALOGUES.kn.welcome)]);
    expect(await packReport(bucket, "kn")).toEqual(report);
    const [welcome] = await bookingCall("+919300000703");
    expect(heardAndPlayed(welcome!).says).toEqual([CATALOGUES.kn.welcome]);
  });
});
