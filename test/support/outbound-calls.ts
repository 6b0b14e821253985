/** The provider's side of the calls the line places: Twilio's Calls API faked, the patient's phone answering, status callbacks. */
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { SimulatedCall, signedPost, type Fetcher } from "../../tools/twilio-caller.ts";
import { mockServer } from "../setup.ts";
import { AUTH_TOKEN, BASE_URL } from "./line.ts";

/** The line's Twilio number (the From of the calls it places). */
export const LINE_NUMBER = "+15005550006";

export interface PlacedCall {
  To: string;
  From: string;
  Url: string;
  StatusCallback: string;
  MachineDetection: string;
  sid: string;
}

/** Twilio's Calls endpoint: records each request; `respond` (given the how-manyth call to that number) may fail it. */
export function fakeTwilioCalls(respond?: (n: number, to: string) => Response | undefined): PlacedCall[] {
  const placed: PlacedCall[] = [];
  mockServer.use(
    http.post(`https://twilio.test/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Calls.json`, async ({ request }) => {
      const body = new TextDecoder().decode(await request.arrayBuffer());
      const form = Object.fromEntries(new URLSearchParams(body)) as Omit<PlacedCall, "sid">;
      const failed = respond?.(placed.filter((c) => c.To === form.To).length + 1, form.To);
      const sid = `CA${crypto.randomUUID().replaceAll("-", "")}`;
      placed.push({ ...form, sid: failed ? "" : sid });
      return failed ?? HttpResponse.json({ sid, status: "queued" }, { status: 201 });
    }),
  );
  return placed;
}

/** The patient's phone rings and they pick it up (or their voicemail does). */
export function pickUp(line: Fetcher, placed: PlacedCall): SimulatedCall {
  return new SimulatedCall({
    baseUrl: BASE_URL,
    authToken: AUTH_TOKEN,
    from: LINE_NUMBER,
    to: placed.To,
    callSid: placed.sid,
    voicePath: placed.Url,
    statusUrl: placed.StatusCallback,
    outbound: true,
    fetch: line,
  });
}

/** The provider's status callback for a placed call, signed as Twilio signs it. */
export function reportStatus(
  line: Fetcher,
  placed: PlacedCall,
  CallStatus: string,
  url = placed.StatusCallback,
): Promise<Response> {
  return signedPost(line, AUTH_TOKEN, url, {
    CallSid: placed.sid,
    CallStatus,
    Direction: "outbound-api",
    From: LINE_NUMBER,
    To: placed.To,
  });
}
