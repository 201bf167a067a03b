// The official in-memory JS server (@langchain/langgraph-api 1.5.1, the oracle) as a child
// process, started with its own startServer as `langgraphjs dev` starts it (through the bench's
// entry point), for tests that compare an answer of ours with its answer.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { freePort } from "../../src/temporal/dev-server.ts";
import { REPO_ROOT } from "./stack.ts";

/** tsx's loader by absolute URL: the child runs in a temporary folder that cannot resolve it (and vitest's global setups have no import.meta.resolve). */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface ReferenceServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** `options`: startServer's own (`graphs` with absolute paths, `http`, …); `env` is applied first, as the CLI applies langgraph.json's. */
export async function startReferenceServer(options: Record<string, unknown>, env: Record<string, string> = {}): Promise<ReferenceServer> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-reference-"));
  const port = await freePort();
  const entry = path.join(REPO_ROOT, "bench/systems/peer-server.ts");
  const child = spawn(process.execPath, ["--import", TSX, entry, JSON.stringify({ port, cwd, nWorkers: 1, ...options })], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    fs.rmSync(cwd, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    // Anchored: a failed start prints a code frame that quotes this very line of the entry.
    const match = /^peer listening on ([\w.:-]+:\d+)$/m.exec(output);
    if (match) return { url: `http://${match[1]}`, output: () => output, stop };
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`the reference server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
