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
/** `bin`: the bin folder of the venv holding schemathesis (test/helpers/python-tools.ts). */
export function schemathesis(
  args: string[],
  { bin, hooks = "hooks", maxSeconds, env = {} }: { bin: string; hooks?: string; maxSeconds: number; env?: Record<string, string> },
): Promise<FuzzResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, "schemathesis"), args, {
      env: { ...process.env, ...env, SCHEMATHESIS_HOOKS: hooks, PYTHONPATH: FUZZ_DIR, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), (maxSeconds + 60) * 1000);
    child.on("error", (err) =>
      reject(new Error(`cannot run schemathesis from ${bin} (${err.message})`)),
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
