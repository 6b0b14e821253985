/**
 * Runs a test file as if "now" were another instant: the Worker's clock (Date) is shifted by a
 * fixed offset and keeps ticking. Used by vitest.dates.config.ts to run the date-sensitive suites
 * at a month-end, a year-end and a year ahead, so no test can depend on the real date. D1 keeps
 * the real clock, as a separate machine would: anything that mixes the two clocks shows up.
 */
const NativeDate = Date;

function shiftedDate(offsetMs: number): DateConstructor {
  class SimulatedDate extends NativeDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(NativeDate.now() + offsetMs);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return NativeDate.now() + offsetMs;
    }
  }
  return SimulatedDate as DateConstructor;
}

let simulated: DateConstructor | undefined;

/** Moves the clock so that it reads `iso` now. */
export function simulateNow(iso: string): void {
  const target = new NativeDate(iso).getTime();
  if (Number.isNaN(target)) throw new Error(`TEST_SIMULATED_NOW is not a date: ${iso}`);
  simulated = shiftedDate(target - NativeDate.now());
  globalThis.Date = simulated;
}

/**
 * vi.useRealTimers() after vi.setSystemTime() puts the runtime's own Date back: a test that did
 * so ends, and the next one starts on the simulated clock again.
 */
export function keepSimulatedClock(): void {
  if (simulated && globalThis.Date === NativeDate) globalThis.Date = simulated;
}
