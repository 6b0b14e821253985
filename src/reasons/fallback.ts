/**
 * The keyword summary: what the doctor sees whenever Workers AI is absent (local runs, tests),
 * fails, is slow or answers with something unusable. Deterministic extraction only: today's
 * reason, known conditions, medicines (with doses), allergies, and the last visit with its
 * note. Patient text is only ever quoted (clipped), never interpreted, so it cannot change
 * the shape of the summary: at most 5 lines, each at most LINE_LIMIT characters.
 */
import { RED_FLAG_LABELS, type RedFlag } from "./red-flags.ts";

export const MAX_LINES = 5;
export const LINE_LIMIT = 160;

export interface SummaryInput {
  reason: {
    text: string | null;
    flags: RedFlag[];
    method: "speech" | "recording";
    transcription: "none" | "pending" | "done" | "failed" | "unavailable";
  } | null;
  /** This patient's notes at this clinic, newest first; `visitDate` is the appointment's clinic-local date. */
  notes: { body: string; visitDate: string }[];
  /** The patient's previous appointment at this clinic (clinic-local date), if any. */
  lastVisitDate: string | null;
}

const CONDITIONS: [string, RegExp][] = [
  ["diabetes", /\b(diabet\w*|dm2?|t2dm|sugar (problem|patient|disease))\b|ಸಕ್ಕರೆ ಕಾಯಿಲೆ|ಮಧುಮೇಹ|मधुमेह|शुगर/iu],
  ["hypertension", /\b(hypertension|htn|high (bp|blood pressure))\b|ರಕ್ತದೊತ್ತಡ|उच्च रक्तचाप|हाई बीपी/iu],
  ["asthma", /\b(asthma\w*|copd)\b|ಅಸ್ತಮಾ|ದಮ್ಮು|दमा/iu],
  ["thyroid disease", /\b(hypo|hyper)?thyroid\w*\b|ಥೈರಾಯ್ಡ್|थायरॉइड/iu],
  ["heart disease", /\b(ischaemic|ischemic|coronary|heart (disease|failure)|ihd|cad|angina)\b/iu],
  ["kidney disease", /\b(ckd|kidney (disease|failure)|renal failure)\b/iu],
  ["epilepsy", /\b(epilep\w*|seizure disorder)\b/iu],
  ["tuberculosis", /\b(tuberculosis|tb)\b/iu],
  ["high cholesterol", /\b(cholesterol|dyslipid\w*|hyperlipid\w*)\b/iu],
  ["anaemia", /\b(an(a)?emi\w*)\b|खून की कमी|ರಕ್ತಹೀನತೆ/iu],
  ["arthritis", /\b(\w*arthritis)\b/iu],
  ["migraine", /\bmigraine\w*\b/iu],
  ["pregnancy", /\b(pregnan\w*|antenatal|anc)\b|ಗರ್ಭಿಣಿ|गर्भवती/iu],
];

const MEDICINES = [
  "metformin",
  "glimepiride",
  "gliclazide",
  "insulin",
  "amlodipine",
  "telmisartan",
  "losartan",
  "atenolol",
  "metoprolol",
  "enalapril",
  "atorvastatin",
  "rosuvastatin",
  "aspirin",
  "ecosprin",
  "clopidogrel",
  "levothyroxine",
  "thyronorm",
  "salbutamol",
  "budesonide",
  "paracetamol",
  "dolo",
  "ibuprofen",
  "diclofenac",
  "amoxicillin",
  "azithromycin",
  "cetirizine",
  "omeprazole",
  "pantoprazole",
  "prednisolone",
  "warfarin",
  "phenytoin",
  "levetiracetam",
  "furosemide",
  "folic acid",
  "ferrous sulphate",
];
const MEDICINE = new RegExp(
  `\\b(${MEDICINES.join("|")})(\\s*\\d+(?:\\.\\d+)?\\s*(?:mg|mcg|g|ml|units?|iu)\\b)?`,
  "giu",
);

const ALLERGY_PATTERNS = [
  /\ballergic to ([\p{L}][\p{L} -]{1,30}?)(?=[.,;:\n]|$|\s(?:and|with|since|but)\b)/giu,
  /\ballerg(?:y|ies)\s*(?:to|:|-)\s*([\p{L}][\p{L} -]{1,30}?)(?=[.,;:\n]|$|\s(?:and|with|since|but)\b)/giu,
  /\b([\p{L}]{3,20}) allergy\b/giu,
];
const NO_KNOWN_ALLERGIES = /\b(nkda|no known (drug )?allerg\w*)\b/iu;

/** Newlines, tags' angle brackets and control characters out; one line, clipped to `limit`. */
export function oneLine(text: string, limit = LINE_LIMIT): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1).trimEnd()}…`;
}

function unique(values: string[], max = 5): string[] {
  return [...new Set(values.map((v) => v.trim().toLowerCase()).filter(Boolean))].slice(0, max);
}

export function extractConditions(text: string): string[] {
  return CONDITIONS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}

export function extractMedicines(text: string): string[] {
  return unique([...text.matchAll(MEDICINE)].map((m) => `${m[1]}${m[2] ? ` ${m[2].replace(/\s+/g, "")}` : ""}`));
}

export function extractAllergies(text: string): string[] {
  const found = ALLERGY_PATTERNS.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] ?? ""));
  const named = unique(found.filter((a) => !/^(no|nil|none|known)\b/i.test(a.trim())));
  if (named.length > 0) return named;
  return NO_KNOWN_ALLERGIES.test(text) ? ["none known"] : [];
}

function reasonLine(reason: SummaryInput["reason"]): string {
  const urgent = reason?.flags.length ? `URGENT (${reason.flags.map((f) => RED_FLAG_LABELS[f]).join(", ")}). ` : "";
  if (!reason) return "Reason: not given.";
  if (reason.text) return oneLine(`${urgent}Reason: ${reason.text}`);
  if (reason.method === "recording")
    return oneLine(
      `${urgent}Reason: recorded; ${reason.transcription === "pending" ? "transcript pending" : "play the recording"}.`,
    );
  return "Reason: not given.";
}

/** The keyword summary: at most MAX_LINES lines, none longer than LINE_LIMIT. */
export function keywordSummary(input: SummaryInput): string {
  const history = input.notes.map((n) => n.body).join("\n");
  const lines = [reasonLine(input.reason)];
  const conditions = extractConditions(history);
  const medicines = extractMedicines(history);
  const allergies = extractAllergies(history);
  if (conditions.length) lines.push(oneLine(`Conditions: ${conditions.join(", ")}.`));
  if (medicines.length) lines.push(oneLine(`Medicines: ${medicines.join(", ")}.`));
  if (allergies.length) lines.push(oneLine(`Allergies: ${allergies.join(", ")}.`));
  const last = input.notes[0];
  if (last) lines.push(oneLine(`Last visit ${last.visitDate}: ${last.body}`));
  else if (input.lastVisitDate) lines.push(`Last visit ${input.lastVisitDate}: no notes.`);
  else lines.push("First visit at this clinic.");
  return lines.slice(0, MAX_LINES).join("\n");
}
