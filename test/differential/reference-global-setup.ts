// Starts the oracle once for the whole differential run (its startup loads every graph), in a
// child process of its own, and hands its URL to the test files.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { TestProject } from "vitest/node";
import { freePort } from "../../src/temporal/dev-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    referenceUrl: string;
  }
}

export const DIFFERENTIAL_CONFIG = fileURLToPath(new URL("./langgraph.json", import.meta.url));
// tsx's loader by absolute URL: the child runs in a temporary folder that cannot resolve it.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;
const ENTRY = fileURLToPath(new URL("./reference-server.ts", import.meta.url));

export default async function setup(project: TestProject) {
  const port = await freePort();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-reference-"));
  // Our per-graph step limits (`{path, step_max_attempts}`) are not the oracle's: it gets the path.
  const specs = (JSON.parse(fs.readFileSync(DIFFERENTIAL_CONFIG, "utf8")) as { graphs: Record<string, string | { path: string }> }).graphs;
  const graphs = Object.fromEntries(
    Object.entries(specs).map(([id, spec]) => [id, path.resolve(path.dirname(DIFFERENTIAL_CONFIG), typeof spec === "string" ? spec : spec.path)]),
  );
  const child = spawn(process.execPath, ["--import", TSX, ENTRY, JSON.stringify({ port, cwd, graphs })], {
    cwd,
    env: { ...process.env, LANGSMITH_TRACING: "false", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the reference server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (output.includes("reference listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the reference server exited (${code}):\n${output}`)));
  });
  project.provide("referenceUrl", `http://127.0.0.1:${port}`);
  return async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(cwd, { recursive: true, force: true });
  };
}
