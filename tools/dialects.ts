/**
 * How each provider calls the line and reads its answer, for the simulated caller (tests and
 * `npm run call -- --provider ...`): its parameter names, how it signs (or, for Exotel, the keyed
 * entry URL an operator pastes into the dashboard), and its XML, read into Twilio's element
 * names so one caller can follow any of them.
 */
import { entryKey, statusKey } from "../src/providers/exotel-urls.ts";
import { plivoSignature } from "../src/providers/plivo-signature.ts";
import { computeSignature } from "../src/twilio/signature.ts";
import { parseTwiml, twimlProblems, type TwimlElement, type TwimlNode } from "./twiml-reader.ts";

export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;
export type ProviderName = "twilio" | "exotel" | "plivo";

/** A call's facts, and what this request adds to them (keys, a dial's end, the call's end). */
export interface CallFacts {
  callSid: string;
  from: string;
  to: string;
  /** A call the line placed: from is then the line's number and to the patient's. */
  outbound?: boolean;
}
export interface Extra {
  Digits?: string;
  SpeechResult?: string;
  Confidence?: string;
  DialCallStatus?: string;
  CallStatus?: string;
  /** Twilio's answering-machine detection on a call the line placed: human, machine_start... */
  AnsweredBy?: string;
  /** A finished recording, as the provider reports it to its callback. */
  Recording?: { id: string; seconds: number };
}

export interface Dialect {
  name: ProviderName;
  /** The number a caller dials when none is given. */
  defaultTo: string;
  entryUrl(baseUrl: string, secret: string, to: string): Promise<string>;
  statusUrl(baseUrl: string, secret: string): Promise<string>;
  /** Sends one webhook as the provider does; `first` is the entry request of the call. */
  send(fetcher: Fetcher, secret: string, url: string, call: CallFacts, extra: Extra, first: boolean): Promise<Response>;
  /** The document, checked against the provider's rules (throws on a problem), in Twilio's names. */
  read(xml: string): TwimlElement;
}

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

function renamed(
  node: TwimlElement,
  names: Record<string, string>,
  attributes: Record<string, string> = {},
): TwimlElement {
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(node.attributes)) attrs[attributes[name] ?? name] = value;
  return {
    name: names[node.name] ?? node.name,
    attributes: attrs,
    children: node.children.map((c: TwimlNode) => (typeof c === "string" ? c : renamed(c, names, attributes))),
  };
}

/** Twilio's names for the extras (a recording's status callback fields). */
function twilioFields({ Recording, ...rest }: Extra): Record<string, string> {
  const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, string>;
  if (!Recording) return fields;
  return {
    ...fields,
    RecordingSid: Recording.id,
    RecordingStatus: "completed",
    RecordingDuration: String(Recording.seconds),
  };
}

export const twilioDialect: Dialect = {
  name: "twilio",
  defaultTo: "+15005550006",
  entryUrl: async (baseUrl) => new URL("/api/ivr/welcome/", baseUrl).toString(),
  statusUrl: async (baseUrl) => new URL("/api/ivr/status/", baseUrl).toString(),
  async send(fetcher, secret, url, call, extra) {
    const params: Record<string, string> = {
      AccountSid: "AC00000000000000000000000000000000",
      ApiVersion: "2010-04-01",
      CallSid: call.callSid,
      CallStatus: "in-progress",
      Called: call.to,
      Caller: call.from,
      Direction: call.outbound ? "outbound-api" : "inbound",
      From: call.from,
      To: call.to,
      ...twilioFields(extra),
    };
    const signature = await computeSignature(secret, url, params);
    return fetcher(url, {
      method: "POST",
      headers: { ...FORM, "X-Twilio-Signature": signature },
      body: new URLSearchParams(params).toString(),
    });
  },
  read(xml) {
    const root = parseTwiml(xml);
    const problems = twimlProblems(root, "voice");
    if (problems.length) throw new Error(`invalid TwiML: ${problems.join("; ")}`);
    return root;
  },
};

const PLIVO_VERBS = new Set(["Speak", "Play", "Wait", "GetInput", "GetDigits", "Dial", "Redirect", "Hangup", "Record"]);

