/**
 * Numbered menus: at most four choices a page, 9 for more (from the last page, back to the first).
 */
import { describe, expect, it } from "vitest";
import { PAGE_SIZE, menuLines, resolveChoice } from "../src/ivr/menu.ts";
import { wordsFor } from "../src/words/index.ts";

const words = wordsFor("en");
const named = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `Clinic ${i + 1}` }));

describe("resolveChoice on a single page", () => {
  const three = named(3);

  it("is silent when no key was pressed", () => {
    expect(resolveChoice(three, 0, undefined)).toEqual({ kind: "silent" });
    expect(resolveChoice(three, 0, "")).toEqual({ kind: "silent" });
  });

  it("chooses the item for its key", () => {
    expect(resolveChoice(three, 0, "1")).toEqual({ kind: "chosen", item: three[0] });
    expect(resolveChoice(three, 0, "3")).toEqual({ kind: "chosen", item: three[2] });
  });

  it.each(["*", "#", "12", "0", "4", "9", " 1", "1#", "a", "١"])("treats %j as invalid", (digits) => {
    expect(resolveChoice(three, 0, digits)).toEqual({ kind: "invalid" });
  });

  it("fits four items on one page: 9 is no choice there, there is no paging", () => {
    const four = named(4);
    expect(resolveChoice(four, 0, "4")).toEqual({ kind: "chosen", item: four[3] });
    expect(resolveChoice(four, 0, "9")).toEqual({ kind: "invalid" });
    expect(menuLines(words, four, 0)).toHaveLength(4);
  });

  it("has nothing to choose from an empty list", () => {
    expect(resolveChoice([], 0, "1")).toEqual({ kind: "invalid" });
  });
});

describe("resolveChoice with 10 items (pages of 4: 1-4, 5-8, 9-10)", () => {
  const ten = named(10);

  it("pages four at a time", () => {
    expect(PAGE_SIZE).toBe(4);
  });

  it("on the first page: 1-4 choose, 9 pages on, 5-8 and 0 are no choice", () => {
    expect(resolveChoice(ten, 0, "1")).toEqual({ kind: "chosen", item: ten[0] });
    expect(resolveChoice(ten, 0, "4")).toEqual({ kind: "chosen", item: ten[3] });
    expect(resolveChoice(ten, 0, "9")).toEqual({ kind: "page", page: 1 });
    for (const key of ["5", "8", "0"]) expect(resolveChoice(ten, 0, key)).toEqual({ kind: "invalid" });
  });

  it("on the middle page: keys are relative to the page, 9 pages on", () => {
    expect(resolveChoice(ten, 1, "1")).toEqual({ kind: "chosen", item: ten[4] });
    expect(resolveChoice(ten, 1, "4")).toEqual({ kind: "chosen", item: ten[7] });
    expect(resolveChoice(ten, 1, "9")).toEqual({ kind: "page", page: 2 });
  });

  it("on the last page: its keys only, and 9 goes back to the first page", () => {
    expect(resolveChoice(ten, 2, "2")).toEqual({ kind: "chosen", item: ten[9] });
    expect(resolveChoice(ten, 2, "3")).toEqual({ kind: "invalid" });
    expect(resolveChoice(ten, 2, "9")).toEqual({ kind: "page", page: 0 });
  });

  it("clamps a page number past the end (a tampered URL) to the last page", () => {
    expect(resolveChoice(ten, 7, "1")).toEqual({ kind: "chosen", item: ten[8] });
    expect(resolveChoice(ten, 7, "9")).toEqual({ kind: "page", page: 0 });
  });

  it("lets every item be reached by paging with 9 and choosing", () => {
    const reached = new Set<unknown>();
    let page = 0;
    for (let turn = 0; turn < 3; turn++) {
      for (let key = 1; key <= 4; key++) {
        const choice = resolveChoice(ten, page, String(key));
        if (choice.kind === "chosen") reached.add(choice.item);
      }
      const next = resolveChoice(ten, page, "9");
      page = next.kind === "page" ? next.page : -1;
    }
    expect(reached.size).toBe(10);
    expect(page).toBe(0);
  });
});

describe("menuLines", () => {
  it("lists a short menu with no paging key", () => {
    expect(menuLines(words, named(2), 0)).toEqual(["For Clinic 1, press 1.", "For Clinic 2, press 2."]);
  });

  it("says at most four choices and the paging key on every page", () => {
    for (const page of [0, 1, 2]) {
      const lines = menuLines(words, named(10), page);
      expect(lines.filter((l) => /press [1-8]\.$/.test(l)).length).toBeLessThanOrEqual(4);
      expect(lines.at(-1)).toMatch(/press 9\.$/);
    }
  });

  it("on the first page of 10 says 9 gives more choices", () => {
    expect(menuLines(words, named(10), 0)).toEqual([
      "For Clinic 1, press 1.",
      "For Clinic 2, press 2.",
      "For Clinic 3, press 3.",
      "For Clinic 4, press 4.",
      "For more choices, press 9.",
    ]);
  });

  it("on the last page says 9 starts again from the first choices", () => {
    expect(menuLines(words, named(10), 2)).toEqual([
      "For Clinic 9, press 1.",
      "For Clinic 10, press 2.",
      "To hear the choices from the start, press 9.",
    ]);
  });
});
