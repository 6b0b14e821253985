import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Counting the round trips a request makes to D1, the doctor-day objects and the job queue,
 * and how many of them the caller waits for one after another. In production each is a
 * network hop from the Worker Twilio reached to where the data lives; locally they are nearly
 * free, so time alone hides them. Used by the benchmark (ROUND_TRIP_PROBE=on answers with an
 * X-Round-Trips header, and LATENCY_MODEL="d1=50,do=20" adds production-like delays) and by
 * the tests that pin each step's budget. Never on in production.
 *
 * A batch counts as one round trip. Calls that start while another is in flight run beside it
 * and join its round; a call that starts when nothing is in flight begins a new round.
 */

export type Hop = "d1" | "durableObject" | "queue";

export interface RoundTripReport {
  d1: number;
  durableObject: number;
  queue: number;
  /** Rounds the request waited through one after another. */
  sequential: number;
  /** What D1 bills: rows its statements read and wrote (each result's meta), null where unknown. */
  rowsRead: number | null;
  rowsWritten: number | null;
}

/** D1 rows read and written, added up from each result's meta. */
export interface RowMeter {
  rowsRead: number;
  rowsWritten: number;
}

/** The meter of the request (or cron run, or queue batch) whose D1 call is running. */
const currentMeter = new AsyncLocalStorage<RowMeter[]>();
const metered = new WeakSet<object>();
let rowsMeasurable = false;

/**
 * Every D1 answer carries `meta.rows_read` / `rows_written`, but `first()` and `raw()` (what
 * drizzle uses) drop it before the caller sees it; so the probe listens one layer down, where
 * the binding's session receives each answer. That layer is workerd's own (not an API): when
 * it is missing the counts are reported as null rather than guessed.
 */
