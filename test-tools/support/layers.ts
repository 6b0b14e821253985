/**
 * The layers of src/ and the rule between them (README "How it works", "Layers"): a module may
 * import its own layer and the layers below it, never one above. Each folder (or, where a folder
 * holds more than one layer, a file) has its layer in LAYER_OF; the most specific entry wins.
 * `import type` counts too: a type is a dependency a reader follows like any other.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Bottom to top. Side modules (words, settings, pure calendars and formats) serve every layer. */
export const LAYERS = [
  "side",
  "edge",
  "objects",
  "stores",
  "sms",
  "accounts",
  "reasons",
  "booking",
  "flows",
  "routes",
  "entry",
] as const;
export type Layer = (typeof LAYERS)[number];

/** Path under src/ (a folder ends in "/") -> its layer. */
export const LAYER_OF: Record<string, Layer> = {
  // Words and settings, pure formats and calendars: no I/O, imported from anywhere.
  "words/": "side",
  "sms/templates/": "side",
  "config.ts": "side",
  "calls/settings.ts": "side",
  "log.ts": "side",
  "round-trips.ts": "side",
  "slots/calendar.ts": "side",
  "providers/verbs.ts": "side",
  "providers/settings.ts": "side",
  "providers/voices.ts": "side",
  "twilio/twiml.ts": "side",
  "patients/phone.ts": "side",
  "patients/password.ts": "side",
  "booking/token.ts": "side",
  "ivr/opening-hours.ts": "side",
  "ivr/call-state.ts": "side",
  "providers/hmac.ts": "side",
  "prompts/clip-format.ts": "side",
  "prompts/pack.ts": "side",
  "reasons/red-flags.ts": "side",
  "reasons/red-flag-phrases.ts": "side",
  "sms/callback-signature.ts": "side",
  "sms/segments.ts": "side",
  // Providers' REST APIs, called from the services below the routes.
  "twilio/": "edge",
  "sms/providers/": "edge",
  "providers/plivo-recordings.ts": "edge",
  "providers/outbound.ts": "edge",
  "providers/twilio-calls.ts": "edge",
  "providers/plivo-calls.ts": "edge",
  "providers/exotel-calls.ts": "edge",
  "providers/exotel-urls.ts": "edge",
  // The doctor-day Durable Object: slot decisions.
  "slots/": "objects",
  // Statements over D1 and R2.
  "db/": "stores",
  "stores/": "stores",
  "slots/call-holds.ts": "stores",
  "sms/budget.ts": "stores",
  "reasons/store.ts": "stores",
  "prompts/store.ts": "stores",
  // Services, each the single writer of its tables, from the SMS outbox and the job queue up to
  // the booking service, which uses the others.
  "sms/": "sms",
  "jobs/queue.ts": "sms",
  "waitlist/jobs.ts": "sms",
  "retention.ts": "sms",
  "auth/": "accounts",
  "patients/": "accounts",
  "reasons/": "reasons",
  "booking/": "booking",
  // The waitlist's notifier texts a waiting patient for the booking service.
  "waitlist/": "booking",
  // Flows and pages: a call, an SMS conversation, the desk's and the patient's pages, the jobs.
  "ivr/": "flows",
  "prompts/": "flows",
  "sms/commands.ts": "flows",
  "reasons/DoctorSummary.tsx": "flows",
  "desk/": "flows",
  "me/": "flows",
  "reminders/": "flows",
  // Reminder calls: the cron's scheduling and the call outbox placing them, like reminders/.
  "calls/": "flows",
  "jobs/": "flows",
  "waitlist/background.ts": "flows",
  // Routes: read the request, run a flow or a service, write the response; the voice
  // providers' adapters (their guard, request reading and XML) sit with them at the edge.
  "routes/": "routes",
  "middleware/": "routes",
  "api/": "routes",
  "providers/": "routes",
  "desk/context.ts": "routes",
  // The typed Hono context: what a request carries (settings, database, booking context).
  "context.ts": "routes",
  "index.ts": "entry",
};

/** The layer of a module path under src/ ("booking/offer.ts"). */
export function layerOf(module: string): Layer | undefined {
  let best: string | undefined;
  for (const key of Object.keys(LAYER_OF)) {
    const matches = key.endsWith("/") ? module.startsWith(key) : module === key;
    if (matches && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : LAYER_OF[best];
}

const IMPORT = /^\s*(?:import|export)\s[^;]*?\sfrom\s+["'](\.{1,2}\/[^"']+)["']/gm;

/** The relative imports in a module's text, resolved to paths under src/. */
export function importsOf(module: string, text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) =>
    path.posix.normalize(path.posix.join(path.posix.dirname(module), m[1]!)),
  );
}

export interface Violation {
  from: string;
  to: string;
  fromLayer: Layer | undefined;
  toLayer: Layer | undefined;
}

/** Every import that points up the layers, or from or to a module no layer names. */
export function violations(modules: Record<string, string>): Violation[] {
  const found: Violation[] = [];
  for (const [from, text] of Object.entries(modules)) {
    for (const to of importsOf(from, text)) {
      const fromLayer = layerOf(from);
      const toLayer = layerOf(to);
      if (!fromLayer || !toLayer || LAYERS.indexOf(toLayer) > LAYERS.indexOf(fromLayer))
        found.push({ from, to, fromLayer, toLayer });
    }
  }
  return found;
}

export const describeViolation = (v: Violation) =>
  `${v.from} (${v.fromLayer ?? "no layer"}) imports ${v.to} (${v.toLayer ?? "no layer"})`;

/** Every .ts/.tsx module under a folder, by its path relative to it. */
export function readModules(root: string): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const file of readdirSync(root, { recursive: true }) as string[]) {
    const name = file.split(path.sep).join("/");
    if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) modules[name] = readFileSync(path.join(root, file), "utf8");
  }
  return modules;
}
