/**
 * A phone call as Twilio makes it (or, with a dialect, as Plivo or Exotel does): POST the Voice
 * URL with the provider's parameters, signed as it signs; read the XML; speak each <Say>; at a
 * <Gather> wait for keys and POST its action with Digits (or, where the Gather listens for
 * speech, with SpeechResult and Confidence), or on silence fall through to the next verb;
 * follow <Redirect>s; stop at <Hangup> or the end of the document. Used by the tests and by
 * `npm run call`.
 */
import { computeSignature } from "../src/twilio/signature.ts";
import { twilioDialect, type Dialect, type Extra, type Fetcher } from "./dialects.ts";
import { textOf, type TwimlElement } from "./twiml-reader.ts";

export type { Fetcher };

export interface CallOptions {
  /** Where the Worker is, e.g. http://localhost:8787 */
  baseUrl: string;
  /** The provider's secret: Twilio's or Plivo's auth token, or Exotel's URL secret (for its entry key). */
  authToken: string;
  /** Whose call this is; Twilio's by default. */
  dialect?: Dialect;
  from: string;
  to?: string;
  callSid?: string;
  voicePath?: string;
  fetch?: Fetcher;
  /** A call the line placed (`from` the line's number, `to` the patient's), answered at `voicePath`. */
  outbound?: boolean;
  /** Where the call's status callbacks go, when not the number's (a placed call's own StatusCallback). */
  statusUrl?: string;
  /** How a <Dial> ends: nobody answers by default (a local phone cannot ring a real reception). */
  dialOutcome?: "no-answer" | "completed" | "busy";
}

/** One <Say> as the caller heard it, with the voice and language that said it. */
export interface Utterance {
  text: string;
  voice: string;
  language: string;
}

/** How the caller answers a question. */
type Answer =
  { kind: "keys"; digits: string } | { kind: "speech"; text: string; confidence: number } | { kind: "silence" };

export interface Turn {
  /** What the caller heard since the last key press. */
  said: string[];
  /** The same, with each <Say>'s voice and language. */
  utterances: Utterance[];
  /** True when the call is over (Hangup or end of document). */
  ended: boolean;
  /** The HTTP statuses and bodies of the requests this turn made, for assertions. */
  responses: { url: string; status: number; body: string }[];
}

/** Sends one signed form POST the way Twilio does. */
export async function signedPost(
  fetcher: Fetcher,
  authToken: string,
  url: string,
  params: Record<string, string>,
): Promise<Response> {
  const signature = await computeSignature(authToken, url, params);
  return fetcher(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
    body: new URLSearchParams(params).toString(),
  });
}

export function randomSid(prefix: string): string {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  return prefix + hex;
}

export class SimulatedCall {
  readonly callSid: string;
  readonly transcript: string[] = [];
  private readonly fetcher: Fetcher;
  private pending: { verbs: (TwimlElement | string)[]; index: number; url: string } | null = null;
  private over = false;

  private readonly options: CallOptions;

  constructor(options: CallOptions) {
    this.options = options;
    this.callSid = options.callSid ?? randomSid("CA");
    this.fetcher = options.fetch ?? ((url, init) => fetch(url, init));
  }

  get ended(): boolean {
    return this.over;
  }

  private get dialect(): Dialect {
    return this.options.dialect ?? twilioDialect;
  }

  private get facts() {
    return {
      callSid: this.callSid,
      from: this.options.from,
      to: this.options.to ?? this.dialect.defaultTo,
      ...(this.options.outbound ? { outbound: true } : {}),
    };
  }

  private async request(path: string, currentUrl: string | null, extra: Extra, turn: Turn) {
    const url = new URL(path, currentUrl ?? this.options.baseUrl).toString();
    const first = currentUrl === null;
    const response = await this.dialect.send(this.fetcher, this.options.authToken, url, this.facts, extra, first);
    const body = await response.text();
    turn.responses.push({ url, status: response.status, body });
    if (response.status !== 200) {
      this.over = true;
      this.pending = null;
      const text = `[HTTP ${response.status} from ${url}: ${this.dialect.name} would play its application error message]`;
      turn.said.push(text);
      turn.utterances.push({ text, voice: "", language: "" });
      return;
    }
    this.pending = { verbs: this.dialect.read(body).children, index: 0, url };
  }