export const plivoDialect: Dialect = {
  name: "plivo",
  defaultTo: "+918071000000",
  entryUrl: async (baseUrl) => new URL("/api/plivo/welcome/", baseUrl).toString(),
  statusUrl: async (baseUrl) => new URL("/api/plivo/status/", baseUrl).toString(),
  async send(fetcher, secret, url, call, extra) {
    // Plivo's names: CallUUID, From/To without the plus, Digits, DialStatus, CallStatus.
    const params: Record<string, string> = {
      CallUUID: call.callSid,
      Direction: call.outbound ? "outbound" : "inbound",
      From: call.from.replace(/^\+/, ""),
      To: call.to.replace(/^\+/, ""),
      CallStatus: extra.CallStatus ?? "in-progress",
      Event: extra.CallStatus ? "Hangup" : "StartApp",
      ...(extra.Digits !== undefined ? { Digits: extra.Digits, InputType: "dtmf" } : {}),
      // GetInput's speech: Speech and SpeechConfidenceScore (0.0 to 1.0).
      ...(extra.SpeechResult !== undefined
        ? { InputType: "speech", Speech: extra.SpeechResult, SpeechConfidenceScore: extra.Confidence ?? "0.9" }
        : {}),
      ...(extra.DialCallStatus
        ? { DialStatus: extra.DialCallStatus === "no-answer" ? "timeout" : extra.DialCallStatus }
        : {}),
      // Record's callbackUrl: the recording's id and length (and where Plivo keeps it).
      ...(extra.Recording
        ? {
            RecordingID: extra.Recording.id,
            RecordingDuration: String(extra.Recording.seconds),
            RecordingDurationMs: String(extra.Recording.seconds * 1000),
            RecordUrl: `https://media.plivo.com/v1/Account/MA000/Recording/${extra.Recording.id}.mp3`,
          }
        : {}),
    };
    const nonce = String(Math.floor(Math.random() * 1e15));
    const signature = await plivoSignature(secret, url, Object.entries(params), nonce);
    return fetcher(url, {
      method: "POST",
      headers: { ...FORM, "X-Plivo-Signature-V3": signature, "X-Plivo-Signature-V3-Nonce": nonce },
      body: new URLSearchParams(params).toString(),
    });
  },
  read(xml) {
    const root = parseTwiml(xml);
    if (root.name !== "Response") throw new Error(`root is <${root.name}>`);
    for (const child of root.children) {
      if (typeof child === "string" || !PLIVO_VERBS.has(child.name))
        throw new Error(`not a Plivo element: ${typeof child === "string" ? "text" : child.name}`);
      if (child.name === "Speak" && (!child.attributes.voice || !child.attributes.language))
        throw new Error("<Speak> without voice and language");
    }
    return renamed(
      root,
      { Speak: "Say", Wait: "Pause", GetInput: "Gather", GetDigits: "Gather" },
      { inputType: "input" },
    );
  },
};

const EXOTEL_VERBS = new Set(["Say", "Play", "Gather", "Dial", "Redirect", "Hangup"]);
const EXOTEL_GATHER = new Set(["Say", "Play"]);

export const exotelDialect: Dialect = {
  name: "exotel",
  defaultTo: "+918047100000",
  entryUrl: async (baseUrl, secret, to) =>
    new URL(`/api/exotel/welcome/?k=${await entryKey(secret, to)}`, baseUrl).toString(),
  statusUrl: async (baseUrl, secret) => new URL(`/api/exotel/status/?k=${await statusKey(secret)}`, baseUrl).toString(),
  async send(fetcher, _secret, url, call, extra, first) {
    // Exotel's names, local Indian format (0 + ten digits) as its dashboards show numbers.
    const local = (n: string) => n.replace(/^\+91/, "0");
    const params: Record<string, string> = {
      CallSid: call.callSid,
      CallFrom: local(call.from),
      CallTo: local(call.to),
      Direction: "incoming",
      ...(extra.CallStatus ? { Status: extra.CallStatus } : { CallStatus: "in-progress" }),
      ...(extra.Digits !== undefined ? { DigitsPressed: extra.Digits } : {}),
      ...(extra.DialCallStatus ? { DialCallStatus: extra.DialCallStatus } : {}),
    };
    // Nothing is signed. The flow's first request comes as a GET with the parameters in the
    // query (as a Passthru's does); the Gather and Dial actions are POSTs, as the line asks.
    if (first) {
      const withQuery = new URL(url);
      for (const [name, value] of Object.entries(params)) withQuery.searchParams.append(name, value);
      return fetcher(withQuery.toString(), { method: "GET" });
    }
    return fetcher(url, { method: "POST", headers: FORM, body: new URLSearchParams(params).toString() });
  },
  read(xml) {
    const root = parseTwiml(xml);
    if (root.name !== "Response") throw new Error(`root is <${root.name}>`);
    for (const child of root.children) {
      if (typeof child === "string" || !EXOTEL_VERBS.has(child.name))
        throw new Error(`not an ExoML verb: ${typeof child === "string" ? "text" : child.name}`);
      if (child.name === "Gather")
        for (const inner of child.children)
          if (typeof inner !== "string" && !EXOTEL_GATHER.has(inner.name))
            throw new Error(`<${inner.name}> inside <Gather>`);
    }
    return root;
  },
};

export const DIALECTS: Record<ProviderName, Dialect> = {
  twilio: twilioDialect,
  plivo: plivoDialect,
  exotel: exotelDialect,
};
