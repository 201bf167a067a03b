// Starts the CLI as a real child process, for tests that kill and restart parts of the system.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Env } from "../../src/settings.ts";
import { REPO_ROOT } from "./stack.ts";

export interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once the process printed a line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export function startCli(args: string[], env: Env): CliProcess {
  return startProcess(process.execPath, [path.join(REPO_ROOT, "bin/langgraph-temporal.js"), ...args], { env, cwd: REPO_ROOT });
}

export interface ProcessOptions {
  env: Env;
  cwd: string;
  /**
   * Run in its own process group and signal the whole group: for a command that starts the
   * real process through others (`npx`) or starts processes of its own (`dev`'s Temporal).
   */
  group?: boolean;
}

export function startProcess(command: string, args: string[], { env, cwd, group = false }: ProcessOptions): CliProcess {
  const child = spawn(command, args, { env: env as NodeJS.ProcessEnv, cwd, stdio: ["ignore", "pipe", "pipe"], detached: group });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (group) process.kill(-child.pid!, signal);
      else child.kill(signal);
      await exited;
    },
  };
}
