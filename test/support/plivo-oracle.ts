/**
 * The official `plivo` package as the oracle for Plivo XML: a document is rebuilt element by
 * element through its Response builder, which refuses any element Plivo does not allow where it
 * stands and any attribute the element does not have. The rebuilt document must read the same.
 */
import { Response as PlivoResponse } from "plivo/dist/utils/plivoxml.js";
import { parseTwiml, type TwimlElement } from "../../tools/twiml-reader.ts";

type Builder = Record<string, (...args: unknown[]) => Builder> & { toXML(): string };

function rebuild(into: Builder, node: TwimlElement): void {
  const add = into[`add${node.name}`];
  if (typeof add !== "function") throw new Error(`plivo has no <${node.name}>`);
  const elements = node.children.filter((c): c is TwimlElement => typeof c !== "string");
  const text = node.children.filter((c): c is string => typeof c === "string").join("");
  // Elements with a body (Speak, Play, Redirect, Number) take it first; the others take attributes only.
  const built = add.length >= 2 ? add.call(into, text, node.attributes) : add.call(into, node.attributes);
  for (const child of elements) rebuild(built, child);
}

/** Throws unless `xml` is a Plivo XML document the official package would build the same. */
export function assertPlivoXml(xml: string): void {
  const root = parseTwiml(xml);
  if (root.name !== "Response") throw new Error(`root is <${root.name}>`);
  const response = new PlivoResponse() as unknown as Builder;
  for (const child of root.children) {
    if (typeof child === "string") throw new Error("text directly inside <Response>");
    rebuild(response, child);
  }
  const again = parseTwiml(response.toXML());
  if (JSON.stringify(again) !== JSON.stringify(root))
    throw new Error(`plivo reads it otherwise:\n${xml}\n${response.toXML()}`);
}
