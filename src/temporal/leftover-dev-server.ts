// The Temporal dev server that `dev` starts is its child process, and a child outlives a parent
// killed outright (SIGKILL, the OOM killer): it kept the ports and the data folder's history,
// and the next `dev` on that folder stopped at "port already in use". `dev` notes the server's
// pid in the data folder; the next `dev` stops the server it finds there, once it has checked
// that the pid still is that server (pids are reused) and that its `dev` is gone.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DEV_SERVER_STOP_GRACE_MS } from "./dev-server.ts";

const PID_FILE = "temporal.pid";

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
  const killAt = Date.now() + DEV_SERVER_STOP_GRACE_MS;
  while (servesHistoryIn(commandLineOf(pid), dbFile)) {
    if (Date.now() > killAt) signal(pid, "SIGKILL");
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
  // ps joins the arguments with spaces: enough for a data folder without any.
  const args = aboutProcess(pid, "cmdline", (text) => text.split("\0"), "args", (text) => text.split(/\s+/));
  return (args ?? []).filter(Boolean);
}

/** The parent's pid; undefined when the process is gone. */
function parentOf(pid: number): number | undefined {
  // /proc/<pid>/stat: "pid (name) state ppid …", the name in parentheses may hold spaces.
  const ppid = aboutProcess(pid, "stat", (text) => text.slice(text.lastIndexOf(")") + 2).split(" ")[1], "ppid", (text) => text);
  return ppid ? Number(ppid) : undefined;
}

/**
 * One fact about a process: from /proc/<pid>/<procFile> where there is a /proc, else from
 * `ps -o <psField>=` (macOS); undefined when the process is gone.
 */
function aboutProcess<T>(pid: number, procFile: string, fromProc: (text: string) => T, psField: string, fromPs: (text: string) => T): T | undefined {
  if (fs.existsSync("/proc/self")) {
    try {
      return fromProc(fs.readFileSync(`/proc/${pid}/${procFile}`, "utf8"));
    } catch {
      return undefined;
    }
  }
  try {
    const text = execFileSync("ps", ["-o", `${psField}=`, "-p", String(pid)], { encoding: "utf8" }).trim();
    return text ? fromPs(text) : undefined;
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
