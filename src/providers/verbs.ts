/**
 * What the call flow says and asks, in no provider's words: each provider adapter
 * (providers/twilio.ts, plivo.ts, exotel.ts) renders these into its own XML. The shapes are
 * TwiML's, because Twilio came first; a provider that lacks a verb says so in its adapter.
 */

export interface Voice {
  /** The voice's name as the catalogue chose it (a Twilio name, e.g. "Polly.Raveena"); other providers pick theirs by `language`. */
  voice: string;
  /** BCP-47 language of the text, e.g. "en-IN": what every provider renders by. */
  language: string;
}

/** A piece of one prompt: words for a voice, or a recorded clip that says them. */
export type Segment = { kind: "say"; text: string; voice: Voice } | { kind: "play"; url: string };

/** Said words, a recorded clip (a prompt pack's, or any audio URL), or a short silence. */
export type GatherChild =
  | { kind: "Say"; text: string; voice: Voice }
  | { kind: "Pause"; length: number }
  | { kind: "Play"; url: string }
  /**
   * Words said or played piece by piece (a recorded prompt pack, the voice where it has no clip):
   * every provider renders each piece with its own say and play verbs.
   */
  | { kind: "Segments"; segments: readonly Segment[] };

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
      /** With speech: the phrases the recogniser should expect, comma-separated. */
      hints?: string;
      children: GatherChild[];
      /** With speech: seconds of silence that end the answer, or "auto" (end when the caller stops talking). */
      speechTimeout?: "auto" | number;
      /** With speech: the recognition model, named so the account's default cannot change it. */
      speechModel?: string;
    }
  | {
      /** Records the caller; `action` gets the result, `recordingStatusCallback` the finished file's SID. */
      kind: "Record";
      action: string;
      maxLength: number;
      /** Seconds of silence that end the recording. */
      timeout: number;
      finishOnKey: string;
      recordingStatusCallback: string;
    }
  | { kind: "Redirect"; url: string }
  /** Connects the caller to `number`; when the dialled call ends, the provider posts how it ended to `action`. */
  | { kind: "Dial"; number: string; timeout: number; action: string }
  | { kind: "Hangup" };