function meterRows(db: D1Database): void {
  const session = (db as unknown as { alwaysPrimarySession?: Record<string, unknown> }).alwaysPrimarySession;
  if (!session || metered.has(session)) return;
  const add = (answer: unknown) => {
    const meters = currentMeter.getStore();
    if (!meters) return;
    for (const result of Array.isArray(answer) ? answer : [answer]) {
      const meta = (result as { meta?: { rows_read?: number; rows_written?: number } } | null)?.meta;
      for (const meter of meters) {
        meter.rowsRead += meta?.rows_read ?? 0;
        meter.rowsWritten += meta?.rows_written ?? 0;
      }
    }
  };
  let found = false;
  for (const name of ["_send", "_queryOrThrow"]) {
    const original = session[name];
    if (typeof original !== "function") continue;
    found = true;
    session[name] = async function (this: unknown, ...args: unknown[]) {
      const answer = await (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      add(answer);
      return answer;
    };
  }
  metered.add(session);
  rowsMeasurable = found;
}

/**
 * Everything counted since the isolate started, after-answer work, cron runs and queue batches
 * included (benchmark only: the cost of a booking is the difference over a run).
 */
export const probeTotals = {
  requests: 0,
  queueBatches: 0,
  cronRuns: 0,
  d1: 0,
  durableObject: 0,
  queue: 0,
  rowsRead: 0,
  rowsWritten: 0,
};

export class RoundTripProbe {
  private inFlight = 0;
  private readonly report: RoundTripReport = {
    d1: 0,
    durableObject: 0,
    queue: 0,
    sequential: 0,
    rowsRead: 0,
    rowsWritten: 0,
  };
  /** Rows up to the answer (this probe's report); all of them go to the isolate's totals too. */
  private readonly meter: RowMeter = { rowsRead: 0, rowsWritten: 0 };
  private readonly delays: Partial<Record<Hop, number>>;
  /** Set once the response is decided: work after it (the call log) does not delay the caller. */
  private closed = false;

  constructor(delays: Partial<Record<Hop, number>> = {}) {
    this.delays = delays;
  }

  async track<T>(hop: Hop, call: () => Promise<T>): Promise<T> {
    const counted = !this.closed;
    probeTotals[hop]++;
    if (counted) {
      this.report[hop]++;
      if (this.inFlight === 0) this.report.sequential++;
      this.inFlight++;
    }
    try {
      const delay = this.delays[hop];
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      const meters: RowMeter[] = counted ? [this.meter, probeTotals] : [probeTotals];
      return await currentMeter.run(meters, call);
    } finally {
      if (counted) this.inFlight--;
    }
  }

  /** The counts so far; later calls are not counted. */
  close(): RoundTripReport {
    this.closed = true;
    const rows = rowsMeasurable ? this.meter : { rowsRead: null, rowsWritten: null };
    return { ...this.report, ...rows };
  }
}

/** "d1=50,do=20,queue=0" -> delays in ms per hop. */
export function parseLatencyModel(text: string | undefined): Partial<Record<Hop, number>> {
  const names: Record<string, Hop> = { d1: "d1", do: "durableObject", queue: "queue" };
  const delays: Partial<Record<Hop, number>> = {};
  for (const part of (text ?? "").split(",")) {
    const [name, value] = part.split("=").map((s) => s.trim());
    const hop = name ? names[name] : undefined;
    const ms = Number(value);
    if (hop && Number.isFinite(ms) && ms >= 0 && ms <= 10_000) delays[hop] = ms;
  }
  return delays;
}

/**
 * A hook around every call the Worker makes through its bindings: `label` names it ("D1 batch",
 * "D1 all", "DoctorDay.hold", "queue sendBatch"), `call` makes it. The probe counts with it; the
 * tests' fault injection throws or waits with it.
 */
export type BindingHook = <T>(hop: Hop, label: string, call: () => Promise<T>) => Promise<T>;

function hookedD1(db: D1Database, hook: BindingHook): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrap(value.apply(target, args));
        return (...args: unknown[]) => hook("d1", `D1 ${String(prop)}`, () => value.apply(target, args));
      },
    });
    real.set(proxy, statement);
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql));
      if (prop === "batch")
        return (statements: D1PreparedStatement[]) =>
          hook("d1", "D1 batch", () => target.batch(statements.map((s) => real.get(s) ?? s)));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function hookedNamespace<T extends Rpc.DurableObjectBranded>(
  namespace: DurableObjectNamespace<T>,
  hook: BindingHook,
): DurableObjectNamespace<T> {
  return new Proxy(namespace, {
    get(target, prop) {
      if (prop !== "getByName") return Reflect.get(target, prop).bind(target);
      return (name: string) =>
        new Proxy(target.getByName(name), {
          get(stub, method) {
            const value = Reflect.get(stub, method);
            if (typeof value !== "function" || method === "then") return value;
            // RPC stubs are called directly: `.apply` would be taken for a method named "apply".
            return (...args: unknown[]) =>
              hook("durableObject", `DoctorDay.${String(method)}`, () =>
                (value as (...a: unknown[]) => Promise<unknown>)(...args),
              );
          },
        });
    },
  });
}

function hookedQueue<T>(queue: Queue<T>, hook: BindingHook): Queue<T> {
  return new Proxy(queue, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) =>
        hook("queue", `queue ${String(prop)}`, () =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(target, args),
        );
    },
  });
}

/** The bindings with `hook` around every call to D1, the doctor-day objects and the job queue. */
export function hookedEnv(env: Env, hook: BindingHook): Env {
  return {
    ...env,
    DB: hookedD1(env.DB, hook),
    DOCTOR_DAY: hookedNamespace(env.DOCTOR_DAY, hook),
    JOBS: hookedQueue(env.JOBS, hook),
  } as Env;
}

/** The bindings with every call counted (and delayed, per the probe's latency model), D1's rows too. */
export function probedEnv(env: Env, probe: RoundTripProbe): Env {
  meterRows(env.DB);
  return hookedEnv(env, (hop, _label, call) => probe.track(hop, call));
}
