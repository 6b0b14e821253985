/** What the providers' XML renderers share: the byte budget, the document, and the flow's URLs moved under a provider. */
export { Budget } from "../twilio/twiml.ts";

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
