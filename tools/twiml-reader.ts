/**
 * Reads TwiML the way Twilio does, for the terminal phone and the tests: a strict little
 * XML reader (declaration, elements, attributes, text, the five entities) plus Twilio's
 * nesting rules. It only needs to understand documents, not every corner of XML.
 */

export interface TwimlElement {
  name: string;
  attributes: Record<string, string>;
  children: TwimlNode[];
}
export type TwimlNode = TwimlElement | string;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string): string {
  // A bare "&" is not well-formed XML, and Twilio rejects the document.
  const bare = /&(?!#x[0-9a-f]+;|#\d+;|[a-z]+;)/i.exec(text);
  if (bare) throw new Error(`bare & in ${JSON.stringify(text.slice(Math.max(0, bare.index - 10), bare.index + 10))}`);
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const known = ENTITIES[name];
    if (known === undefined) throw new Error(`unknown entity ${whole}`);
    return known;
  });
}

/** Parses a TwiML document into its root element; throws on anything malformed. */
export function parseTwiml(xml: string): TwimlElement {
  let pos = 0;
  const body = xml.replace(/^\uFEFF/, "");
  const declaration = /^<\?xml[^?]*\?>\s*/.exec(body);
  if (declaration) pos = declaration[0].length;

  function element(): TwimlElement {
    const open = /^<([A-Za-z][\w.-]*)((?:\s+[A-Za-z_:][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(
      body.slice(pos),
    );
    if (!open) throw new Error(`expected an element at ${pos}: ${body.slice(pos, pos + 30)}`);
    pos += open[0].length;
    const attributes: Record<string, string> = {};
    for (const m of open[2]!.matchAll(/([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attributes[m[1]!] = decode(m[2] ?? m[3] ?? "");
    }
    const node: TwimlElement = { name: open[1]!, attributes, children: [] };
    if (open[3] === "/") return node;
    for (;;) {
      const close = `</${node.name}>`;
      if (body.startsWith(close, pos)) {
        pos += close.length;
        return node;
      }
      if (body.startsWith("</", pos)) throw new Error(`mismatched close tag at ${pos}, expected ${close}`);
      if (body[pos] === "<") {
        node.children.push(element());
        continue;
      }
      const next = body.indexOf("<", pos);
      if (next < 0) throw new Error(`unclosed <${node.name}>`);
      const text = decode(body.slice(pos, next));
      if (text.trim()) node.children.push(text);
      pos = next;
    }
  }

  const root = element();
  if (body.slice(pos).trim()) throw new Error("content after the root element");
  return root;
}

const VOICE_VERBS = new Set([
  "Say",
  "Play",
  "Pause",
  "Gather",
  "Redirect",
  "Hangup",
  "Reject",
  "Dial",
  "Record",
  "Enqueue",
  "Leave",
  "Sms",
  "Connect",
]);
const GATHER_CHILDREN = new Set(["Say", "Play", "Pause"]);
const MESSAGING_VERBS = new Set(["Message", "Redirect"]);

/** Problems with Twilio's nesting rules (empty when the document is fine). */
export function twimlProblems(root: TwimlElement, kind: "voice" | "messaging"): string[] {
  const problems: string[] = [];
  if (root.name !== "Response") problems.push(`root is <${root.name}>, not <Response>`);
  const allowed = kind === "voice" ? VOICE_VERBS : MESSAGING_VERBS;
  for (const child of root.children) {
    if (typeof child === "string") {
      problems.push("text directly inside <Response>");
      continue;
    }
    if (!allowed.has(child.name)) problems.push(`<${child.name}> is not a ${kind} verb`);
    const says = [child];
    if (child.name === "Gather") {
      for (const inner of child.children) {
        if (typeof inner === "string") continue;
        if (!GATHER_CHILDREN.has(inner.name)) problems.push(`<${inner.name}> inside <Gather>`);
        says.push(inner);
      }
    }
    for (const say of says) {
      if (say.name === "Say" && (!say.attributes.voice || !say.attributes.language))
        problems.push("<Say> without voice and language");
    }
  }
  return problems;
}

export function textOf(node: TwimlNode): string {
  return typeof node === "string" ? node : node.children.map(textOf).join("");
}
