/**
 * Where packs live: an R2 bucket (binding PROMPTS; Miniflare keeps it locally, offline), one
 * folder per language: the clips, `manifest.json` (file -> key, only clips that passed the
 * format check) and `report.json` (what the last install refused and what it lacked, for the
 * desk). The line reads a manifest once a minute per language, and only for PROMPT_PACKS.
 */
import type { Language } from "../words/index.ts";
import { checkClip, MAX_NAME_SECONDS } from "./clip-format.ts";
import { packFrom, textKey, type Manifest, type PromptPack } from "./pack.ts";

export const CLIP_PATH = "/prompts/";
const MANIFEST_TTL_MS = 60_000;

export interface PackReport {
  /** Keys the catalogue needs that the pack has no clip for: the voice says them. */
  missing: string[];
  /** Files refused, with why (wrong format, too long, unreadable). */
  refused: { file: string; problem: string }[];
}

const manifests = new Map<Language, { at: number; manifest: Manifest }>();

async function readManifest(bucket: R2Bucket, language: Language): Promise<Manifest> {
  const cached = manifests.get(language);
  if (cached && Date.now() - cached.at < MANIFEST_TTL_MS) return cached.manifest;
  const object = await bucket.get(`${language}/manifest.json`);
  const manifest = object ? ((await object.json()) as Manifest) : {};
  manifests.set(language, { at: Date.now(), manifest });
  return manifest;
}

async function writeManifest(bucket: R2Bucket, language: Language, manifest: Manifest): Promise<void> {
  await bucket.put(`${language}/manifest.json`, JSON.stringify(manifest), {
    httpMetadata: { contentType: "application/json" },
  });
  manifests.delete(language);
}

/** The packs of `languages` (those with a manifest), their clips served from `origin`. */
export async function loadPacks(
  bucket: R2Bucket | undefined,
  languages: readonly Language[],
  origin: string,
): Promise<Partial<Record<Language, PromptPack>>> {
  if (!bucket || languages.length === 0) return {};
  const loaded = await Promise.all(
    languages.map(async (l) => [l, packFrom(l, await readManifest(bucket, l), `${origin}${CLIP_PATH}${l}/`)] as const),
  );
  return Object.fromEntries(loaded);
}

/**
 * Installs clips into a language's pack: each is checked, good ones stored and added to the
 * manifest, bad ones refused (their key stays with the voice). `required` is every key the
 * catalogue can need; what the pack still lacks is reported for the desk.
 */
export async function installClips(
  bucket: R2Bucket,
  language: Language,
  clips: readonly { file: string; key: string; bytes: Uint8Array }[],
  required: readonly string[],
): Promise<PackReport> {
  const manifest = { ...(await readManifest(bucket, language)) };
  const refused: PackReport["refused"] = [];
  for (const clip of clips) {
    const checked = checkClip(clip.bytes);
    if (!checked.ok || !/^[\p{L}\p{N}._/-]+$/u.test(clip.file) || clip.file.includes("..")) {
      refused.push({ file: clip.file, problem: checked.ok ? "not a safe file name" : checked.problem });
      continue;
    }
    await bucket.put(`${language}/${clip.file}`, clip.bytes, { httpMetadata: { contentType: checked.type } });
    manifest[clip.file] = clip.key;
  }
  await writeManifest(bucket, language, manifest);
  const have = new Set(Object.values(manifest));
  const report: PackReport = { missing: required.filter((key) => !have.has(key)), refused };
  await bucket.put(`${language}/report.json`, JSON.stringify(report));
  return report;
}

export async function packReport(bucket: R2Bucket | undefined, language: Language): Promise<PackReport | null> {
  const object = await bucket?.get(`${language}/report.json`);
  return object ? ((await object.json()) as PackReport) : null;
}

/** Which of `names` (texts in `language`) have a recording. */
export async function recordedNames(bucket: R2Bucket | undefined, language: Language, names: readonly string[]) {
  if (!bucket) return new Set<string>();
  const have = new Set(Object.values(await readManifest(bucket, language)));
  return new Set(names.filter((n) => have.has(textKey(n))));
}

/**
 * A recording of a name (a doctor's, the clinic's) as said in `language`: checked, stored under a
 * name made from its content (so a new recording is a new URL, and old ones can be cached for
 * good), and played wherever the line says that name.
 */
export async function recordName(
  bucket: R2Bucket,
  language: Language,
  name: string,
  bytes: Uint8Array,
): Promise<{ ok: true } | { ok: false; problem: string }> {
  const checked = checkClip(bytes, MAX_NAME_SECONDS);
  if (!checked.ok) return checked;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const file = `names/${hex}.${checked.type === "audio/wav" ? "wav" : "mp3"}`;
  await bucket.put(`${language}/${file}`, bytes, { httpMetadata: { contentType: checked.type } });
  const key = textKey(name);
  const manifest = Object.fromEntries(
    Object.entries(await readManifest(bucket, language)).filter(([, k]) => k !== key),
  );
  manifest[file] = key;
  await writeManifest(bucket, language, manifest);
  return { ok: true };
}

/** A clip for the phone provider to fetch: cached by it and any CDN (names change URL when re-recorded). */
export async function clipResponse(bucket: R2Bucket | undefined, language: string, file: string): Promise<Response> {
  if (!bucket || file.includes("..") || !/^(kn|en|hi)$/.test(language))
    return new Response("Not found", { status: 404 });
  const object = await bucket.get(`${language}/${file}`);
  if (!object || file.endsWith(".json")) return new Response("Not found", { status: 404 });
  const immutable = file.startsWith("names/");
  return new Response(object.body, {
    headers: {
      "Content-Type": object.httpMetadata?.contentType ?? "application/octet-stream",
      "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600",
      ETag: object.httpEtag,
    },
  });
}

/** Takes a language's pack out of service: its manifest and report go, so the voice says everything. */
export async function removePack(bucket: R2Bucket, language: Language): Promise<void> {
  await bucket.delete([`${language}/manifest.json`, `${language}/report.json`]);
  manifests.delete(language);
}
