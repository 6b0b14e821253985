/**
 * Numbered menus: one page up to 9 choices, then 8 a page with 9 for more and 0 for back.
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

describe("resolveChoice with 20 items (pages of 8: 1-8, 9-16, 17-20)", () => {
  const twenty = named(20);

  it("shows 8 a page", () => {
    expect(PAGE_SIZE).toBe(8);
  });

  it("on the first page: 1-8 choose, 9 is next, 0 is invalid", () => {
    expect(resolveChoice(twenty, 0, "1")).toEqual({ kind: "chosen", item: twenty[0] });
    expect(resolveChoice(twenty, 0, "8")).toEqual({ kind: "chosen", item: twenty[7] });
    expect(resolveChoice(twenty, 0, "9")).toEqual({ kind: "page", page: 1 });
    expect(resolveChoice(twenty, 0, "0")).toEqual({ kind: "invalid" });
  });

  it("on the second page: keys choose from that page, 9 is next, 0 is previous", () => {
    expect(resolveChoice(twenty, 1, "1")).toEqual({ kind: "chosen", item: twenty[8] });
    expect(resolveChoice(twenty, 1, "8")).toEqual({ kind: "chosen", item: twenty[15] });
    expect(resolveChoice(twenty, 1, "9")).toEqual({ kind: "page", page: 2 });
    expect(resolveChoice(twenty, 1, "0")).toEqual({ kind: "page", page: 0 });
  });

  it("on the last page: 4 items, no next, 0 is previous", () => {
    expect(resolveChoice(twenty, 2, "4")).toEqual({ kind: "chosen", item: twenty[19] });
    expect(resolveChoice(twenty, 2, "5")).toEqual({ kind: "invalid" });
    expect(resolveChoice(twenty, 2, "9")).toEqual({ kind: "invalid" });
    expect(resolveChoice(twenty, 2, "0")).toEqual({ kind: "page", page: 1 });
  });

  it("treats a page beyond the end as the last page, and pages back from it", () => {
    expect(resolveChoice(twenty, 7, "1")).toEqual({ kind: "chosen", item: twenty[16] });
    expect(resolveChoice(twenty, 7, "0")).toEqual({ kind: "page", page: 1 });
  });

  it("lets every item be reached by paging and choosing", () => {
    const reached = new Set<unknown>();
    for (let page = 0; page < 3; page++) {
      for (let key = 1; key <= 8; key++) {
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
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe("For Clinic 1, press 1.");
    expect(lines[7]).toBe("For Clinic 8, press 8.");
    expect(lines[8]).toBe("For more choices, press 9.");
  });

  it("on a middle page says both 9 and 0", () => {
    const lines = menuLines(words, named(20), 1);
    expect(lines[0]).toBe("For Clinic 9, press 1.");
    expect(lines.slice(-2)).toEqual(["For more choices, press 9.", "For the previous choices, press 0."]);
  });

  it("on the last page says only 0", () => {
    expect(menuLines(words, named(20), 2)).toEqual([
      "For Clinic 17, press 1.",
      "For Clinic 18, press 2.",
      "For Clinic 19, press 3.",
      "For Clinic 20, press 4.",
      "For the previous choices, press 0.",
    ]);
  });
});
