/**
 * Reaching a person: 0 at a clinic's menus dials its reception (a <Dial> with a timeout) during
 * its opening hours; outside them, or when nobody answers, the caller hears the hours and the
 * same question again. A clinic without a number (or hours) never offers 0.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseTwiml, twimlProblems } from "../tools/twiml-reader.ts";
import { SimulatedCall } from "../tools/twilio-caller.ts";
import { AUTH_TOKEN, BASE_URL, choose, heard, lineWith } from "./support/line.ts";
import { isOpen, parseOpeningHours } from "../src/ivr/opening-hours.ts";

const line = lineWith({});
const call = (from: string, dialOutcome?: "completed" | "no-answer") =>
  new SimulatedCall({
    baseUrl: BASE_URL,
    authToken: AUTH_TOKEN,
    from,
    fetch: line,
    ...(dialOutcome ? { dialOutcome } : {}),
  });
// Tuesday 2 February 2027, 10:00 in Kolkata: the demo receptions are open (Monday-Saturday 08:30-18:00).
const TUESDAY_10AM_IST = new Date("2027-02-02T04:30:00Z");
const HOURS = "Monday to Saturday, 8:30 AM to 6:00 PM";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(TUESDAY_10AM_IST);
});
afterEach(() => vi.useRealTimers());

describe("opening hours", () => {
  it("parses '1-6 0830-1800' and knows when it is open", () => {
    const hours = parseOpeningHours("1-6 0830-1800")!;
    expect(hours).toEqual({ fromWeekday: 1, toWeekday: 6, opens: 510, closes: 1080 });
    expect(isOpen(hours, { date: "2027-02-02", minute: 600, second: 0 } as never)).toBe(true);
    expect(isOpen(hours, { date: "2027-02-02", minute: 1080, second: 0 } as never)).toBe(false);
    expect(isOpen(hours, { date: "2027-02-07", minute: 600, second: 0 } as never)).toBe(false); // Sunday
    expect(parseOpeningHours("Mon-Sat")).toBeNull();
    expect(parseOpeningHours("1-6 1800-0830")).toBeNull();
  });
});

describe("0 for the reception", () => {
  it("during the hours dials the clinic's number; nobody answers: the hours, then the same menu", async () => {
    const c = call("+919866600001");
    await c.dial();
    const menu = heard(await c.press("1")); // Hampankatta: the booking-type menu
    expect(menu).toContain("To speak to the clinic's reception, press 0.");
    const dialled = await c.press("0");
    const twiml = dialled.responses[0]!.body;
    expect(twimlProblems(parseTwiml(twiml), "voice")).toEqual([]);
    expect(twiml).toContain(
      '<Dial action="/api/ivr/reception-done/?lang=en&amp;state=1&amp;district=1&amp;clinic=1&amp;ret=bookingType" method="POST" timeout="20"><Number>+918242440001</Number></Dial>',
    );
    expect(heard(dialled)).toContain("Connecting you to the reception of Hampankatta Family Clinic. Please wait.");
    expect(heard(dialled)).toContain("[dialling +918242440001 for up to 20 s: no-answer]");
    expect(heard(dialled)).toContain(
      `Sorry, nobody at the reception answered. It is open ${HOURS}. Hampankatta Family Clinic. For the next available doctor, press 1.`,
    );
    expect(dialled.ended).toBe(false);
    // The menu goes on as before.
    expect(heard(await c.press("1"))).toContain("can see you today at");
  });

  it("at the offer: a conversation with the reception ends the call", async () => {
    const c = call("+919866600002", "completed");
    await c.dial();
    await c.press("2");
    const offer = heard(await c.press("1"));
    expect(offer).toContain("To speak to the clinic's reception, press 0.");
    const talked = await c.press("0");
    expect(heard(talked)).toContain("[dialling +918251230002 for up to 20 s: completed]");
    expect(heard(talked)).toContain("Thank you for calling. Goodbye.");
    expect(talked.ended).toBe(true);
  });

  it("outside the hours says them and asks the same question again, without dialling", async () => {
    vi.setSystemTime(new Date("2027-02-07T04:30:00Z")); // Sunday 10:00
    const c = call("+919866600003");
    await c.dial();
    await c.press("1");
    const closed = await c.press("0");
    expect(closed.responses[0]!.body).not.toContain("<Dial");
    expect(heard(closed)).toBe(
      `The reception is closed now. It is open ${HOURS}. Hampankatta Family Clinic. For the next available doctor, press 1. To choose a doctor by speciality, press 2. To speak to the clinic's reception, press 0.`,
    );
  });

  it("a clinic without a reception number does not offer 0, and 0 is a wrong key there", async () => {
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO clinics (id, district_id, name, address, opening_hours) VALUES (91, 1, 'No Phone Clinic', 'X', '1-6 0830-1800')",
      ),
      env.DB.prepare(
        "INSERT INTO doctors (id, clinic_id, name, specialization_id, token_prefix) VALUES (911, 91, 'Dr. Nobody Phone', 1, 'NP')",
      ),
    ]);
    const c = call("+919866600004");
    const menu = heard(await choose(c, await c.dial(), "No Phone Clinic"));
    expect(menu).not.toContain("press 0");
    const wrong = await c.press("0");
    expect(wrong.responses[0]!.body).not.toContain("<Dial");
    expect(heard(wrong)).toContain("Sorry, that is not one of the choices.");
  });

  it("from the returning caller's menu, the clinic of the next appointment", async () => {
    const phone = "+919866600005";
    const first = call(phone);
    await first.dial();
    await first.press("4"); // Ullal Seaside Clinic
    await first.press("1");
    await first.press("1");
    const c = call(phone);
    const welcome = heard(await c.dial());
    expect(welcome).toContain("To book a new appointment, press 4. To speak to the clinic's reception, press 0.");
    expect(heard(await c.press("0"))).toContain("[dialling +918242460004 for up to 20 s: no-answer]");
  });
});
