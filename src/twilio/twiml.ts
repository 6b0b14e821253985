/**
 * A small typed TwiML builder. Every text and attribute is XML-escaped, and the
 * element types only allow the nesting Twilio accepts (Gather holds Say, Play
 * and Pause), so a malformed document cannot be expressed.
 */

export interface Voice {
  /** Twilio voice name, e.g. "Polly.Raveena"; it must speak `language`. */
  voice: string;
  /** BCP-47 language of the text, e.g. "en-IN". */
  language: string;
}

export type GatherChild =
  { kind: "Say"; text: string; voice: Voice } | { kind: "Pause"; length: number } | { kind: "Play"; url: string };

export type VoiceVerb =
  | GatherChild
  | {
      kind: "Gather";
      action: string;
      numDigits?: number;
      /** The key that ends the entry (Twilio's default is #); with no numDigits, keys until it. */
      finishOnKey?: string;
      timeout?: number;
      /** "dtmf speech" where the language listens for speech; keys work either way. */
      input: "dtmf" | "speech" | "dtmf speech";
      /** The language spoken (and, with speech input, heard). */
      voice: Voice;
      /** With speech: end when the caller stops talking. */
      speechTimeout?: "auto";
      /** With speech: the phrases the recogniser should expect, comma-separated. */
      hints?: string;
      children: GatherChild[];
    }
  | { kind: "Redirect"; url: string }
  /** Connects the caller to `number`; when the dialled call ends, Twilio posts DialCallStatus to `action`. */
  | { kind: "Dial"; number: string; timeout: number; action: string }
  | { kind: "Hangup" };

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

function attrs(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join("");
}

function renderVerb(verb: VoiceVerb | MessagingVerb): string {
  switch (verb.kind) {
    case "Say":
      return `<Say${attrs({ voice: verb.voice.voice, language: verb.voice.language })}>${escapeXml(verb.text)}</Say>`;
    case "Pause":
      return `<Pause${attrs({ length: verb.length })}/>`;
    case "Play":
      return `<Play>${escapeXml(verb.url)}</Play>`;
    case "Gather":
      return (
        `<Gather${attrs({
          input: verb.input,
          action: verb.action,
          method: "POST",
          numDigits: verb.numDigits,
          finishOnKey: verb.finishOnKey,
          timeout: verb.timeout,
          language: verb.voice.language,
          speechTimeout: verb.speechTimeout,
          hints: verb.hints,
        })}>` +
        verb.children.map(renderVerb).join("") +
        `</Gather>`
      );
    case "Redirect":
      return `<Redirect method="POST">${escapeXml(verb.url)}</Redirect>`;
    case "Dial":
      return `<Dial${attrs({ action: verb.action, method: "POST", timeout: verb.timeout })}><Number>${escapeXml(verb.number)}</Number></Dial>`;
    case "Hangup":
      return `<Hangup/>`;
    case "Message":
      return `<Message>${escapeXml(verb.body)}</Message>`;
  }
}

/** Renders a whole TwiML document: declaration, <Response> root, verbs in order. */
export function renderTwiml(verbs: ReadonlyArray<VoiceVerb | MessagingVerb>): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs.map(renderVerb).join("")}</Response>`;
}

/** A Response carrying TwiML with the content type Twilio expects. */
export function twimlResponse(verbs: ReadonlyArray<VoiceVerb | MessagingVerb>, status = 200): Response {
  return new Response(renderTwiml(verbs), {
    status,
    headers: { "Content-Type": "text/xml; charset=utf-8" },
  });
}
