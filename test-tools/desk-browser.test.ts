/**
 * The desk in a real browser (Chromium from npm: @sparticuz/chromium with playwright-core)
 * against a real `wrangler dev` started by npm start's script: sign in with a printed account,
 * watch a phone booking appear without a reload, run a visit, issue a walk-in, see the token
 * display follow, add a day of leave and find the patient's SMS in the outbox, and be refused
 * another clinic. With DESK_SCREENSHOTS=1 it also refreshes the README's screenshots in docs/.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import sparticuz from "@sparticuz/chromium";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root, startLocalLine, type LocalLine } from "./support/local-line.ts";

/** The page's globals used inside evaluate() (the test itself runs in Node, without DOM types). */
interface BrowserGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null };
}

let line: LocalLine;
let browser: Browser;
let desk: Page;
const screenshots = process.env.DESK_SCREENSHOTS === "1" ? path.join(root, "docs") : "";

/**
 * A query on the line's local D1 (the same database wrangler dev serves). The running line may
 * hold SQLite's write lock for a moment (its queue sending SMS, making summaries): try again then.
 */
function query<T>(sql: string): T[] {
  for (let attempt = 1; ; attempt++) {
    const result = spawnSync(
      path.join(root, "node_modules/.bin/wrangler"),
      ["d1", "execute", "DB", "--local", "--json", "--persist-to", line.stateDir, "--command", sql],
      { cwd: root, encoding: "utf8", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } },
    );
    if (result.status === 0) return (JSON.parse(result.stdout) as { results: T[] }[])[0]?.results ?? [];
    const error = result.stderr || result.stdout;
    if (!/database is locked|SQLITE_BUSY/.test(error) || attempt === 10) throw new Error(error);
    spawnSync("sleep", ["0.5"]);
  }
}

function password(user: string): string {
  const match = new RegExp(`user: ${user} +password: (\\S+)`).exec(line.output());
  if (!match) throw new Error(`no password printed for ${user}:\n${line.output()}`);
  return match[1]!;
}

/** A phone call (in English: 2 on the language menu) that books clinic 1's next available time; returns its token ("KS-123"). */
function phoneBooking(from: string): string {
  const call = line.tool("call.mjs", [
    "--keys",
    "2,1,1,1",
    "--from",
    from,
    "--url",
    line.url,
    "--persist-to",
    line.stateDir,
  ]);
  const token = /Your token is ([A-Z ]+), (\d+)\./.exec(call.out);
  if (call.code !== 0 || !token) throw new Error(call.out);
  return `${token[1]!.replaceAll(" ", "")}-${token[2]}`;
}

const row = (page: Page, token: string) => page.locator(`#queue tr[data-token="${token}"]`);

async function step(token: string, to: string) {
  await row(desk, token).locator(`button[data-step="${to}"]`).click();
  await desk.waitForLoadState("domcontentloaded");
}

beforeAll(async () => {
  // Today's slots whatever the hour the suite runs: clinic 1's doctors work all day, every day, in
  // 5-minute slots, and today's offers start a minute from now.
  line = await startLocalLine(["--var", "BOOKING_LEAD_MINUTES:1"]);
  query(
    "INSERT OR REPLACE INTO doctor_hours (doctor_id, weekday, start_minute, end_minute, slot_minutes) " +
      "SELECT d.id, w.value, 0, 1440, 5 FROM doctors d, json_each('[0,1,2,3,4,5,6]') w WHERE d.clinic_id = 1",
  );
  browser = await chromium.launch({ executablePath: await sparticuz.executablePath(), args: sparticuz.args });
  desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  line?.stop();
});

