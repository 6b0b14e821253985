/** Test helpers: calls into the Worker as Twilio would, and a fake Twilio REST API. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import worker from "../../src/index.ts";
import { DIALECTS, plivoDialect, type ProviderName } from "../../tools/dialects.ts";
import { assertPlivoXml } from "./plivo-oracle.ts";
import { SimulatedCall, signedPost, type Fetcher, type Turn } from "../../tools/twilio-caller.ts";
import { MORE_KEY } from "../../src/ivr/menu.ts";
import { mockServer } from "../setup.ts";

export const BASE_URL = "https://line.test";
export const AUTH_TOKEN = "test-auth-token";

/**
 * A Request as the Worker receives it over HTTP: a string body comes with its Content-Length
 * (a Request built in-process has none, and the webhook guard requires it).
 */
export function overHttp(url: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (typeof init.body === "string") headers.set("Content-Length", String(new TextEncoder().encode(init.body).length));
  return new Request(url, { ...init, headers });
}

export const workerFetch: Fetcher = (url, init) => exports.default.fetch(url, init);

export function newCall(from = "+919876543210", callSid?: string): SimulatedCall {
  return new SimulatedCall({
    baseUrl: BASE_URL,
    authToken: AUTH_TOKEN,
    from,
    fetch: workerFetch,
    ...(callSid ? { callSid } : {}),
  });
}

/**
 * The Worker with some variables set otherwise than in vitest.config.ts, e.g. all three
 * languages on (LANGUAGES=kn,en,hi, as wrangler.toml ships) or speech on for Kannada.
 */
export function lineWith(vars: Record<string, string>): Fetcher {
  return async (url, init) => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(overHttp(url, init), { ...env, ...vars } as Env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

/** A call to the line as `lineWith` configured it. */
export function newCallOn(line: Fetcher, from: string): SimulatedCall {
  return new SimulatedCall({ baseUrl: BASE_URL, authToken: AUTH_TOKEN, from, fetch: line });
}

/** Signs and posts form parameters to a path of the Worker. */
export function post(path: string, params: Record<string, string>): Promise<Response> {
  return signedPost(workerFetch, AUTH_TOKEN, new URL(path, BASE_URL).toString(), params);
}

export interface SentSms {
  To: string;
  From: string;
  Body: string;
  StatusCallback?: string;
}

/** Answers Twilio's Messages endpoint like Twilio, recording each message. */
export function fakeTwilioSms(respond?: (sms: SentSms, n: number) => Response | Promise<Response>): SentSms[] {
  const sent: SentSms[] = [];
  mockServer.use(
    http.post(
      `https://twilio.test/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Messages.json`,
      async ({ request }) => {
        const form = Object.fromEntries(
          new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())),
        ) as unknown as SentSms;
        sent.push(form);
        if (respond) return respond(form, sent.length);
        return HttpResponse.json(
          { sid: `SM${crypto.randomUUID().replaceAll("-", "")}`, status: "queued" },
          { status: 201 },
        );
      },
    ),
  );
  return sent;
}

/** The spoken text of a turn as one string, for readable assertions. */
export function heard(turn: { said: string[] }): string {
  return turn.said.join(" ");
}

/**
 * Chooses `name` at an English menu as a caller does: listens for "For <name>, press N" and
 * presses N, pressing 9 for more choices until it is said (a page says at most four).
 */
export async function choose(call: SimulatedCall, menu: Turn, name: string): Promise<Turn> {
  let turn = menu;
  for (let page = 0; page < 10; page++) {
    const key = heard(turn).match(
      new RegExp(`For ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, press (\\d)\\.`),
    )?.[1];
    if (key) return call.press(key);
    if (!heard(turn).includes(`press ${MORE_KEY}.`)) break;
    turn = await call.press(MORE_KEY);
  }
  throw new Error(`"${name}" is not offered: ${heard(turn)}`);
}

/**
 * A patient who has booked before (a past, completed visit), as the patient page's "text me a
 * password" requires. Each phone gets its own past time, so the live-slot index is never hit.
 */
export async function bookedPatient(phone: string): Promise<void> {
  const n = Number(phone.slice(-6));
  const startsAt = new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString();
  const endsAt = new Date(Date.UTC(2020, 0, 1) + (n + 15) * 60_000).toISOString();
  await env.DB.batch([
    env.DB.prepare("INSERT INTO patients (phone, name) VALUES (?, 'Phone patient') ON CONFLICT DO NOTHING").bind(phone),
    env.DB.prepare(
      `INSERT INTO appointments (doctor_id, clinic_id, patient_id, local_date, starts_at, ends_at, token, status, source)
       SELECT 1, 1, id, ?2, ?3, ?4, ?5, 'completed', 'ivr' FROM patients WHERE phone = ?1`,
    ).bind(phone, startsAt.slice(0, 10), startsAt, endsAt, `P-${n}`),
  ]);
}

/** Each provider's secret in the test bindings (vitest.config.ts). */
export const PROVIDER_SECRETS: Record<ProviderName, string> = {
  twilio: AUTH_TOKEN,
  plivo: "test-plivo-auth-token",
  exotel: "test-exotel-url-secret",
};

/** A call to the line as `provider` makes it: its parameters, its signing, its XML. */
export function newProviderCall(
  provider: ProviderName,
  from: string,
  options: { fetch?: Fetcher; dialOutcome?: "no-answer" | "completed" | "busy" } = {},
): SimulatedCall {
  return new SimulatedCall({
    baseUrl: BASE_URL,
    authToken: PROVIDER_SECRETS[provider],
    from,
    // Every Plivo document is checked against the official package on every turn.
    dialect:
      provider === "plivo"
        ? { ...plivoDialect, read: (xml) => (assertPlivoXml(xml), plivoDialect.read(xml)) }
        : DIALECTS[provider],
    fetch: options.fetch ?? workerFetch,
    ...(options.dialOutcome ? { dialOutcome: options.dialOutcome } : {}),
  });
}
