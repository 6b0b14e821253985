/**
 * The clinic records its doctors' names and its own at the desk: an upload in the line's format
 * is stored and played wherever the line says that name; the wrong type, rate, channels or
 * length, an oversized file, another clinic's staff and a missing CSRF token are all refused.
 */
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { removePack } from "../src/prompts/store.ts";
import { toneWav } from "../tools/demo-pack.ts";
import { parseTwiml, type TwimlElement } from "../tools/twiml-reader.ts";
import { addStaff, DeskClient, ORIGIN } from "./support/desk.ts";
import { lineWith, newCallOn } from "./support/line.ts";

const NOW = new Date("2026-12-02T03:30:00Z"); // Wednesday 09:00 IST
const PAGE = "/desk/clinics/1/recordings";

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  await removePack(env.PROMPTS!, "kn");
});
afterEach(() => vi.useRealTimers());

async function signedIn(clinics = [1]) {
  const user = await addStaff("desk", { clinics });
  const client = new DeskClient();
  await client.signIn(user.username, user.password);
  await client.get(PAGE);
  return client;
}

/** Posts the upload form as a browser does (multipart, the session cookie, the page's CSRF token). */
async function upload(client: DeskClient, fields: Record<string, string>, clip: Uint8Array | null, csrf = client.csrf) {
  const form = new FormData();
  if (csrf) form.set("_csrf", csrf);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (clip) form.set("clip", new File([clip], "name.wav", { type: "audio/wav" }));
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return exports.default.fetch(`${ORIGIN}${PAGE}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN, "cf-connecting-ip": client.ip },
    body: form,
    redirect: "manual",
  });
}

const doctorOfClinic1 = async () =>
  (await env.DB.prepare("SELECT id, name FROM doctors WHERE clinic_id = 1 ORDER BY id LIMIT 1").first<{
    id: number;
    name: string;
  }>())!;

describe("recording names at the desk", () => {
  it("lists the clinic's and its doctors' names as missing, and stores a good recording", async () => {
    const client = await signedIn();
    const doctor = await doctorOfClinic1();
    const before = await (await client.get(PAGE)).text();
    expect(before).toContain("WAV (8 kHz, mono, 16-bit PCM or 8-bit μ-law) or MP3 (mono), at most 512 KB");
    expect(before).toContain(`${doctor.name}: missing (the voice says it)`);

    const res = await upload(client, { target: `doctor:${doctor.id}`, language: "kn" }, toneWav(1.5, 440));
    expect(res.status).toBe(303);
    const after = await client.get(PAGE);
    expect(after.headers.get("Cache-Control")).toBe("no-store");
    const html = await after.text();
    expect(html).toContain(`${doctor.name}: recorded`);
  });

  it("refuses the wrong format, length, type and size with a clear message, storing nothing", async () => {
    const client = await signedIn();
    const doctor = await doctorOfClinic1();
    const target = { target: `doctor:${doctor.id}`, language: "kn" };
    const cases: [Uint8Array, number, string][] = [
      [toneWav(1, 440, 44_100), 400, "WAV must be 8 kHz (this one is 44100 Hz)"],
      [toneWav(1, 440, 8000, 2), 400, "WAV must be mono"],
      [toneWav(12, 440), 400, "the clip is 12 s long; at most 10 s"],
      [new TextEncoder().encode("MZ not audio at all"), 400, "not a readable MP3 file"],
    ];
    for (const [clip, status, problem] of cases) {
      const res = await upload(client, target, clip);
      expect(res.status).toBe(status);
      expect(await res.text()).toContain(`Not stored: ${problem}.`);
    }
    expect((await upload(client, target, new Uint8Array(700 * 1024))).status).toBe(413);
    expect((await upload(client, target, null)).status).toBe(400);
    expect((await upload(client, { target: "doctor:999999", language: "kn" }, toneWav(1, 440))).status).toBe(400);
    expect((await upload(client, { ...target, language: "fr" }, toneWav(1, 440))).status).toBe(400);
    expect(await (await client.get(PAGE)).text()).toContain(`${doctor.name}: missing`);
  });

  it("refuses staff of another clinic and a form without its CSRF token", async () => {
    const other = await signedIn([2]);
    expect((await upload(other, { target: "clinic", language: "kn" }, toneWav(1, 440))).status).toBe(403);
    const client = await signedIn();
    expect((await upload(client, { target: "clinic", language: "kn" }, toneWav(1, 440), "")).status).toBe(403);
  });

  it("the line plays the clinic's recording where it says the name, and the voice says the rest", async () => {
    const client = await signedIn();
    expect((await upload(client, { target: "clinic", language: "kn" }, toneWav(2, 500))).status).toBe(303);
    const line = lineWith({ LANGUAGES: "kn", PROMPT_PACKS: "kn" });
    const call = newCallOn(line, "+919300000801");
    await call.dial();
    const bookingType = await call.press("1");
    const body = parseTwiml(bookingType.responses[0]!.body);
    const gather = body.children.find((c): c is TwimlElement => typeof c !== "string" && c.name === "Gather")!;
    const [first, second] = gather.children.filter((c): c is TwimlElement => typeof c !== "string");
    expect(first!.name).toBe("Play");
    expect(String(first!.children[0])).toMatch(/\/prompts\/kn\/names\/[0-9a-f]{16}\.wav$/);
    expect(second!.name).toBe("Say");
    const clip = await exports.default.fetch(String(first!.children[0]));
    expect(clip.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
  });
});
