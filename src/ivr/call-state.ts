/**
 * What a call has chosen so far travels in the query string of each action URL (Twilio
 * signs the full URL, so a caller cannot alter it; a local tool can, so every field is
 * parsed strictly and anything odd is dropped rather than trusted).
 */
import { hhmm, parseDate, parseHhmm, type HeldSlot } from "../slots/calendar.ts";
import { isLanguage, type Language } from "../words/index.ts";

export interface CallState {
  lang: Language;
  state?: number;
  district?: number;
  clinic?: number;
  spec?: number;
  /** A chosen doctor; with `spec` and no doctor, any doctor of that specialization. */
  doctor?: number;
  /** The slot this call was offered and holds: doctor, date and start time ("5.2026-11-25.1030"). */
  hold?: HeldSlot;
  /** The first menu after a returning caller's greeting: 0 opens the language menu. */
  switchable?: true;
  /** At the offer: the caller asked for other times and days (the second menu is on). */
  others?: true;
  /** Times offered before the one held, oldest first, for "the previous time" (at most MAX_BACK). */
  back?: HeldSlot[];
  /** After a call to the reception: the step whose question is asked again. */
  ret?: string;
  /** What a returning caller is doing with one of their appointments. */
  act?: "cancel" | "move";
  /** The appointment being cancelled or moved. */
  appt?: number;
  /** The token just booked, for saying it again on request. */
  token?: string;
  /** The appointment just booked, for the reason-for-visit question after the token. */
  appointment?: number;
  /** An outbound call: its call outbox row, and which of the row's calls this is. */
  o?: number;
  n?: number;
  /** The waitlist offer (a time held for this caller) being answered. */
  wl?: number;
  /** The day the caller asked for and heard no free time on: 5 waits for a time that day. */
  want?: string;
  page: number;
  tries: number;
}

const ID = /^[1-9]\d{0,8}$/;
const SMALL = /^\d{1,2}$/;
const TOKEN = /^[A-Z0-9]{1,8}-\d{1,4}$/;

function id(value: string | null): number | undefined {
  return value !== null && ID.test(value) ? Number(value) : undefined;
}

function parseHold(value: string | null): HeldSlot | undefined {
  const parts = (value ?? "").split(".");
  if (parts.length !== 3) return undefined; // "doctor.date.HHMM" and nothing more
  const [doctor, date, time] = parts;
  const doctorId = id(doctor ?? null);
  const startMinute = parseHhmm(time ?? "");
  if (doctorId === undefined || startMinute === null || !date || !parseDate(date)) return undefined;
  return { doctorId, date, startMinute };
}

/** How many earlier offers a call can step back through. */
export const MAX_BACK = 6;

const holdText = (h: HeldSlot) => `${h.doctorId}.${h.date}.${hhmm(h.startMinute)}`;

export function parseCallState(query: URLSearchParams, defaultLanguage: Language): CallState {
  const lang = query.get("lang") ?? "";
  const page = query.get("page") ?? "";
  const tries = query.get("tries") ?? "";
  const state: CallState = {
    lang: isLanguage(lang) ? lang : defaultLanguage,
    page: SMALL.test(page) ? Number(page) : 0,
    tries: SMALL.test(tries) ? Number(tries) : 0,
  };
  const fields = {
    state: id(query.get("state")),
    district: id(query.get("district")),
    clinic: id(query.get("clinic")),
    spec: id(query.get("spec")),
    doctor: id(query.get("doctor")),
    hold: parseHold(query.get("hold")),
    appt: id(query.get("appt")),
    wl: id(query.get("wl")),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(state, { [key]: value });
  if (query.get("sw") === "1") state.switchable = true;
  if (query.get("other") === "1") state.others = true;
  const back = (query.get("back") ?? "").split("~").filter(Boolean).slice(-MAX_BACK).map(parseHold);
  // All or nothing: a list with an odd entry is from a tampered URL.
  if (back.length > 0 && back.every((h) => h !== undefined)) state.back = back as HeldSlot[];
  const ret = query.get("ret") ?? "";
  if (/^[a-z][A-Za-z]{0,20}$/.test(ret)) state.ret = ret;
  const act = query.get("act");
  if (act === "cancel" || act === "move") state.act = act;
  const token = query.get("token") ?? "";
  if (TOKEN.test(token)) state.token = token;
  const appointment = id(query.get("appointment"));
  if (appointment !== undefined) state.appointment = appointment;
  const outbox = id(query.get("o"));
  if (outbox !== undefined) state.o = outbox;
  const attempt = query.get("n") ?? "";
  if (/^[1-9]$/.test(attempt)) state.n = Number(attempt);
  const want = query.get("want") ?? "";
  if (/^\d{4}-\d{2}-\d{2}$/.test(want) && parseDate(want)) state.want = want;
  return state;
}

/** "/api/ivr/handle-clinic/?lang=en&state=1&district=1": a path and its call state. */
export function actionUrl(path: string, state: CallState): string {
  const query = new URLSearchParams({ lang: state.lang });
  for (const key of ["state", "district", "clinic", "spec", "doctor"] as const) {
    const value = state[key];
    if (value !== undefined) query.set(key, String(value));
  }
  if (state.hold) query.set("hold", holdText(state.hold));
  if (state.back?.length) query.set("back", state.back.slice(-MAX_BACK).map(holdText).join("~"));
  if (state.switchable) query.set("sw", "1");
  if (state.others) query.set("other", "1");
  if (state.act) query.set("act", state.act);
  if (state.ret) query.set("ret", state.ret);
  if (state.appt !== undefined) query.set("appt", String(state.appt));
  if (state.token) query.set("token", state.token);
  if (state.appointment !== undefined) query.set("appointment", String(state.appointment));
  if (state.o !== undefined) query.set("o", String(state.o));
  if (state.n !== undefined) query.set("n", String(state.n));
  if (state.wl !== undefined) query.set("wl", String(state.wl));
  if (state.want) query.set("want", state.want);
  if (state.page) query.set("page", String(state.page));
  if (state.tries) query.set("tries", String(state.tries));
  return `${path}?${query.toString()}`;
}

/** Every query field actionUrl writes: what a provider that does not sign must have the line sign. */
export const CALL_STATE_FIELDS: readonly string[] = [
  "lang",
  "state",
  "district",
  "clinic",
  "spec",
  "doctor",
  "hold",
  "back",
  "sw",
  "act",
  "ret",
  "appt",
  "token",
  "appointment",
  "o",
  "n",
  "wl",
  "want",
  "page",
  "tries",
];
