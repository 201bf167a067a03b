// The soak (`--soak <minutes>`): the 1-node workload under a steady closed-loop load on our server
// and the peer at once, for minutes, with the resident memory of each system's processes sampled
// every few seconds. It shows whether memory stays flat under sustained load, which the short
// windows of the other measurements cannot.
import { WORKLOADS } from "./plan.ts";
import { processTree, rssByName } from "./proc-stats.ts";
import type { Summary } from "./stats.ts";
import type { System, SystemName } from "./systems/system.ts";

export interface SoakOptions {
  minutes: number;
  /** Clients in closed loops on each system. */
  concurrency: number;
  sampleSeconds: number;
}

export interface SoakSample {
  /** Seconds since the soak began. */
  seconds: number;
  /** Resident memory by process name (node, temporal, …), in bytes. */
  rssBytesByName: Record<string, number>;
  rssBytes: number;
}

export interface SoakMinute {
  minute: number;
  runsPerSecond: number;
  e2e: Summary;
  errors: number;
  firstError?: string;
  /** Mean of the minute's samples, total and by process name. */
  meanRssBytes: number;
  meanRssBytesByName: Record<string, number>;
}

export interface SoakSeries {
  samples: SoakSample[];
  minutes: SoakMinute[];
  /** Mean RSS of the last minute over that of the first (1.0: flat). */
  growthRatio: number;
  growthBytes: number;
}

export interface SoakResult extends SoakOptions {
  bySystem: Partial<Record<SystemName, SoakSeries>>;
}

/** The systems a soak runs on: those that serve HTTP, as a user's clients would reach them. */
export const SOAK_SYSTEMS: SystemName[] = ["ours", "peer"];

/** A steady load that neither system saturates, sampled often enough to draw the curve. */
export const soakOptions = (minutes: number): SoakOptions => ({ minutes, concurrency: 10, sampleSeconds: 5 });

const mean = (values: number[]) => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);

function sample(system: System, seconds: number): SoakSample {
  const rssBytesByName = rssByName(system.roots().flatMap((root) => processTree(root)));
  return { seconds, rssBytesByName, rssBytes: Object.values(rssBytesByName).reduce((a, b) => a + b, 0) };
}

function meanByName(samples: SoakSample[]): Record<string, number> {
  const names = new Set(samples.flatMap((s) => Object.keys(s.rssBytesByName)));
  return Object.fromEntries([...names].map((name) => [name, mean(samples.map((s) => s.rssBytesByName[name] ?? 0))]));
}

/**
 * Minute by minute, every system gets a closed loop of one minute at the same time (so they share
 * the machine, as they share each minute); runs in flight at a minute's end finish before the
 * next starts. Memory is sampled on its own timer throughout.
 */
export async function soak(systems: System[], options: SoakOptions, log: (line: string) => void): Promise<SoakResult> {
  const workload = WORKLOADS[0]!.workload;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const samples = new Map(systems.map((s) => [s.name, [sample(s, 0)]]));
  const timer = setInterval(() => {
    for (const s of systems) samples.get(s.name)!.push(sample(s, elapsed()));
  }, options.sampleSeconds * 1000);
  const minutes = new Map<SystemName, SoakMinute[]>(systems.map((s) => [s.name, []]));
  try {
    for (let minute = 1; minute <= options.minutes; minute++) {
      const from = elapsed();
      const results = await Promise.all(systems.map((s) => s.closedLoop(workload, { concurrency: options.concurrency, seconds: 60, threadsAhead: 0 })));
      const to = elapsed();
      systems.forEach((s, i) => {
        const r = results[i]!;
        const inMinute = samples.get(s.name)!.filter((x) => x.seconds >= from && x.seconds <= to);
        minutes.get(s.name)!.push({
          minute,
          runsPerSecond: r.runsPerSecond,
          e2e: r.e2e,
          errors: r.errors,
          ...(r.firstError ? { firstError: r.firstError } : {}),
          meanRssBytes: mean(inMinute.map((x) => x.rssBytes)),
          meanRssBytesByName: meanByName(inMinute),
        });
      });
      log(`soak minute ${minute}/${options.minutes}: ${systems.map((s) => `${s.name} ${(minutes.get(s.name)!.at(-1)!.meanRssBytes / 2 ** 20).toFixed(0)} MB`).join(", ")}`);
    }
  } finally {
    clearInterval(timer);
  }
  const bySystem: SoakResult["bySystem"] = {};
  for (const s of systems) {
    const series = minutes.get(s.name)!;
    const first = series[0]?.meanRssBytes ?? Number.NaN;
    const last = series.at(-1)?.meanRssBytes ?? Number.NaN;
    bySystem[s.name] = { samples: samples.get(s.name)!, minutes: series, growthRatio: last / first, growthBytes: last - first };
  }
  return { ...options, bySystem };
}
