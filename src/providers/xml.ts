/** What the providers' XML renderers share: a document of escaped, budgeted pieces, and the flow's URLs moved under a provider. */
import { escapeXml, MAX_TWIML_BYTES, splitForSay } from "../twilio/twiml.ts";

const utf8 = new TextEncoder();

/** A byte budget for one document: spoken text past it is left unsaid rather than making a document too large. */
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

/** An XML document with its declaration and <Response> root, served as the providers expect. */
export function xmlResponse(body: string): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`, {
    status: 200,
    headers: { "Content-Type": "text/xml; charset=utf-8" },
  });
}

/** The flow's path ("/api/ivr/handle-clinic/?lang=en") under a provider's prefix ("/api/plivo/..."). */
export function underPrefix(prefix: string, path: string): string {
  return path.startsWith("/api/ivr/") ? prefix + path.slice("/api/ivr".length) : path;
}
