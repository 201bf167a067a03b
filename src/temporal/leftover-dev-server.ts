// The Temporal dev server that `dev` starts is its child process, and a child outlives a parent
// killed outright (SIGKILL, the OOM killer): it kept the ports and the data folder's history,
// and the next `dev` on that folder stopped at "port already in use". `dev` notes the server's
// pid in the data folder; the next `dev` stops the server it finds there, once it has checked
// that the pid still is that server (pids are reused) and that its `dev` is gone.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const PID_FILE = "temporal.pid";
/** How long a leftover server gets to stop on SIGTERM (its own shutdown takes about a second). */
const STOP_GRACE_MS = 10_000;

/** Notes the server this `dev` started, and this `dev` itself, its parent while it lives. */
export function noteDevServer(dataDir: string, serverPid: number): void {
  fs.writeFileSync(path.join(dataDir, PID_FILE), `${serverPid} ${process.pid}\n`);
}

export function forgetDevServer(dataDir: string): void {
  fs.rmSync(path.join(dataDir, PID_FILE), { force: true });
}

/** The dev server noted in the data folder: none, one whose `dev` still runs, or one left behind. */
export type NotedDevServer = { state: "none" } | { state: "in use"; devPid: number } | { state: "left behind"; pid: number };

export function findDevServer(dataDir: string, dbFile: string): NotedDevServer {
  const [pid, devPid] = readOrEmpty(path.join(dataDir, PID_FILE)).trim().split(" ").map(Number) as [number, number];
  if (!(pid > 0) || !servesHistoryIn(commandLineOf(pid), dbFile)) return { state: "none" };
  // A child killed with its parent is adopted by another process.
  return parentOf(pid) === devPid ? { state: "in use", devPid } : { state: "left behind", pid };
}

/**
 * Stops the dev server that an earlier `dev` on this data folder left running with its history
 * in `dbFile`; returns its pid, or undefined when there was none. Throws when a `dev` still
 * runs on the folder: two servers must not share its history.
 */
export async function stopLeftoverDevServer(dataDir: string, dbFile: string): Promise<number | undefined> {
  const noted = findDevServer(dataDir, dbFile);
  if (noted.state === "in use") throw new Error(`another dev (pid ${noted.devPid}) is running on the data folder ${dataDir}; stop it, or give this one another --data-dir`);
  if (noted.state === "none") {
    forgetDevServer(dataDir);
    return undefined;
  }
  const { pid } = noted;
  signal(pid, "SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (servesHistoryIn(commandLineOf(pid), dbFile)) {
    if (Date.now() > deadline) signal(pid, "SIGKILL");
    await sleep(100);
  }
  forgetDevServer(dataDir);
  return pid;
}

/** `temporal server start-dev … --db-filename <dbFile>`: the server keeping this folder's history. */
export function servesHistoryIn(args: string[], dbFile: string): boolean {
  const db = args.indexOf("--db-filename");
  return args.includes("start-dev") && db >= 0 && args[db + 1] === dbFile;
}

/** The process's arguments; empty when it is gone or has exited (a zombie has none either). */
function commandLineOf(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT" || fs.existsSync("/proc/self")) return [];
  }
  // No /proc (macOS): ps gives the arguments joined by spaces, enough for a data folder without any.
  try {
    return execFileSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" }).trim().split(/\s+/);
  } catch {
    return [];
  }
}

/** The parent's pid; undefined when the process is gone. */
function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (name) state ppid …", the name in parentheses may hold spaces.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT" || fs.existsSync("/proc/self")) return undefined;
  }
  try {
    return Number(execFileSync("ps", ["-o", "ppid=", "-p", String(pid)], { encoding: "utf8" }).trim()) || undefined;
  } catch {
    return undefined;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone meanwhile
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
