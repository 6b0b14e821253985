/**
 * The clinic's recorded names at /desk/clinics/:id/recordings: its own name and each doctor's,
 * per language, uploaded as audio (checked for type, size and length before anything is
 * stored), and the prompt packs' report of what they lack.
 */
import { clinicDoctorNames } from "../../stores/directory.ts";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { audit } from "../../auth/audit.ts";
import { getClinic, type Clinic } from "../../db/directory.ts";
import { nameIn } from "../../db/display-names.ts";
import { actorOf, canManageClinic } from "../../desk/access.ts";
import { parseId, type DeskContext, type DeskEnv } from "../../desk/context.ts";
import { RecordingsPage, type NameRow } from "../../desk/pages/recordings.tsx";
import { CLIP_FORMAT, MAX_CLIP_BYTES } from "../../prompts/clip-format.ts";
import { packReport, recordedNames, recordName } from "../../prompts/store.ts";
import { ALL_LANGUAGES, isLanguage, type Language } from "../../words/index.ts";
import { deny } from "./pages.tsx";
import { flash, takeFlash } from "./flash.ts";

export const deskRecordings = new Hono<DeskEnv>();

/** The upload route's own body limit: one clip and a few fields (the desk's other forms stay small). */
export const RECORDING_PATH = /^\/desk\/clinics\/\d+\/recordings\/?$/;
export const recordingBodies = bodyLimit({
  maxSize: MAX_CLIP_BYTES + 16 * 1024,
  onError: (c) => c.text("That recording is too large: at most 512 KB.", 413),
});

async function managedClinic(c: DeskContext): Promise<Clinic | Response> {
  const id = parseId(c.req.param("clinicId"));
  const clinic = id === null ? undefined : await getClinic(c.var.db, id);
  if (!clinic) return deny(c, 404);
  if (!canManageClinic(c.var.staff, clinic.id)) return deny(c, 403);
  return clinic;
}

async function nameRows(c: DeskContext, clinic: Clinic): Promise<NameRow[]> {
  const doctors = await clinicDoctorNames(c.var.db, clinic.id);
  const targets = [
    { target: "clinic", label: clinic.name, nameIn: (l: Language) => nameIn(clinic, l) },
    ...doctors.map((d) => ({ target: `doctor:${d.id}`, label: d.name, nameIn: () => d.name })),
  ];
  const languages = ALL_LANGUAGES;
  const recorded = await Promise.all(
    languages.map((l) =>
      recordedNames(
        c.env.PROMPTS,
        l,
        targets.map((t) => t.nameIn(l)),
      ),
    ),
  );
  return targets.map((t) => ({
    target: t.target,
    label: t.label,
    languages: languages.map((l, i) => ({ language: l, name: t.nameIn(l), recorded: recorded[i]!.has(t.nameIn(l)) })),
  }));
}

async function render(
  c: DeskContext,
  clinic: Clinic,
  notice?: { text: string; error?: boolean },
  status: 200 | 400 = 200,
) {
  // Every language, not only those offered now: a clinic may record before turning one on.
  const languages = ALL_LANGUAGES;
  const [rows, reports] = await Promise.all([
    nameRows(c, clinic),
    Promise.all(languages.map(async (l) => ({ language: l, report: await packReport(c.env.PROMPTS, l) }))),
  ]);
  c.status(status);
  c.header("Cache-Control", "no-store");
  return c.render(
    <RecordingsPage
      clinic={clinic}
      rows={rows}
      languages={languages}
      format={CLIP_FORMAT}
      reports={reports}
      csrf={c.var.session.csrfToken}
      notice={notice ?? takeFlash(c)}
    />,
    { title: "Recordings" },
  );
}

deskRecordings.get("/clinics/:clinicId/recordings", async (c) => {
  const clinic = await managedClinic(c);
  return clinic instanceof Response ? clinic : render(c, clinic);
});

deskRecordings.post("/clinics/:clinicId/recordings", async (c) => {
  const clinic = await managedClinic(c);
  if (clinic instanceof Response) return clinic;
  const bucket = c.env.PROMPTS;
  if (!bucket)
    return render(c, clinic, { text: "Recordings are not set up on this line (no PROMPTS bucket).", error: true }, 400);
  const form = await c.req.parseBody();
  const language = String(form.language ?? "");
  const rows = await nameRows(c, clinic);
  const row = rows.find((r) => r.target === form.target);
  const file = form.clip;
  if (!isLanguage(language) || !row)
    return render(c, clinic, { text: "Choose a name and a language from the lists.", error: true }, 400);
  if (!(file instanceof File) || file.size === 0)
    return render(c, clinic, { text: "Choose an audio file to upload.", error: true }, 400);
  const name = row.languages.find((l) => l.language === language)!.name;
  const stored = await recordName(bucket, language, name, new Uint8Array(await file.arrayBuffer()));
  if (!stored.ok)
    return render(c, clinic, { text: `Not stored: ${stored.problem}. Format: ${CLIP_FORMAT}.`, error: true }, 400);
  await audit(
    c.var.db,
    {
      actor: actorOf(c.var.staff),
      clinicId: clinic.id,
      action: "recording.upload",
      detail: { target: row.target, language },
    },
    new Date(),
  );
  flash(c, `Recorded: ${name} (${language}).`);
  return c.redirect(`/desk/clinics/${clinic.id}/recordings`, 303);
});