  /** Plays verbs until the call needs input or ends. */
  private async run(turn: Turn, answer: Answer | "wait"): Promise<Turn> {
    let input = answer;
    // A recorded clip is heard as its address (a prompt pack plays it instead of the voice).
    const hear = (say: TwimlElement) => {
      const text = say.name === "Play" ? `[play] ${textOf(say).trim()}` : textOf(say).trim();
      turn.said.push(text);
      turn.utterances.push({ text, voice: say.attributes.voice ?? "", language: say.attributes.language ?? "" });
    };
    while (this.pending) {
      const { verbs, url } = this.pending;
      const verb = verbs[this.pending.index++];
      if (verb === undefined) {
        this.over = true; // end of the document hangs up
        this.pending = null;
        break;
      }
      if (typeof verb === "string") continue;
      if (verb.name === "Say" || verb.name === "Play") hear(verb);
      if (verb.name === "Hangup") {
        this.over = true;
        this.pending = null;
        break;
      }
      if (verb.name === "Dial") {
        // Say what Twilio would ring, then post the Dial's action as Twilio does when it ends.
        const outcome = this.options.dialOutcome ?? "no-answer";
        const text = `[dialling ${textOf(verb).trim()} for up to ${verb.attributes.timeout ?? 30} s: ${outcome}]`;
        turn.said.push(text);
        turn.utterances.push({ text, voice: "", language: "" });
        await this.request(verb.attributes.action ?? url, url, { DialCallStatus: outcome }, turn);
        continue;
      }
      if (verb.name === "Redirect") {
        await this.request(textOf(verb).trim(), url, {}, turn);
        continue;
      }
      if (verb.name === "Gather") {
        const heard = verb.children.filter(
          (c): c is TwimlElement => typeof c !== "string" && (c.name === "Say" || c.name === "Play"),
        );
        if (input === "wait") {
          // Stop here: the caller hears the prompt and the next press() answers it.
          heard.forEach(hear);
          this.pending.index--;
          break;
        }
        const action = verb.attributes.action ?? url;
        const listens = (verb.attributes.input ?? "dtmf").split(" ").includes("speech");
        if (input.kind === "keys") {
          await this.request(action, url, { Digits: input.digits }, turn);
          input = "wait";
          continue;
        }
        if (input.kind === "speech" && listens) {
          const speech = { SpeechResult: input.text, Confidence: String(input.confidence) };
          await this.request(action, url, speech, turn);
          input = "wait";
          continue;
        }
        // Silence, or speech at a Gather that only takes keys (Twilio hears nothing):
        // fall through to the verb after the Gather.
        input = "wait";
      }
    }
    this.transcript.push(...turn.said);
    return turn;
  }

  /** Dials the line (or, on a call the line placed, answers it) and plays up to the first question. */
  async dial(extra: Extra = {}): Promise<Turn> {
    const turn: Turn = { said: [], utterances: [], ended: false, responses: [] };
    const entry =
      this.options.voicePath ??
      (await this.dialect.entryUrl(this.options.baseUrl, this.options.authToken, this.facts.to));
    await this.request(entry, null, extra, turn);
    await this.run(turn, "wait");
    return { ...turn, ended: this.over };
  }

  /**
   * The call is over (the line hung up, or the caller did): posts the number's call status
   * callback as Twilio does, so the line lets go of any time the call still holds.
   */
  async hangUp(status: "completed" | "canceled" | "busy" | "no-answer" = "completed"): Promise<number> {
    this.over = true;
    this.pending = null;
    const url = this.options.statusUrl ?? (await this.dialect.statusUrl(this.options.baseUrl, this.options.authToken));
    const response = await this.dialect.send(
      this.fetcher,
      this.options.authToken,
      url,
      this.facts,
      { CallStatus: status },
      false,
    );
    return response.status;
  }

  /** Answers the waiting question with keys, or with silence (undefined or ""). */
  async press(digits: string | undefined): Promise<Turn> {
    return this.answer(digits === undefined || digits === "" ? { kind: "silence" } : { kind: "keys", digits });
  }

  /** Answers the waiting question by voice, as Twilio's recogniser heard it. */
  async speak(text: string, confidence = 0.9): Promise<Turn> {
    return this.answer({ kind: "speech", text, confidence });
  }

  private async answer(answer: Answer): Promise<Turn> {
    if (this.over || !this.pending) throw new Error("the call has ended");
    const turn: Turn = { said: [], utterances: [], ended: false, responses: [] };
    // The prompt was already heard when the Gather was reached; answer it now.
    await this.run(turn, answer);
    return { ...turn, ended: this.over };
  }
}
