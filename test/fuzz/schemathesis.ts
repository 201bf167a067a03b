// Runs schemathesis (test/fuzz/requirements.txt) for the fuzz tests, bounded in time, and reads
// the figures of its closing summary.
import { spawn } from "node:child_process";
import path from "node:path";

export const FUZZ_DIR = path.dirname(new URL(import.meta.url).pathname);

export interface FuzzResult {
  exitCode: number | null;
  output: string;
}

/** `hooks`: the Python module (in this folder) that registers the run's checks and hooks. */
export function schemathesis(args: string[], { hooks = "hooks", maxSeconds, env = {} }: { hooks?: string; maxSeconds: number; env?: Record<string, string> }): Promise<FuzzResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("schemathesis", args, {
      env: { ...process.env, ...env, SCHEMATHESIS_HOOKS: hooks, PYTHONPATH: FUZZ_DIR, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), (maxSeconds + 60) * 1000);
    child.on("error", (err) =>
      reject(new Error(`cannot run schemathesis (${err.message}): python3 -m pip install -r test/fuzz/requirements.txt`)),
    );
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output });
    });
  });
}

/** The figures of schemathesis's closing summary. */
export function summarize({ output }: FuzzResult) {
  const cases = Number(/(\d+) generated/.exec(output)?.[1] ?? 0);
  const failures = Number(/found (\d+) unique failures?/.exec(output)?.[1] ?? 0);
  const operations = /Tested: (\d+)/.exec(output)?.[1] ?? "?";
  return { cases, failures, operations };
}
