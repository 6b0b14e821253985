import { describe, expect, it } from "vitest";
import { escapeXml, renderTwiml, twimlResponse, type Voice } from "../src/twilio/twiml.ts";
import { parseTwiml, textOf, twimlProblems } from "../tools/twiml-reader.ts";

const voice: Voice = { voice: "Polly.Raveena", language: "en-IN" };

describe("TwiML builder", () => {
  it("renders a gather with its prompt, a redirect for silence, and escapes everything", () => {
    const xml = renderTwiml([
      {
        kind: "Gather",
        input: "dtmf",
        numDigits: 1,
        timeout: 6,
        action: "/api/ivr/handle-clinic/?lang=en&state=1",
        voice,
        children: [{ kind: "Say", text: `Dr. "Rao" & <Sons>'s clinic`, voice }],
      },
      { kind: "Redirect", url: "/api/ivr/handle-clinic/?lang=en&state=1" },
      { kind: "Hangup" },
    ]);
    expect(xml).toMatchInlineSnapshot(
      `"<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" action="/api/ivr/handle-clinic/?lang=en&amp;state=1" method="POST" numDigits="1" timeout="6" language="en-IN"><Say voice="Polly.Raveena" language="en-IN">Dr. &quot;Rao&quot; &amp; &lt;Sons&gt;&apos;s clinic</Say></Gather><Redirect method="POST">/api/ivr/handle-clinic/?lang=en&amp;state=1</Redirect><Hangup/></Response>"`,
    );
    const root = parseTwiml(xml);
    expect(twimlProblems(root, "voice")).toEqual([]);
    expect(textOf(root.children[0]!)).toBe(`Dr. "Rao" & <Sons>'s clinic`);
  });

  it("renders SMS replies as MessagingResponse", () => {
    const xml = renderTwiml([{ kind: "Message", body: "Cancelled: KS-2 <ok>" }]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Cancelled: KS-2 &lt;ok&gt;</Message></Response>',
    );
    expect(twimlProblems(parseTwiml(xml), "messaging")).toEqual([]);
  });

  it("drops control characters XML cannot carry", () => {
    expect(escapeXml("a\u0000b\u0007c\td\ne")).toBe("abc\td\ne");
  });

  it("answers with text/xml", async () => {
    const res = twimlResponse([{ kind: "Hangup" }]);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
  });
});

describe("twimlProblems", () => {
  it("catches what Twilio rejects", () => {
    expect(twimlProblems(parseTwiml("<Response><Gather><Redirect>/x</Redirect></Gather></Response>"), "voice")).toEqual(
      ["<Redirect> inside <Gather>"],
    );
    expect(twimlProblems(parseTwiml("<Reply><Hangup/></Reply>"), "voice")).toEqual(["root is <Reply>, not <Response>"]);
    expect(twimlProblems(parseTwiml("<Response><Say>hi</Say></Response>"), "voice")).toEqual([
      "<Say> without voice and language",
    ]);
    expect(() => parseTwiml("<Response><Say>unclosed</Response>")).toThrow();
  });
});
