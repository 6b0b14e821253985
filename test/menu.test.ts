import { describe, expect, it } from "vitest";
import { actionUrl, parseCallState } from "../src/ivr/call-state.ts";
import { menuLines, resolveChoice } from "../src/ivr/menu.ts";
import { prompts } from "../src/ivr/prompts.ts";

const words = prompts("en");
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `Clinic ${i + 1}` }));

describe("menus", () => {
  it("a short menu: keys 1..n, anything else is invalid, nothing is silence", () => {
    const menu = items(5);
    expect(resolveChoice(menu, 0, "3")).toEqual({ kind: "chosen", item: menu[2] });
    for (const bad of ["0", "6", "9", "*", "#", "12", "a", "١"])
      expect(resolveChoice(menu, 0, bad), bad).toEqual({ kind: "invalid" });
    expect(resolveChoice(menu, 0, "")).toEqual({ kind: "silent" });
    expect(resolveChoice(menu, 0, undefined)).toEqual({ kind: "silent" });
    expect(menuLines(words, menu, 0)).toEqual(menu.map((m, i) => `For ${m.name}, press ${i + 1}.`));
  });

  it("nine choices still fit on one page", () => {
    expect(resolveChoice(items(9), 0, "9")).toEqual({ kind: "chosen", item: items(9)[8] });
  });

  it("longer lists page 8 at a time: 9 for more, 0 for the previous page, and say so", () => {
    const menu = items(20);
    expect(menuLines(words, menu, 0).slice(-1)).toEqual(["For more choices, press 9."]);
    expect(resolveChoice(menu, 0, "9")).toEqual({ kind: "page", page: 1 });
    expect(resolveChoice(menu, 0, "0")).toEqual({ kind: "invalid" });
    expect(resolveChoice(menu, 1, "1")).toEqual({ kind: "chosen", item: menu[8] });
    expect(menuLines(words, menu, 1).slice(-2)).toEqual([
      "For more choices, press 9.",
      "For the previous choices, press 0.",
    ]);
    expect(resolveChoice(menu, 2, "4")).toEqual({ kind: "chosen", item: menu[19] });
    expect(resolveChoice(menu, 2, "5")).toEqual({ kind: "invalid" });
    expect(resolveChoice(menu, 2, "9")).toEqual({ kind: "invalid" });
    expect(resolveChoice(menu, 2, "0")).toEqual({ kind: "page", page: 1 });
  });
});

describe("call state in action URLs", () => {
  it("round-trips through actionUrl and parseCallState", () => {
    const state = {
      lang: "en" as const,
      state: 1,
      district: 2,
      clinic: 3,
      spec: 4,
      hold: { doctorId: 5, date: "2026-11-25", slot: 7 },
      page: 1,
      tries: 2,
    };
    const url = new URL(actionUrl("/api/ivr/confirm-booking/", state), "https://line.test");
    expect(url.pathname).toBe("/api/ivr/confirm-booking/");
    expect(parseCallState(url.searchParams, "en")).toEqual(state);
  });

  it("drops anything odd instead of trusting it", () => {
    const parsed = parseCallState(
      new URLSearchParams(
        "lang=xx&state=abc&district=-1&clinic=0&spec=1e3&doctor=99999999999&hold=1.2026-02-30.3&page=999&tries=x",
      ),
      "en",
    );
    expect(parsed).toEqual({ lang: "en", page: 0, tries: 0 });
  });
});