describe("the clinic desk in a browser", () => {
  it("signs in with the account npm start printed", async () => {
    await desk.goto(`${line.url}/desk`);
    expect(new URL(desk.url()).pathname).toBe("/desk/login");
    // An unknown user and a wrong password get the same answer.
    await desk.fill('input[name="username"]', "nobody-here");
    await desk.fill('input[name="password"]', "not the password");
    await desk.click('button[type="submit"]');
    await expect(desk.locator(".notice.error").textContent()).resolves.toContain("not right");
    await desk.fill('input[name="username"]', "desk-hampankatta");
    await desk.fill('input[name="password"]', "not the password");
    await desk.click('button[type="submit"]');
    await expect(desk.locator(".notice.error").textContent()).resolves.toContain("not right");
    await desk.fill('input[name="username"]', "desk-hampankatta");
    await desk.fill('input[name="password"]', password("desk-hampankatta"));
    await desk.click('button[type="submit"]');
    await desk.waitForURL(/\/desk\/clinics\/1\/queue$/);
    expect(await desk.locator("h1").textContent()).toContain("Hampankatta Family Clinic");
  });

  it("shows a token booked by a phone call without a reload, then runs the visit: arrived, in consultation, done", async () => {
    await desk.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
    const token = phoneBooking("+919845000101");
    await row(desk, token).waitFor({ timeout: 15_000 });
    // Same document: the row arrived through the page's refresh, not a navigation.
    expect(await desk.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await row(desk, token).getAttribute("data-status")).toBe("booked");
    expect(await row(desk, token).textContent()).toContain("+919845000101");

    await step(token, "arrived");
    expect(await desk.locator(".notice").first().textContent()).toBe(`${token}: Arrived.`);
    await step(token, "in_consultation");
    await step(token, "completed");
    expect(await row(desk, token).getAttribute("data-status")).toBe("completed");
    const [stored] = query<{ status: string }>(`SELECT status FROM appointments WHERE token = '${token}'`);
    expect(stored?.status).toBe("completed");
  });

  it("issues a walk-in, and the token display follows the queue by itself", async () => {
    await desk.selectOption('select[name="doctor"]', { label: "Dr. Kiran Rao (KR)" });
    await desk.fill('input[name="phone"]', "98450 00202");
    await desk.click("text=Issue the next token");
    await desk.waitForLoadState("domcontentloaded");
    const notice = (await desk.locator(".notice").first().textContent()) ?? "";
    const walkIn = /Walk-in token (KR-\d+) at/.exec(notice)?.[1];
    expect(walkIn, notice).toBeTruthy();
    expect(await row(desk, walkIn!).getAttribute("data-status")).toBe("arrived");
    expect(await row(desk, walkIn!).textContent()).toContain("Walk-in");

    // A second tab of the same browser (same session), as a desk PC driving the waiting-room TV.
    const display = await desk.context().newPage();
    await display.setViewportSize({ width: 1280, height: 720 });
    // Headless Chromium has no voice: record what the page asks the Web Speech API to say.
    await display.addInitScript(() => {
      const said: string[] = [];
      (globalThis as unknown as { said: string[] }).said = said;
      Object.defineProperty(globalThis, "speechSynthesis", {
        value: { speak: (u: { text: string }) => said.push(u.text) },
      });
    });
    await display.goto(`${line.url}/desk/display/1`);
    await display.check("#speak");
    const kiran = display.locator('.serving[data-doctor="2"]');
    expect(await kiran.textContent()).toBe("—");
    expect(await display.locator('section[data-doctor="2"] .next').textContent()).toContain(walkIn!);
    await step(walkIn!, "in_consultation");
    await display.waitForFunction(
      (token) =>
        (globalThis as unknown as BrowserGlobals).document.querySelector('.serving[data-doctor="2"]')?.textContent ===
        token,
      walkIn!,
      { timeout: 15_000 },
    );
    // The changed token was called out: "Token K R 1225. Dr. Kiran Rao".
    const said = await display.evaluate(() => (globalThis as unknown as { said: string[] }).said);
    expect(said).toEqual([
      `Token ${walkIn!.split("-")[0]!.split("").join(" ")} ${walkIn!.split("-")[1]}. Dr. Kiran Rao`,
    ]);
    if (screenshots) {
      // A fuller morning for the README's picture.
      for (const n of [404, 405, 406]) phoneBooking(`+919845000${n}`);
      await desk.reload();
      await display.screenshot({ path: path.join(screenshots, "desk-display.png") });
      await desk.screenshot({ path: path.join(screenshots, "desk-queue.png"), fullPage: true });
    }
    await display.close();
  });

  it("adds a day of leave over a booked patient: shown first, then cancelled with an SMS in the outbox", async () => {
    const token = phoneBooking("+919845000303");
    const doctorId = token.startsWith("KS-") ? 1 : 2;
    await desk.click("text=Schedules");
    await desk.waitForURL(/\/schedule$/);
    const today = await desk.locator(`#doctor-${doctorId} input[name="from"]`).getAttribute("min");
    const leave = desk.locator(`#doctor-${doctorId} form`, { has: desk.locator("text=Add leave") });
    await leave.locator('input[name="from"]').fill(today!);
    await leave.locator('input[name="reason"]').fill("conference");
    await leave.locator("text=Add leave").click();
    await desk.waitForLoadState("domcontentloaded");
    expect(await desk.locator("#affected").textContent()).toContain(token);
    await desk.click("text=Cancel these and add the leave");
    await desk.waitForURL(/\/schedule$/);
    expect(await desk.locator(".notice").first().textContent()).toContain("appointment(s) cancelled and texted");
    const sms = query<{ body: string }>(
      "SELECT body FROM sms_outbox WHERE to_number = '+919845000303' AND purpose = 'cancellation'",
    );
    expect(sms[0]?.body).toMatch(new RegExp(`^Token ${token} is cancelled, sorry: .* is on leave on `));
  });

  it("refuses a desk user another clinic's pages", async () => {
    const res = await desk.goto(`${line.url}/desk/clinics/2/queue`);
    expect(res?.status()).toBe(403);
    expect(await desk.textContent("main")).toContain("You do not have access to this page.");
    const display = await desk.goto(`${line.url}/desk/display/2`);
    expect(display?.status()).toBe(403);
  });
});
