// CPU time and resident memory of a system's server-side processes, read from /proc (Linux).
// A system is a root pid plus its descendants (the dev process and its Temporal server).
import fs from "node:fs";

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux the bench targets

function readStat(pid: number): { ppid: number; cpuSeconds: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    return { ppid, cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND };
  } catch {
    return undefined; // the process is gone
  }
}

/** A process's name (e.g. node, temporal) and resident memory; undefined once it is gone. */
function status(pid: number): { name: string; rssBytes: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(text);
    return { name: /^Name:\s+(.*)$/m.exec(text)?.[1] ?? "?", rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
  } catch {
    return undefined;
  }
}

export function processName(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

/** The root and every live descendant of it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (!readStat(pid)) continue;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU seconds of each thread of `pid`, by thread id. */
function threadCpu(pid: number): Map<number, { name: string; cpuSeconds: number }> {
  const threads = new Map<number, { name: string; cpuSeconds: number }>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads; // the process is gone
  }
  for (const tid of tids) {
    try {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      threads.set(Number(tid), { name, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND });
    } catch {
      // the thread ended
    }
  }
  return threads;
}

/**
 * A Node process's threads, grouped by what runs on them: the main thread (JavaScript: for us the
 * HTTP API and the activities), the other Node threads (the SDK's workflow threads, V8's GC and
 * compiler helpers, libuv's pool: Linux shows them all as "node") and the SDK core's Rust runtime.
 */
function threadGroup(pid: number, tid: number, name: string): string {
  if (tid === pid) return "main thread";
  if (name.startsWith("tokio-runtime")) return "Temporal SDK core (Rust)";
  return name === "node" ? "other Node threads (workflows, GC, …)" : name;
}

export interface Usage {
  /** CPU seconds (user + system) the processes used over the interval. */
  cpuSeconds: number;
  /** The same, by process name (e.g. node, temporal). */
  cpuSecondsByName: Record<string, number>;
  /** The same, for Node processes, by group of threads (see threadGroup). */
  cpuSecondsByNodeThread: Record<string, number>;
  /** Largest sum of resident memory seen while sampling, in bytes. */
  peakRssBytes: number;
  /** The same by process name (e.g. node, temporal), each the largest sum of that name's processes. */
  peakRssBytesByName: Record<string, number>;
}

/** Resident memory of each process name among `pids`, summed (e.g. node, temporal). */
export function rssByName(pids: number[]): Record<string, number> {
  const byName: Record<string, number> = {};
  for (const pid of pids) {
    const found = status(pid);
    if (found) byName[found.name] = (byName[found.name] ?? 0) + found.rssBytes;
  }
  return byName;
}

/**
 * Samples a set of process trees from start() to stop(). CPU is exact (a difference of
 * counters); peak memory is the largest sampled sum, so it can miss a peak shorter than
 * the sampling interval.
 */
export class UsageMeter {
  private readonly startCpu: Map<number, number>;
  private readonly startThreadCpu: Map<string, number>;
  private peakRss = 0;
  private readonly peakByName: Record<string, number> = {};
  private samples = 0;
  private pids: number[];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly roots: number[],
    intervalMs = 100,
  ) {
    this.pids = this.findPids();
    this.startCpu = this.cpuByPid();
    this.startThreadCpu = this.cpuByNodeThread();
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private findPids(): number[] {
    return this.roots.flatMap((root) => processTree(root));
  }

  private cpuByPid(): Map<number, number> {
    return new Map(this.pids.map((pid) => [pid, readStat(pid)?.cpuSeconds ?? 0]));
  }

  /** CPU seconds by `pid:tid` of the Node processes' threads. */
  private cpuByNodeThread(): Map<string, number> {
    const cpu = new Map<string, number>();
    for (const pid of this.pids.filter((p) => processName(p) === "node")) {
      for (const [tid, thread] of threadCpu(pid)) cpu.set(`${pid}:${tid}:${threadGroup(pid, tid, thread.name)}`, thread.cpuSeconds);
    }
    return cpu;
  }

  private sample(): void {
    // Walking /proc costs a few ms: the tree is refreshed every tenth sample only.
    if (++this.samples % 10 === 0) this.pids = this.findPids();
    const byName = rssByName(this.pids);
    let total = 0;
    for (const [name, bytes] of Object.entries(byName)) {
      total += bytes;
      this.peakByName[name] = Math.max(this.peakByName[name] ?? 0, bytes);
    }
    this.peakRss = Math.max(this.peakRss, total);
  }

  stop(): Usage {
    clearInterval(this.timer);
    this.pids = this.findPids();
    this.sample();
    let cpuSeconds = 0;
    const cpuSecondsByName: Record<string, number> = {};
    for (const [pid, now] of this.cpuByPid()) {
      const used = now - (this.startCpu.get(pid) ?? 0);
      const name = processName(pid);
      cpuSeconds += used;
      cpuSecondsByName[name] = (cpuSecondsByName[name] ?? 0) + used;
    }
    const cpuSecondsByNodeThread: Record<string, number> = {};
    for (const [key, now] of this.cpuByNodeThread()) {
      const group = key.split(":").slice(2).join(":");
      cpuSecondsByNodeThread[group] = (cpuSecondsByNodeThread[group] ?? 0) + now - (this.startThreadCpu.get(key) ?? 0);
    }
    return { cpuSeconds, cpuSecondsByName, cpuSecondsByNodeThread, peakRssBytes: this.peakRss, peakRssBytesByName: this.peakByName };
  }
}
