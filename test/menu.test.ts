/**
 * Numbered menus: one page up to 9 choices, then 7 a page with 9 for more and 8 for back.
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

  it("fits nine items on one page: 9 chooses the ninth, there is no paging", () => {
    const nine = named(9);
    expect(resolveChoice(nine, 0, "9")).toEqual({ kind: "chosen", item: nine[8] });
    expect(resolveChoice(nine, 0, "0")).toEqual({ kind: "invalid" });
  });

  it("has nothing to choose from an empty list", () => {
    expect(resolveChoice([], 0, "1")).toEqual({ kind: "invalid" });
  });
});

describe("resolveChoice with 20 items (pages of 7: 1-7, 8-14, 15-20)", () => {
  const twenty = named(20);

  it("shows 7 a page, so 8 (previous) and 9 (more) are never items, and 0 never pages", () => {
    expect(PAGE_SIZE).toBe(7);
  });

  it("on the first page: 1-7 choose, 9 is next, 8 and 0 are invalid", () => {
    expect(resolveChoice(twenty, 0, "1")).toEqual({ kind: "chosen", item: twenty[0] });
    expect(resolveChoice(twenty, 0, "7")).toEqual({ kind: "chosen", item: twenty[6] });
    expect(resolveChoice(twenty, 0, "9")).toEqual({ kind: "page", page: 1 });
    expect(resolveChoice(twenty, 0, "8")).toEqual({ kind: "invalid" });
    expect(resolveChoice(twenty, 0, "0")).toEqual({ kind: "invalid" });
  });

  it("on the second page: keys choose from that page, 9 is next, 8 is previous", () => {
    expect(resolveChoice(twenty, 1, "1")).toEqual({ kind: "chosen", item: twenty[7] });
    expect(resolveChoice(twenty, 1, "7")).toEqual({ kind: "chosen", item: twenty[13] });
    expect(resolveChoice(twenty, 1, "9")).toEqual({ kind: "page", page: 2 });
    expect(resolveChoice(twenty, 1, "8")).toEqual({ kind: "page", page: 0 });
    expect(resolveChoice(twenty, 1, "0")).toEqual({ kind: "invalid" });
  });

  it("on the last page: 6 items, no next, 8 is previous", () => {
    expect(resolveChoice(twenty, 2, "6")).toEqual({ kind: "chosen", item: twenty[19] });
    expect(resolveChoice(twenty, 2, "7")).toEqual({ kind: "invalid" });
    expect(resolveChoice(twenty, 2, "9")).toEqual({ kind: "invalid" });
    expect(resolveChoice(twenty, 2, "8")).toEqual({ kind: "page", page: 1 });
  });

  it("treats a page beyond the end as the last page, and pages back from it", () => {
    expect(resolveChoice(twenty, 7, "1")).toEqual({ kind: "chosen", item: twenty[14] });
    expect(resolveChoice(twenty, 7, "8")).toEqual({ kind: "page", page: 1 });
  });

  it("lets every item be reached by paging and choosing", () => {
    const reached = new Set<unknown>();
    for (let page = 0; page < 3; page++) {
      for (let key = 1; key <= 7; key++) {
        const choice = resolveChoice(twenty, page, String(key));
        if (choice.kind === "chosen") reached.add(choice.item);
      }
    }
    expect(reached.size).toBe(20);
  });
});

describe("menuLines", () => {
  it("lists a short menu with no paging keys", () => {
    expect(menuLines(words, named(2), 0)).toEqual(["For Clinic 1, press 1.", "For Clinic 2, press 2."]);
  });

  it("on the first page of 20 says 9 gives more choices", () => {
    const lines = menuLines(words, named(20), 0);
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe("For Clinic 1, press 1.");
    expect(lines[6]).toBe("For Clinic 7, press 7.");
    expect(lines[7]).toBe("For more choices, press 9.");
  });

  it("on a middle page says both 9 and 8", () => {
    const lines = menuLines(words, named(20), 1);
    expect(lines[0]).toBe("For Clinic 8, press 1.");
    expect(lines.slice(-2)).toEqual(["For more choices, press 9.", "For the previous choices, press 8."]);
  });

  it("on the last page says only 8", () => {
    expect(menuLines(words, named(20), 2)).toEqual([
      "For Clinic 15, press 1.",
      "For Clinic 16, press 2.",
      "For Clinic 17, press 3.",
      "For Clinic 18, press 4.",
      "For Clinic 19, press 5.",
      "For Clinic 20, press 6.",
      "For the previous choices, press 8.",
    ]);
  });
});
