/**
 * The TwiML builder: a well-formed document Twilio accepts, whatever the text says.
 */
import { describe, expect, it } from "vitest";
import { escapeXml, renderTwiml, twimlResponse, type GatherChild, type Voice } from "../src/twilio/twiml.ts";
import { parseTwiml, textOf, twimlProblems, type TwimlElement } from "../tools/twiml-reader.ts";

const RAVEENA: Voice = { voice: "Polly.Raveena", language: "en-IN" };

const say = (text: string): GatherChild => ({ kind: "Say", text, voice: RAVEENA });

function elements(node: TwimlElement): TwimlElement[] {
  return [node, ...node.children.flatMap((c) => (typeof c === "string" ? [] : elements(c)))];
}

describe("renderTwiml", () => {
  it("starts with the XML declaration and a <Response> root", () => {
    expect(renderTwiml([])).toMatchInlineSnapshot(`"<?xml version="1.0" encoding="UTF-8"?><Response></Response>"`);
  });

  it("renders a menu: Say, then Gather with its children, then Redirect", () => {
    const xml = renderTwiml([
      say("Welcome."),
      {
        kind: "Gather",
        input: "dtmf",
        action: "/api/ivr/handle-clinic/?lang=en&state=1",
        numDigits: 1,
        timeout: 6,
        voice: RAVEENA,
        children: [say("For Hampankatta Family Clinic, press 1."), { kind: "Pause", length: 1 }],
      },
      { kind: "Redirect", url: "/api/ivr/welcome/?lang=en&tries=1" },
    ]);
    expect(xml).toMatchInlineSnapshot(
      `"<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Raveena" language="en-IN">Welcome.</Say><Gather input="dtmf" action="/api/ivr/handle-clinic/?lang=en&amp;state=1" method="POST" numDigits="1" timeout="6" language="en-IN"><Say voice="Polly.Raveena" language="en-IN">For Hampankatta Family Clinic, press 1.</Say><Pause length="1"/></Gather><Redirect method="POST">/api/ivr/welcome/?lang=en&amp;tries=1</Redirect></Response>"`,
    );
  });

  it("leaves out optional Gather attributes that are not set", () => {
    const xml = renderTwiml([{ kind: "Gather", input: "dtmf", action: "/a", voice: RAVEENA, children: [] }]);
    expect(xml).toContain(`<Gather input="dtmf" action="/a" method="POST" language="en-IN"></Gather>`);
    expect(xml).not.toContain("numDigits");
    expect(xml).not.toContain("timeout");
  });

  it("escapes & < > \" ' in Say text", () => {
    expect(renderTwiml([say(`Tom & Jerry's <clinic> "A"`)])).toContain(
      `>Tom &amp; Jerry&apos;s &lt;clinic&gt; &quot;A&quot;</Say>`,
    );
  });

  it("escapes attribute values, so an action URL with & and quotes stays one attribute", () => {
    const xml = renderTwiml([
      { kind: "Gather", input: "dtmf", action: `/x?a=1&b="2"&c='3'<>`, voice: RAVEENA, children: [] },
    ]);
    expect(xml).toContain(`action="/x?a=1&amp;b=&quot;2&quot;&amp;c=&apos;3&apos;&lt;&gt;"`);
    const gather = parseTwiml(xml).children[0] as TwimlElement;
    expect(gather.attributes.action).toBe(`/x?a=1&b="2"&c='3'<>`);
  });

  it("escapes Redirect, Play and Message bodies", () => {
    expect(renderTwiml([{ kind: "Redirect", url: "/r?a=1&b=2" }])).toContain(
      `<Redirect method="POST">/r?a=1&amp;b=2</Redirect>`,
    );
    expect(renderTwiml([{ kind: "Play", url: "https://x.test/a.mp3?x=1&y=2" }])).toContain(
      `<Play>https://x.test/a.mp3?x=1&amp;y=2</Play>`,
    );
    expect(renderTwiml([{ kind: "Message", body: "A & B" }])).toContain(`<Message>A &amp; B</Message>`);
  });

  it("drops control characters XML 1.0 cannot carry, keeping tab and newlines", () => {
    expect(escapeXml("a\u0000b\u0007c\u000Bd\u001Fe\uFFFEf\uFFFF")).toBe("abcdef");
    expect(escapeXml("line\tone\nline\rtwo")).toBe("line\tone\nline\rtwo");
    const xml = renderTwiml([say("Dr.\u0001 Kavya\u0008")]);
    expect(textOf(parseTwiml(xml))).toBe("Dr. Kavya");
  });

  it("puts voice and language on every Say, and language on every Gather", () => {
    const xml = renderTwiml([
      say("one"),
      { kind: "Gather", input: "dtmf", action: "/a", voice: RAVEENA, children: [say("two"), say("three")] },
      say("four"),
    ]);
    const all = elements(parseTwiml(xml));
    const says = all.filter((e) => e.name === "Say");
    expect(says).toHaveLength(4);
    for (const s of says) expect(s.attributes).toEqual({ voice: "Polly.Raveena", language: "en-IN" });
    expect(all.find((e) => e.name === "Gather")!.attributes.language).toBe("en-IN");
  });

  it("cannot express a Redirect inside a Gather (a type error)", () => {
    const xml = renderTwiml([
      // @ts-expect-error Gather holds only Say, Play and Pause.
      { kind: "Gather", input: "dtmf", action: "/a", voice: RAVEENA, children: [{ kind: "Redirect", url: "/b" }] },
    ]);
    // Forced past the compiler, the reader still flags it.
    expect(twimlProblems(parseTwiml(xml), "voice")).toEqual(["<Redirect> inside <Gather>"]);
  });

  it("renders Hangup and a POST Redirect", () => {
    expect(renderTwiml([{ kind: "Redirect", url: "/next" }, { kind: "Hangup" }])).toMatchInlineSnapshot(
      `"<?xml version="1.0" encoding="UTF-8"?><Response><Redirect method="POST">/next</Redirect><Hangup/></Response>"`,
    );
  });

  it("renders a MessagingResponse with <Message>", () => {
    const xml = renderTwiml([{ kind: "Message", body: "Appointment booked. Token KS-2." }]);
    expect(xml).toMatchInlineSnapshot(
      `"<?xml version="1.0" encoding="UTF-8"?><Response><Message>Appointment booked. Token KS-2.</Message></Response>"`,
    );
    expect(twimlProblems(parseTwiml(xml), "messaging")).toEqual([]);
  });
});

