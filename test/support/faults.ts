import { hookedEnv, type Hop } from "../../src/round-trips.ts";

/**
 * Fault injection through the Worker's seams: its bindings, with the same hook the round-trip
 * probe uses. A plan counts operations on D1 (statements and batches), on doctor-day stubs
 * (each RPC) and on the job queue (each send), and makes the chosen one throw or wait.
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

const KIND: Record<Hop, FaultPlan["on"]> = { d1: "d1", durableObject: "durable-object", queue: "queue" };

/** The test env with the plan's faults wired into D1, the doctor-day objects and the job queue. */
export function faultyEnv(env: Env, p: FaultPlan): Env {
  return hookedEnv(env, async (hop, label, call) => {
    await trip(p, KIND[hop], label);
    return call();
  });
}
