/**
 * The call status callback: a call that ends lets go of the time it was offered at once, not
 * when its hold expires; replays and unknown calls change nothing; unsigned posts are refused.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signedPost } from "../tools/twilio-caller.ts";
import { AUTH_TOKEN, BASE_URL, choose, heard, lineWith, newCallOn, workerFetch } from "./support/line.ts";

// Waits for each request's after-response work (the call log and the hold it notes), as a
// real call's seconds between steps do.
const line = lineWith({});
const newCall = (from: string) => newCallOn(line, from);
const post = (path: string, params: Record<string, string>) =>
  signedPost(line, AUTH_TOKEN, new URL(path, BASE_URL).toString(), params);

const THURSDAY_9AM_IST = new Date("2027-01-07T03:30:00Z");

async function claimsOf(doctorId: number, date: string) {
  return env.DOCTOR_DAY.getByName(`doctor:${doctorId}:${date}`).claims(Date.now());
}

describe("POST /api/ivr/status/", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(THURSDAY_9AM_IST);
  });
  afterEach(() => vi.useRealTimers());

  it("frees a held time the moment the call ends, so the next caller is offered it", async () => {
    const first = newCall("+919811100001");
    await first.dial();
    await first.press("1"); // Hampankatta Family Clinic
    const offer = await first.press("1"); // next available
    expect(heard(offer)).toContain("Dr. Kavya Shetty can see you today at 9:15 AM.");
    const later = await first.press("2"); // held 9:15 then 9:30 (and released 9:15 itself)
    expect(heard(later)).toContain("today at 9:30 AM.");
    expect((await claimsOf(1, "2027-01-07")).filter((c) => c.callSid === first.callSid)).toHaveLength(1);

    const ended = await post("/api/ivr/status/", { CallSid: first.callSid, CallStatus: "completed" });
    expect(ended.status).toBe(200);
    expect(await ended.text()).toContain("<Response></Response>");
    expect((await claimsOf(1, "2027-01-07")).some((c) => c.callSid === first.callSid)).toBe(false);

    const second = newCall("+919811100002");
    await second.dial();
    await second.press("1");
    expect(heard(await second.press("1"))).toContain("Dr. Kavya Shetty can see you today at 9:15 AM.");
    const again = await second.press("2");
    expect(heard(again)).toContain("today at 9:30 AM."); // free again, not held by the first call

    // A replay (Twilio retries) and an unknown call are harmless: the second call keeps its hold.
    for (const params of [
      { CallSid: first.callSid, CallStatus: "completed" },
      { CallSid: "CAnobody", CallStatus: "no-answer" },
      { CallSid: second.callSid, CallStatus: "in-progress" }, // not over: nothing happens
    ]) {
      const response = await post("/api/ivr/status/", params);
      expect(response.status).toBe(200);
    }
    const held = (await claimsOf(1, "2027-01-07")).filter((c) => c.callSid === second.callSid);
    expect(held).toMatchObject([{ state: "held", startMinute: 570 }]);

    // A booked time is never released by the callback.
    await second.press("1");
    await post("/api/ivr/status/", { CallSid: second.callSid, CallStatus: "completed" });
    expect((await claimsOf(1, "2027-01-07")).find((c) => c.callSid === second.callSid)).toMatchObject({
      state: "booked",
    });
  });

  it.each(["busy", "no-answer", "failed", "canceled"])("releases on %s", async (status) => {
    const call = newCall(`+91981110${String(status.length).padStart(4, "0")}`);
    await call.dial();
    await call.press("3");
    await call.press("1");
    const before = await env.DB.prepare("SELECT doctor_id, local_date FROM call_holds WHERE call_sid = ?")
      .bind(call.callSid)
      .all<{ doctor_id: number; local_date: string }>();
    expect(before.results.length).toBeGreaterThan(0);
    await post("/api/ivr/status/", { CallSid: call.callSid, CallStatus: status });
    for (const row of before.results)
      expect((await claimsOf(row.doctor_id, row.local_date)).some((c) => c.callSid === call.callSid)).toBe(false);
  });

  it("the terminal phone's hang-up (npm run call) posts the callback and frees the hold", async () => {
    const c = newCall("+919811100010");
    await choose(c, await c.dial(), "Moodbidri Care Clinic");
    await c.press("1");
    const [row] = (
      await env.DB.prepare("SELECT doctor_id, local_date FROM call_holds WHERE call_sid = ?")
        .bind(c.callSid)
        .all<{ doctor_id: number; local_date: string }>()
    ).results;
    expect((await claimsOf(row!.doctor_id, row!.local_date)).some((x) => x.callSid === c.callSid)).toBe(true);
    expect(await c.hangUp()).toBe(200);
    expect((await claimsOf(row!.doctor_id, row!.local_date)).some((x) => x.callSid === c.callSid)).toBe(false);
  });

  it("refuses an unsigned callback with 403 and changes nothing", async () => {
    const call = newCall("+919811100009");
    await call.dial();
    await call.press("4");
    await call.press("1");
    const response = await workerFetch(`${BASE_URL}/api/ivr/status/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ CallSid: call.callSid, CallStatus: "completed" }).toString(),
    });
    expect(response.status).toBe(403);
    const rows = await env.DB.prepare("SELECT doctor_id, local_date FROM call_holds WHERE call_sid = ?")
      .bind(call.callSid)
      .all<{ doctor_id: number; local_date: string }>();
    expect(rows.results).toHaveLength(1);
    const [row] = rows.results;
    expect((await claimsOf(row!.doctor_id, row!.local_date)).some((c) => c.callSid === call.callSid)).toBe(true);
  });
});