describe("twimlResponse", () => {
  it("sends the document as text/xml with status 200 by default", async () => {
    const res = twimlResponse([say("Hello.")]);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/xml; charset=utf-8");
    expect(await res.text()).toBe(renderTwiml([say("Hello.")]));
  });

  it("keeps a given status", () => {
    expect(twimlResponse([], 403).status).toBe(403);
  });
});

describe("round trip through the TwiML reader", () => {
  const nasty = `Shetty & Rao's <"clinic"> \u0002done`;
  const xml = renderTwiml([
    say(nasty),
    {
      kind: "Gather",
      input: "dtmf",
      action: "/api/ivr/offer/?lang=en&hold=1.2026-11-25.2",
      numDigits: 1,
      voice: RAVEENA,
      children: [say("Press 1."), { kind: "Pause", length: 2 }, { kind: "Play", url: "https://x.test/a.mp3" }],
    },
    { kind: "Redirect", url: "/api/ivr/offer/?lang=en&tries=1" },
    { kind: "Hangup" },
  ]);

  it("parses and breaks none of Twilio's nesting rules", () => {
    expect(twimlProblems(parseTwiml(xml), "voice")).toEqual([]);
  });

  it("gives back the original text and URLs", () => {
    const root = parseTwiml(xml);
    expect(root.name).toBe("Response");
    expect(root.children.map((c) => (typeof c === "string" ? c : c.name))).toEqual([
      "Say",
      "Gather",
      "Redirect",
      "Hangup",
    ]);
    const [first, gather, redirect] = root.children as TwimlElement[];
    expect(textOf(first!)).toBe(`Shetty & Rao's <"clinic"> done`);
    expect(gather!.attributes).toEqual({
      input: "dtmf",
      action: "/api/ivr/offer/?lang=en&hold=1.2026-11-25.2",
      method: "POST",
      numDigits: "1",
      language: "en-IN",
    });
    expect((gather!.children as TwimlElement[]).map((c) => c.name)).toEqual(["Say", "Pause", "Play"]);
    expect(redirect!.attributes.method).toBe("POST");
    expect(textOf(redirect!)).toBe("/api/ivr/offer/?lang=en&tries=1");
  });
});

describe("twimlProblems catches what Twilio would reject", () => {
  it("a <Redirect> inside <Gather>", () => {
    const root = parseTwiml(`<Response><Gather action="/a"><Redirect>/b</Redirect></Gather></Response>`);
    expect(twimlProblems(root, "voice")).toEqual(["<Redirect> inside <Gather>"]);
  });

  it("a root that is not <Response>", () => {
    expect(twimlProblems(parseTwiml(`<Say voice="v" language="en-IN">Hi</Say>`), "voice")).toContain(
      "root is <Say>, not <Response>",
    );
  });

  it("a <Say> without voice and language, and a voice verb in a messaging response", () => {
    expect(twimlProblems(parseTwiml(`<Response><Say>Hi</Say></Response>`), "voice")).toEqual([
      "<Say> without voice and language",
    ]);
    expect(twimlProblems(parseTwiml(`<Response><Gather><Say voice="v">Hi</Say></Gather></Response>`), "voice")).toEqual(
      ["<Say> without voice and language"],
    );
    expect(twimlProblems(parseTwiml(`<Response><Hangup/></Response>`), "messaging")).toEqual([
      "<Hangup> is not a messaging verb",
    ]);
  });

  it("and the reader refuses unescaped markup", () => {
    expect(() => parseTwiml(`<Response><Say>Tom & Jerry</Say></Response>`)).toThrow();
    expect(() => parseTwiml(`<Response><Say>a < b</Say></Response>`)).toThrow();
    expect(() => parseTwiml(`<Response><Redirect>/a?b=1&c=2</Redirect></Response>`)).toThrow(/bare &/);
    expect(() => parseTwiml(`<Response><Gather action="/a?b=1&c=2"></Gather></Response>`)).toThrow(/bare &/);
  });
});
