/**
 * Fault injection through the Worker's seams: its bindings. A plan counts operations on D1
 * (prepare and batch), on doctor-day stubs (each RPC) and on the SMS queue (each send), and
 * makes the chosen one throw or wait.
 */
export interface FaultPlan {
  /** Which operation fails, counted from 1 across the kinds selected by `on`. */
  failAt: number;
  on: "d1" | "durable-object" | "queue";
  mode: "throw" | "slow";
  slowMs?: number;
  /** Only operations whose label matches count (e.g. /D1 batch/). */
  match?: RegExp;
  /** Operations seen so far (for sizing the next loop). */
  seen: number;
  fired: boolean;
}

export function plan(
  on: FaultPlan["on"],
  failAt: number,
  mode: FaultPlan["mode"] = "throw",
  match?: RegExp,
): FaultPlan {
  return { on, failAt, mode, seen: 0, fired: false, slowMs: 30, ...(match ? { match } : {}) };
}

async function trip(p: FaultPlan, kind: FaultPlan["on"], what: string): Promise<void> {
  if (p.on !== kind || (p.match && !p.match.test(what))) return;
  p.seen++;
  if (p.seen !== p.failAt) return;
  p.fired = true;
  if (p.mode === "slow") await new Promise((r) => setTimeout(r, p.slowMs));
  else throw new Error(`injected fault: ${what} #${p.seen}`);
}

function faultyD1(db: D1Database, p: FaultPlan): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrap(value.apply(target, args));
        return async (...args: unknown[]) => {
          await trip(p, "d1", `D1 ${String(prop)}`);
          return value.apply(target, args);
        };
      },
    });
    real.set(proxy, stmt);
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql));
      if (prop === "batch")
        return async (statements: D1PreparedStatement[]) => {
          await trip(p, "d1", "D1 batch");
          return target.batch(statements.map((s) => real.get(s) ?? s));
        };
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function faultyNamespace<T extends Rpc.DurableObjectBranded>(
  ns: DurableObjectNamespace<T>,
  p: FaultPlan,
): DurableObjectNamespace<T> {
  return new Proxy(ns, {
    get(target, prop) {
      if (prop !== "getByName") return Reflect.get(target, prop).bind(target);
      return (name: string) => {
        const stub = target.getByName(name);
        return new Proxy(stub, {
          get(s, method) {
            const value = Reflect.get(s, method);
            if (typeof value !== "function" || method === "then") return value;
            return async (...args: unknown[]) => {
              await trip(p, "durable-object", `DoctorDay.${String(method)}`);
              // RPC stubs are called directly: `.apply` would be taken for a method named "apply".
              return (value as (...a: unknown[]) => unknown)(...args);
            };
          },
        });
      };
    },
  });
}

function faultyQueue<T>(queue: Queue<T>, p: FaultPlan): Queue<T> {
  return new Proxy(queue, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        await trip(p, "queue", `queue ${String(prop)}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The test env with the plan's faults wired into D1, the doctor-day objects and the SMS queue. */
export function faultyEnv(env: Env, p: FaultPlan): Env {
  return {
    ...env,
    DB: faultyD1(env.DB, p),
    DOCTOR_DAY: faultyNamespace(env.DOCTOR_DAY, p),
    SMS_QUEUE: faultyQueue(env.SMS_QUEUE, p),
  } as Env;
}
