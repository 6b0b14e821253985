/** docs/prompts.md is generated from the catalogues; a stale copy is caught here as in CI. */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const doc = path.join(root, "docs", "prompts.md");
const check = () =>
  spawnSync(process.execPath, [path.join(root, "scripts/prompts-doc.mjs"), "--check"], { cwd: root, encoding: "utf8" });

describe("docs/prompts.md", () => {
  it("matches the catalogues, with every prompt in the three languages", () => {
    const result = check();
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    const text = readFileSync(doc, "utf8");
    expect(text).toContain("| `welcome` | ನಮಸ್ಕಾರ. ಇದು ಕ್ಲಿನಿಕ್ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಲೈನ್. | Welcome to the clinic appointment line. |");
    // Each spoken entry carries its register notes for a native reviewer.
    expect(text).toContain("register notes (for a native reviewer)");
    expect(text).toMatch(/\| `moveAnyDoctor` \|.*\| No doubled noun/);
    expect(text).toContain("| `booked` | ಟೋಕನ್ KS-12: ");
  });

  it("a hand edit is reported as stale", () => {
    const backup = path.join(mkdtempSync(path.join(tmpdir(), "prompts-")), "prompts.md");
    copyFileSync(doc, backup);
    try {
      writeFileSync(doc, readFileSync(doc, "utf8").replace("Welcome to the clinic", "Welcome to a clinic"));
      const result = check();
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("docs/prompts.md is stale");
    } finally {
      copyFileSync(backup, doc);
      rmSync(path.dirname(backup), { recursive: true, force: true });
    }
  });
});
