/**
 * The benchmark's local-cost part: what the line costs on this machine over the
 * floor (a Worker answering one fixed TwiML document through the same local server path).
 *
 * - One caller at a time, interleaved: a floor call (four POSTs) then a line call (welcome,
 *   clinic menu, next available, confirm), repeated; the line's added cost is the difference
 *   of the two whole-call p50s (server time: request sent until the body is read).
 * - 32 callers at once: 32 clients each make calls back to back for a fixed number of calls,
 *   against the floor (calls/s) and against the line (completed bookings/s: the caller heard a
 *   token). Every line caller is a new number, so each booking also creates a patient and
 *   queues its SMS, as a first-time caller's would.
 */
import { SimulatedCall } from "../tools/twilio-caller.ts";

const round = (x) => Math.round(x * 100) / 100;
function p50(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted.length ? round(sorted[Math.ceil(sorted.length / 2) - 1]) : null;
}

/** Four POSTs in turn, as a four-step call against the fixed-TwiML Worker; returns ms. */
async function floorCall(floorUrl) {
  let total = 0;
  for (let step = 0; step < 4; step++) {
    const started = performance.now();
    const response = await fetch(`${floorUrl}/api/ivr/welcome/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "unchecked" },
      body: "CallSid=CA0&From=%2B919800000000&Digits=1",
    });
    await response.text();
    total += performance.now() - started;
  }
  return total;
}

/** The line's whole call; returns its server time in ms and whether a token was heard. */
async function lineCall(lineUrl, token, from) {
  let total = 0;
  const fetcher = async (url, init) => {
    const started = performance.now();
    const response = await fetch(url, init);
    const body = await response.text();
    total += performance.now() - started;
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const call = new SimulatedCall({ baseUrl: lineUrl, authToken: token, from, fetch: fetcher });
  await call.dial();
  let last;
  for (const key of ["1", "1", "1"]) last = await call.press(key);
  return { ms: total, booked: /Your token is [A-Z ]+, \d+\./.test(last.said.join(" ")) };
}

/** `clients` callers at once, each making `perClient` calls back to back; returns calls/s. */
async function rush(clients, perClient, call) {
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < perClient; i++) if (await call(client, i)) done++;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { completed: done, seconds: round(seconds), perSecond: round(done / seconds) };
}

export async function measureLocalCost({
  lineUrl,
  floorUrl,
  token,
  calls = 100,
  callers = 32,
  perCaller = 8,
  floorPerCaller = 16,
}) {
  const phone = (prefix, n) => `+91${prefix}${String(n).padStart(10 - String(prefix).length, "0")}`;
  // Warm both up (isolates, the directory cache, JIT).
  for (let i = 0; i < 5; i++) {
    await floorCall(floorUrl);
    await lineCall(lineUrl, token, phone(930, i));
  }
  const floor = [];
  const line = [];
  let unbooked = 0;
  for (let i = 0; i < calls; i++) {
    floor.push(await floorCall(floorUrl));
    const result = await lineCall(lineUrl, token, phone(931, i));
    line.push(result.ms);
    if (!result.booked) unbooked++;
  }
  const oneAtATime = {
    calls,
    floorCallP50: p50(floor),
    lineCallP50: p50(line),
    addedOverFloorP50: round(p50(line) - p50(floor)),
    callsNotBooked: unbooked,
  };
  const floorRush = await rush(callers, floorPerCaller, async () => (await floorCall(floorUrl), true));
  const lineRush = await rush(
    callers,
    perCaller,
    async (client, i) => (await lineCall(lineUrl, token, phone(932, client * perCaller + i))).booked,
  );
  const atOnce = {
    callers,
    callsEach: perCaller,
    floorCallsPerSecond: floorRush.perSecond,
    lineBookingsPerSecond: lineRush.perSecond,
    lineBooked: lineRush.completed,
    ratio: round(lineRush.perSecond / floorRush.perSecond),
  };
  return {
    oneAtATime,
    atOnce,
    targets: {
      addedCostWithin15ms: oneAtATime.addedOverFloorP50 <= 15,
      bookingsAtLeastHalfFloorCalls: atOnce.ratio >= 0.5,
    },
  };
}

/** The README's local-cost section, written by the benchmark between its markers. */
export function renderLocalCost(cost, machine, date) {
  const { oneAtATime: one, atOnce: rush, targets } = cost;
  const verdict = (met) => (met ? "**met**" : "**missed**");
  return [
    `Local cost (${date}; ${machine}). The line and the floor run side by side in workerd through`,
    "wrangler, with wrangler's local trace collector off (`X_LOCAL_OBSERVABILITY=false`: it records",
    "every binding call for the dev UI and is not part of the line). Server time is from sending a",
    "request to reading its whole body; a whole call is its four requests.",
    "",
    "| measure | floor (fixed TwiML) | the line | target |",
    "| --- | --- | --- | --- |",
    `| whole call, one caller at a time, ${one.calls} interleaved calls: p50 ms | ${one.floorCallP50} | ${one.lineCallP50} (+${one.addedOverFloorP50}) | added cost <= 15 ms: ${verdict(targets.addedCostWithin15ms)} |`,
    `| ${rush.callers} callers at once, ${rush.callsEach} calls each: per second | ${rush.floorCallsPerSecond} calls | ${rush.lineBookingsPerSecond} bookings (${rush.lineBooked} booked) | bookings >= half the floor's calls (${rush.ratio}): ${verdict(targets.bookingsAtLeastHalfFloorCalls)} |`,
  ].join("\n");
}
