/** A real local line for tool and browser tests: scripts/start.mjs on a free port with its own temporary state. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");
const node = process.execPath;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

export interface LocalLine {
  url: string;
  stateDir: string;
  token: string;
  output: () => string;
  /** Runs scripts/<script> against this line and returns its exit code and output. */
  tool: (script: string, args: string[]) => { code: number | null; out: string };
  /** One SQL statement on this line's local D1 (wrangler d1 execute), its rows. */
  sql: (command: string) => Record<string, unknown>[];
  stop: () => void;
}

export async function startLocalLine(
  extraArgs: string[] = [],
  /** Whether npm start installs its demo prompt pack (about 10 s): only the test of npm start itself needs it. */
  { demoPacks = false }: { demoPacks?: boolean } = {},
): Promise<LocalLine> {
  const token = "tools-test-token";
  const stateDir = mkdtempSync(path.join(tmpdir(), "clinic-line-"));
  const port = await freePort();
  let output = "";
  const server: ChildProcess = spawn(
    node,
    [
      path.join(root, "scripts/start.mjs"),
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      stateDir,
      "--var",
      `TWILIO_AUTH_TOKEN:${token}`,
      ...extraArgs,
    ],
    { cwd: root, env: { ...process.env, CI: "true", DEMO_PACKS: demoPacks ? "on" : "off" }, detached: true },
  );
  server.stdout!.on("data", (d) => (output += d));
  server.stderr!.on("data", (d) => (output += d));
  const deadline = Date.now() + 90_000;
  while (!/Ready on/.test(output)) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stateDir,
    token,
    output: () => output,
    tool(script, args) {
      const result = spawnSync(node, [path.join(root, "scripts", script), ...args], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, TWILIO_AUTH_TOKEN: token },
        timeout: 60_000,
      });
      return { code: result.status, out: `${result.stdout}${result.stderr}` };
    },
    sql(command) {
      const result = spawnSync(
        path.join(root, "node_modules/.bin/wrangler"),
        ["d1", "execute", "DB", "--local", "--json", "--persist-to", stateDir, "--command", command],
        { cwd: root, encoding: "utf8", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } },
      );
      if (result.status !== 0) throw new Error(`wrangler d1 execute failed: ${result.stderr || result.stdout}`);
      return (JSON.parse(result.stdout) as { results: Record<string, unknown>[] }[])[0]?.results ?? [];
    },
    stop() {
      // wrangler dev runs workerd as a child: end the whole process group.
      if (server.pid) {
        try {
          process.kill(-server.pid, "SIGTERM");
        } catch {
          // already gone
        }
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
