// Child processes of the bench. Each runs in its own process group, so stopping it also stops
// what it started (the dev process's Temporal server); every group still alive when the bench
// exits, fails or is interrupted is killed.
import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

export interface Child {
  process: ChildProcess;
  pid: number;
  /** The last part of its stdout and stderr. */
  output(): string;
  /** Resolves once the output matches `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL to the whole group after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** tsx's loader, resolved here: children run in folders that cannot resolve it themselves. */
const TSX = import.meta.resolve("tsx");

/** Process ids to SIGKILL if the bench ends with them alive: negative ids are whole groups. */
const live = new Set<number>();

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

process.once("exit", () => {
  for (const pid of live) kill(pid, "SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => process.exit(130));
}

/** For processes started elsewhere (the Temporal dev server of the recovery measurement). */
export function killOnExit(child: ChildProcess): void {
  live.add(child.pid!);
  child.once("exit", () => live.delete(child.pid!));
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Open an IPC channel (process.send / on("message")). */
  ipc?: boolean;
  /** Load tsx first, for TypeScript entry points (default true; our CLI loads it itself). */
  tsx?: boolean;
}

/** Runs `node <args>`, so TypeScript entry points and graphs work. */
export function spawnNode(args: string[], options: SpawnOptions): Child {
  const child = spawn(process.execPath, [...(options.tsx === false ? [] : ["--import", TSX]), ...args], {
    env: options.env,
    cwd: options.cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe", ...(options.ipc ? (["ipc"] as const) : [])],
  });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const handle: Child = {
    process: child,
    pid: child.pid!,
    output: () => output,
    waitFor(pattern, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const done = (fn: () => void) => {
          listeners.delete(check);
          clearTimeout(timer);
          fn();
        };
        const check = () => {
          const match = output.match(pattern);
          if (match) done(() => resolve(match));
          else if (child.exitCode !== null || child.signalCode !== null) {
            done(() => reject(new Error(`process exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output}`)));
          }
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${pattern}:\n${output}`))), timeoutMs);
        listeners.add(check);
        void exited.then(check);
        check();
      });
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, sleep(graceMs)]);
      }
      // Whatever the leader left behind in its group goes too.
      kill(-handle.pid, "SIGKILL");
      live.delete(-handle.pid);
    },
  };
  live.add(-handle.pid);
  return handle;
}
