/**
 * Imports point one way: routes -> flows and pages -> services -> stores -> the doctor-day
 * object, with words and settings at the side (README "How it works", "Layers"). Reads src/ as
 * text, so it runs in a moment and names each import that goes against the layers.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeViolation, LAYER_OF, layerOf, readModules, violations } from "./support/layers.ts";

const src = path.resolve(import.meta.dirname, "..", "src");

describe("the layers of src/", () => {
  it("no module imports a layer above its own, and every module has a layer", () => {
    const modules = readModules(src);
    expect(Object.keys(modules).length).toBeGreaterThan(100);
    expect(violations(modules).map(describeViolation)).toEqual([]);
  });

  it("every entry of the layer table names a folder or file that exists", () => {
    const stale = Object.keys(LAYER_OF).filter((key) => !existsSync(path.join(src, key)));
    expect(stale).toEqual([]);
  });

  it("reports a planted upward import, type imports too, with both ends and their layers", () => {
    const planted = {
      "slots/doctor-day.ts": 'import { holdEarliest } from "../booking/offer.ts";\n',
      "words/en.ts": 'import type { Config } from "../config.ts";\nimport type { Db } from "../db/client.ts";\n',
      "booking/book.ts": 'import { insertOutbox } from "../stores/outbox.ts";\nimport { log } from "../log.ts";\n',
    };
    expect(violations(planted).map(describeViolation)).toEqual([
      "slots/doctor-day.ts (objects) imports booking/offer.ts (booking)",
      "words/en.ts (side) imports db/client.ts (stores)",
    ]);
  });

  it("reports a module in a folder the table does not name", () => {
    expect(layerOf("elsewhere/thing.ts")).toBeUndefined();
    expect(violations({ "elsewhere/thing.ts": 'export { log } from "../log.ts";\n' }).map(describeViolation)).toEqual([
      "elsewhere/thing.ts (no layer) imports log.ts (side)",
    ]);
  });
});
