/** What the providers' XML renderers share: the byte budget, the document, and the flow's URLs moved under a provider. */
import { Budget, escapeXml } from "../twilio/twiml.ts";
import type { GatherChild, VoiceVerb } from "./verbs.ts";

export { Budget };

/** An XML document with its declaration and <Response> root, served as the providers expect. */
export function xmlResponse(body: string): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`, {
    status: 200,
    headers: { "Content-Type": "text/xml; charset=utf-8" },
  });
}

/** The flow's path ("/api/ivr/handle-clinic/?lang=en") under a provider's prefix ("/api/plivo/..."). */
export function underPrefix(prefix: string, path: string): string {
  // An absolute URL of the line's own (a recording's callback) moves the same way.
  if (/^https?:\/\//.test(path)) {
    const url = new URL(path);
    return url.origin + underPrefix(prefix, url.pathname + url.search);
  }
  return path.startsWith("/api/ivr/") ? prefix + path.slice("/api/ivr".length) : path;
}

type Verb<K extends VoiceVerb["kind"]> = Extract<VoiceVerb, { kind: K }>;

/** How one provider writes each verb; `renderVerbs` walks them (a gather's children included) once for all. */
export interface XmlDialect {
  say(text: string, languageTag: string, budget: Budget): string;
  play(url: string): string;
  pause(seconds: number): string;
  /** `action` is already the provider's URL; `children` already rendered. */
  gather(verb: Verb<"Gather">, action: string, children: string): string;
  record(verb: Verb<"Record">, url: (path: string) => string): string;
  redirect(url: string): string;
  dial(verb: Verb<"Dial">, action: string): string;
  hangup: string;
}

function child(v: GatherChild, dialect: XmlDialect, budget: Budget): string {
  switch (v.kind) {
    case "Say":
      return dialect.say(v.text, v.voice.language, budget);
    case "Play":
      return dialect.play(escapeXml(v.url));
    case "Pause":
      return dialect.pause(v.length);
    case "Segments":
      return v.segments
        .map((s) => (s.kind === "say" ? dialect.say(s.text, s.voice.language, budget) : dialect.play(escapeXml(s.url))))
        .join("");
  }
}

/** The verbs in `dialect`, each flow path turned into the provider's URL by `url`, within one byte budget. */
export function renderVerbs(verbs: readonly VoiceVerb[], dialect: XmlDialect, url: (path: string) => string): string {
  const budget = new Budget();
  return verbs
    .map((v) => {
      switch (v.kind) {
        case "Say":
        case "Play":
        case "Pause":
        case "Segments":
          return child(v, dialect, budget);
        case "Gather":
          return dialect.gather(v, url(v.action), v.children.map((c) => child(c, dialect, budget)).join(""));
        case "Record":
          return dialect.record(v, url);
        case "Redirect":
          return dialect.redirect(escapeXml(url(v.url)));
        case "Dial":
          return dialect.dial(v, url(v.action));
        case "Hangup":
          return dialect.hangup;
      }
    })
    .join("");
}
