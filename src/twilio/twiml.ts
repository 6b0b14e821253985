/**
 * A small typed TwiML builder. Every text and attribute is XML-escaped, and the
 * element types only allow the nesting Twilio accepts (Gather holds Say, Play
 * and Pause), so a malformed document cannot be expressed. Lengths are Twilio's too: a long
 * text is spoken as several <Say>s, and a document stays under Twilio's 64 KB.
 */

import type { GatherChild, Voice, VoiceVerb } from "../providers/verbs.ts";

// The neutral verbs are the flow's; TwiML is one rendering of them.
export type { GatherChild, Voice, VoiceVerb };

export type MessagingVerb = { kind: "Message"; body: string };

const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escapes text for XML, and drops control characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

export function attrs(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join("");
}

/** Twilio's limit for one Polly <Say>. */
export const MAX_SAY_CHARS = 3000;
/** Twilio refuses TwiML documents over 64 KB; stay clear of it. */
export const MAX_TWIML_BYTES = 60_000;
/** Longest SMS Twilio sends (10 segments). */
export const MAX_MESSAGE_CHARS = 1600;

/**
 * Cuts text into pieces of at most `max` characters, at a space where there is one, so each
 * fits one <Say>. Never splits a surrogate pair.
 */
export function splitForSay(text: string, max = MAX_SAY_CHARS): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    let cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = max;
    if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? "")) cut -= 1;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * Rendering keeps a byte budget for the whole document: long text becomes several <Say>s,
 * and text past the budget is left unsaid rather than making a document Twilio refuses.
 * The other providers' renderers keep one too.
 */
const utf8 = new TextEncoder();

export class Budget {
  remaining = MAX_TWIML_BYTES;

  /** `open` + each piece of `text` + `close`, as many pieces as fit. */
  spoken(open: string, text: string, close: string): string {
    let out = "";
    for (const piece of splitForSay(text)) {
      const rendered = `${open}${escapeXml(piece)}${close}`;
      const bytes = utf8.encode(rendered).length;
      if (bytes > this.remaining) break;
      this.remaining -= bytes;
      out += rendered;
    }
    return out;
  }
}

function renderSay(verb: { text: string; voice: Voice }, budget: Budget): string {
  return budget.spoken(
    `<Say${attrs({ voice: verb.voice.voice, language: verb.voice.language })}>`,
    verb.text,
    "</Say>",
  );
}

function renderVerb(verb: VoiceVerb | MessagingVerb, budget: Budget): string {
  switch (verb.kind) {
    case "Say":
      return renderSay(verb, budget);
    case "Pause":
      return `<Pause${attrs({ length: verb.length })}/>`;
    case "Play":
      return `<Play>${escapeXml(verb.url)}</Play>`;
    case "Segments":
      return verb.segments
        .map((s) => (s.kind === "say" ? renderSay(s, budget) : `<Play>${escapeXml(s.url)}</Play>`))
        .join("");
    case "Gather":
      return (
        `<Gather${attrs({
          input: verb.input,
          action: verb.action,
          method: "POST",
          numDigits: verb.numDigits,
          finishOnKey: verb.finishOnKey,
          timeout: verb.timeout,
          speechTimeout: verb.speechTimeout,
          speechModel: verb.speechModel,
          language: verb.voice.language,
          hints: verb.hints,
        })}>` +
        verb.children.map((child) => renderVerb(child, budget)).join("") +
        `</Gather>`
      );
    case "Record":
      return `<Record${attrs({
        action: verb.action,
        method: "POST",
        maxLength: verb.maxLength,
        timeout: verb.timeout,
        finishOnKey: verb.finishOnKey,
        playBeep: "true",
        trim: "trim-silence",
        recordingStatusCallback: verb.recordingStatusCallback,
        recordingStatusCallbackMethod: "POST",
        recordingStatusCallbackEvent: "completed absent",
      })}/>`;
    case "Redirect":
      return `<Redirect method="POST">${escapeXml(verb.url)}</Redirect>`;
    case "Dial":
      return `<Dial${attrs({ action: verb.action, method: "POST", timeout: verb.timeout })}><Number>${escapeXml(verb.number)}</Number></Dial>`;
    case "Hangup":
      return `<Hangup/>`;
    case "Message":
      return `<Message>${escapeXml(splitForSay(verb.body, MAX_MESSAGE_CHARS)[0] ?? "")}</Message>`;
  }
}

/** Renders a whole TwiML document: declaration, <Response> root, verbs in order. */
export function renderTwiml(verbs: ReadonlyArray<VoiceVerb | MessagingVerb>): string {
  // Everything but spoken text is short and fixed: the budget goes to the <Say>s.
  const budget = new Budget();
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs.map((verb) => renderVerb(verb, budget)).join("")}</Response>`;
}

/** A Response carrying TwiML with the content type Twilio expects. */
export function twimlResponse(verbs: ReadonlyArray<VoiceVerb | MessagingVerb>, status = 200): Response {
  return new Response(renderTwiml(verbs), {
    status,
    headers: { "Content-Type": "text/xml; charset=utf-8" },
  });
}
