/**
 * The README's promise: `npm start` serves the line locally, a scripted `npm run call` books
 * an appointment whose SMS is shown, and `npm run sms` can check and cancel it. Runs the real
 * scripts against a real wrangler dev on a free port with its own temporary state.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalLine, type LocalLine } from "./support/local-line.ts";

let line: LocalLine;
let url = "";
let stateDir = "";
const tool = (script: string, args: string[]) => line.tool(script, args);

/**
 * fetch, once more on a socket the server had already closed: the tools run synchronously
 * (spawnSync), so while one runs Node cannot see wrangler close an idle keep-alive connection,
 * and the next request may be written to it (the server log then shows no such request).
 */
async function request(input: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code !== "UND_ERR_SOCKET") throw error;
    return fetch(input, init);
  }
}

beforeAll(async () => {
  line = await startLocalLine([], { demoPacks: true });
  url = line.url;
  stateDir = line.stateDir;
});

afterAll(() => line?.stop());

describe("the local line", () => {
  it("npm start applied the migrations and demo data, with signature validation on", async () => {
    expect(line.output()).toContain("Loading the demo clinics and doctors");
    expect(line.output()).toContain("kn: installed; missing 0, refused 0");
    const unsigned = await request(`${url}/api/ivr/welcome/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "CallSid=CA1&From=%2B919876543210",
    });
    expect(unsigned.status).toBe(403);
  });

  it("a scripted call books an appointment and shows its SMS; STATUS lists it and CANCEL cancels it", () => {
    const from = "+919845012345";
    // A new caller first hears the language menu (kn, en, hi): 2 is English.
    const call = tool("call.mjs", ["--keys", "2,1,1,1", "--from", from, "--url", url, "--persist-to", stateDir]);
    expect(call.code, call.out).toBe(0);
    expect(call.out).toContain("line [kn-IN Google.kn-IN-Wavenet-A]: ಕನ್ನಡ ಬೇಕಾದರೆ 1 ಒತ್ತಿ.");
    expect(call.out).toContain("line [hi-IN Polly.Kajal-Neural]: हिंदी के लिए 3 दबाइए।");
    expect(call.out).toContain("line [en-IN Polly.Kajal-Neural]: Welcome to the clinic appointment line.");
    const token = /Your token is ([A-Z ]+), (\d+)\./.exec(call.out);
    expect(token, call.out).not.toBeNull();
    const compact = `${token![1]!.replaceAll(" ", "")}-${token![2]}`;
    expect(call.out).toMatch(new RegExp(`\\[booking, logged\\] Token ${compact}: booked with `));

    const status = tool("sms.mjs", ["STATUS", "--from", from, "--url", url]);
    expect(status.code, status.out).toBe(0);
    expect(status.out).toContain(`line: Token ${compact}, appointment 1 of 1: `);

    const cancel = tool("sms.mjs", ["cancel", "--from", from, "--url", url]);
    expect(cancel.out).toContain(`line: Token ${compact} is cancelled: `);
    expect(tool("sms.mjs", ["STATUS", "--from", from, "--url", url]).out).toContain(
      "You have no upcoming appointments.",
    );
  });

  it("a number that booked gets a local temporary password that opens the patient page, only to replace it", async () => {
    const from = "+919845012348";
    const unknown = tool("patient-password.mjs", [from, "--persist-to", stateDir]);
    expect(unknown.code, unknown.out).toBe(1);
    expect(unknown.out).toContain("has not booked on the local line");
    const call = tool("call.mjs", ["--keys", "2,1,1,1", "--from", from, "--url", url, "--persist-to", stateDir]);
    expect(call.code, call.out).toBe(0);
    const made = tool("patient-password.mjs", [from.slice(3), "--persist-to", stateDir]);
    expect(made.code, made.out).toBe(0);
    const password = /temporary password (\S+) /.exec(made.out)?.[1];
    expect(password, made.out).toMatch(/^[A-Za-z0-9]{10}$/);
    const signIn = await request(`${url}/me/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url },
      body: new URLSearchParams({ phone: from, password: password! }).toString(),
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("location")).toBe("/me/password");
  });

  it("a Kannada caller books without hearing or reading English, and is greeted in Kannada next time", () => {
    const from = "+919845012346";
    const call = tool("call.mjs", ["--keys", "1,1,1,1", "--from", from, "--url", url, "--persist-to", stateDir]);
    expect(call.code, call.out).toBe(0);
    const lines = call.out.split("\n").filter((l) => l.startsWith("  line ["));
    const afterChoice = lines.slice(4); // after the greeting and the three languages
    expect(afterChoice.length).toBeGreaterThan(3);
    for (const line of afterChoice) expect(line).toMatch(/^  line \[kn-IN Google\.kn-IN-Wavenet-A\]: /);
    expect(call.out).toContain("ನಮಸ್ಕಾರ. ಇದು ಕ್ಲಿನಿಕ್ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಲೈನ್.");
    expect(call.out).toContain("ನಿಮ್ಮ ಟೋಕನ್ ನಂಬರ್");
    expect(call.out).toMatch(/\[booking, logged\] ಟೋಕನ್ [A-Z]+-\d+: .*\d\d-\d\d-\d{4} (ಬೆಳಿಗ್ಗೆ|ಮಧ್ಯಾಹ್ನ|ಸಂಜೆ) \d{1,2}:\d\d\./);

    const again = tool("call.mjs", ["--keys", "", "--from", from, "--url", url, "--persist-to", stateDir]);
    // The switch to each other language is said in that language's own voice.
    expect(again.out).toContain("line [en-IN Polly.Kajal-Neural]: For English, press hash.");
    expect(again.out).toContain("line [hi-IN Polly.Kajal-Neural]: हिंदी के लिए हैश दबाइए।");
    expect(again.out).not.toContain("For English, press 2.");
  });

  it("a Hindi caller can answer by voice (say:), and sees each line's voice", () => {
    const from = "+919845012347";
    const keys = "3,say:पुत्तूर टाउन क्लिनिक,say:एक,say:हाँ";
    const call = tool("call.mjs", ["--keys", keys, "--from", from, "--url", url, "--persist-to", stateDir]);
    expect(call.code, call.out).toBe(0);
    expect(call.out).toContain("you:  say:एक");
    expect(call.out).toContain("line [hi-IN Polly.Kajal-Neural]: पुत्तूर टाउन क्लिनिक।");
    expect(call.out).toMatch(/line \[hi-IN Polly\.Kajal-Neural\]: .*आपका टोकन नंबर है ए, \d+।/);
    expect(call.out).toMatch(
      /\[booking, logged\] टोकन A-\d+: Dr\. Anil Bhat, पुत्तूर टाउन क्लिनिक, \d\d-\d\d-\d{4} (सुबह|दोपहर|शाम) \d{1,2}:\d\d।/,
    );
  });

  it("npm start prints the desk's URL and one line per account, and the printed desk password signs in", async () => {
    expect(line.output()).toMatch(/The clinic desk: http:\/\/localhost:\d+\/desk/);
    for (const user of [
      "admin",
      "desk-hampankatta",
      "desk-puttur",
      "desk-bantwal",
      "desk-ullal",
      "desk-moodbidri",
      "doctor-kavya",
    ])
      expect(line.output()).toMatch(new RegExp(`user: ${user} +password: [A-Za-z0-9]{12} `));
    const password = /user: desk-hampankatta +password: (\S+)/.exec(line.output())![1]!;
    const signIn = (pw: string) =>
      request(`${url}/desk/login`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url },
        body: new URLSearchParams({ username: "desk-hampankatta", password: pw }),
        redirect: "manual",
      });
    expect((await signIn("wrong")).status).toBe(401);
    const ok = await signIn(password);
    expect(ok.status).toBe(303);
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith("desk_session="))!;
    // Plain http locally: the cookie cannot be Secure there, and is HttpOnly everywhere.
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toMatch(/Secure/i);
    const queue = await request(`${url}/desk/clinics/1/queue`, { headers: { Cookie: cookie.split(";")[0]! } });
    expect(queue.status).toBe(200);
    expect(await queue.text()).toContain("Hampankatta Family Clinic");
    const other = await request(`${url}/desk/clinics/2/queue`, { headers: { Cookie: cookie.split(";")[0]! } });
    expect(other.status).toBe(403);
  });

  it("the terminal phone speaks Exotel and Plivo: a Kannada booking on Exotel, its cancel on Plivo in English", () => {
    const from = "+919845012349";
    const as = (provider: string, keys: string) =>
      tool("call.mjs", [
        "--provider",
        provider,
        "--keys",
        keys,
        "--from",
        from,
        "--url",
        url,
        "--persist-to",
        stateDir,
      ]);
    const exotel = as("exotel", "1,4,1,1");
    expect(exotel.code, exotel.out).toBe(0);
    expect(exotel.out).toContain("line [kn woman]: ಕನ್ನಡ ಬೇಕಾದರೆ 1 ಒತ್ತಿ.");
    expect(exotel.out).toContain("line [en woman]: For English, press 2.");
    expect(exotel.out).toMatch(/\[booking, logged\] .*Dr\. Suresh Pai/);
    // npm start gives Plivo English and Hindi only (no Kannada voice): the language menu again.
    const plivo = as("plivo", "1,2,1");
    expect(plivo.code, plivo.out).toBe(0);
    expect(plivo.out).toContain("line [en-IN WOMAN]: For English, press 1.");
    expect(plivo.out).not.toMatch(/line \[kn/);
    expect(plivo.out).toContain("is cancelled.");
    expect(plivo.out).toMatch(/\[cancellation, logged\] Token S-\d+ is cancelled/);
  });

  it("the terminal phone answers the line's reminder call, and 1 confirms the appointment", () => {
    const from = "+919845012351";
    const booked = tool("call.mjs", ["--keys", "2,1,1,1", "--from", from, "--url", url, "--persist-to", stateDir]);
    expect(booked.code, booked.out).toBe(0);
    // The evening before is not now: the call the cron places then is put in the outbox as
    // OUTBOUND_CALLS=log (npm start) leaves a placed one, ringing, its watchdog ten minutes on.
    line.sql(
      `INSERT INTO call_outbox (appointment_id, purpose, to_number, language, status, calls, not_after, provider,
              provider_call_id, next_attempt_at, created_at)
       SELECT a.id, 'reminder', p.phone, 'en', 'ringing', 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 hour'), 'log',
              'CAterminalphone', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+10 minutes'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         FROM appointments a JOIN patients p ON p.id = a.patient_id
        WHERE p.phone = '${from}' AND a.status = 'booked'`,
    );
    const answered = tool("call.mjs", [
      "--answer",
      "--from",
      from,
      "--keys",
      "1",
      "--url",
      url,
      "--persist-to",
      stateDir,
    ]);
    expect(answered.code, answered.out).toBe(0);
    expect(answered.out).toContain(`The line is calling ${from}`);
    expect(answered.out).toContain("To confirm that you will come, press 1.");
    expect(answered.out).toContain("Your appointment is confirmed.");
    const [row] = line.sql(
      `SELECT a.confirmed_at AS confirmedAt, o.outcome AS outcome FROM appointments a
         JOIN patients p ON p.id = a.patient_id JOIN call_outbox o ON o.appointment_id = a.id
        WHERE p.phone = '${from}'`,
    );
    expect(row?.outcome).toBe("confirmed");
    expect(row?.confirmedAt).toEqual(expect.any(String));
  });

  it("silence and wrong keys follow the re-prompt path, and a bad key script is refused", () => {
    const call = tool("call.mjs", ["--keys", "2,,7,", "--url", url, "--persist-to", stateDir]);
    expect(call.out).toContain("Sorry, we did not hear a choice.");
    expect(call.out).toContain("Sorry, that is not one of the choices.");
    expect(call.out).toContain("Sorry, we could not get your choice.");
    expect(call.out).toContain("The line hung up.");
    expect(tool("call.mjs", ["--keys", "1,x", "--url", url]).code).toBe(2);
  });
});
