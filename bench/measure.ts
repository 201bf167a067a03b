// The measurements, each made on every system in turn so that all see the same machine load:
// the workloads (sequential latency, then throughput per concurrency) and the growth series.
import { ACTIVITY_TASKS_WORKLOAD, activityTasksGraph, stateWorkload, WORKLOADS, type Plan } from "./plan.ts";
import type { SequentialResult, ThroughputResult, Workload } from "./load.ts";
import { UsageMeter, type Usage } from "./proc-stats.ts";
import type { BenchResults, Measured, WorkloadResult } from "./results.ts";
import { isFloor, type System, type SystemName } from "./systems/system.ts";

type BySystem<T> = Partial<Record<SystemName, T>>;

const log = (line: string) => console.log(`[bench] ${line}`);

export class Bench {
  readonly peakRss: BySystem<number> = {};
  /** Threads each system stores, as counted by the bench. */
  private readonly threadsStored: BySystem<number> = {};

  constructor(
    readonly plan: Plan,
    readonly systems: System[],
  ) {}

  /** Runs `fn` while metering the system's server-side processes. */
  private async metered<T extends object>(system: System, fn: () => Promise<T>): Promise<Measured<T>> {
    const meter = new UsageMeter(system.roots());
    let usage: Usage | undefined;
    try {
      const result = await fn();
      usage = meter.stop();
      return { ...result, usage };
    } finally {
      usage ??= meter.stop();
      this.peakRss[system.name] = Math.max(this.peakRss[system.name] ?? 0, usage.peakRssBytes);
    }
  }

  stored(system: System): number {
    return isFloor(system.name) ? 0 : (this.threadsStored[system.name] ?? 0);
  }

  private addStored(system: System, count: number): void {
    this.threadsStored[system.name] = (this.threadsStored[system.name] ?? 0) + count;
  }

  storedBySystem(): BySystem<number> {
    return Object.fromEntries(this.systems.map((s) => [s.name, this.stored(s)]));
  }

  /** Threads to create ahead of a window: enough for the runs expected in it, within reason. */
  private threadsAhead(concurrency: number, windowSeconds: number, sequentialP50: number, bestRate: number): number {
    const byLatency = (concurrency * 1000) / Math.max(sequentialP50, 0.1);
    const expected = Math.min(byLatency, Math.max(bestRate, 1) * 3) * windowSeconds;
    return Math.min(5000, Math.ceil(expected * 1.3) + concurrency);
  }

  async sequential(system: System, workload: Workload, limits: Plan["sequential"]): Promise<Measured<SequentialResult>> {
    await system.sequential(workload, { maxRuns: this.plan.warmupRuns, seconds: 120 });
    this.addStored(system, this.plan.warmupRuns);
    const result = await this.metered(system, () => system.sequential(workload, limits));
    this.addStored(system, result.create.count + result.errors);
    return result;
  }

  private async closedLoop(system: System, workload: Workload, concurrency: number, seconds: number, threadsAhead: number) {
    const ahead = isFloor(system.name) ? 0 : threadsAhead;
    const result = await this.metered(system, () => system.closedLoop(workload, { concurrency, seconds, threadsAhead: ahead }));
    this.addStored(system, Math.max(ahead, result.completed + result.errors));
    return result;
  }

  /** Sequential latency, then throughput at each concurrency. */
  async workload(system: System, workload: Workload, concurrencies: number[], windowSeconds: number, limits: Plan["sequential"]): Promise<WorkloadResult> {
    const sequential = await this.sequential(system, workload, limits);
    const throughput: Array<Measured<ThroughputResult>> = [];
    let bestRate = 1000 / Math.max(sequential.e2e.p50, 0.1);
    for (const concurrency of concurrencies) {
      const ahead = this.threadsAhead(concurrency, windowSeconds, sequential.e2e.p50, bestRate);
      const result = await this.closedLoop(system, workload, concurrency, windowSeconds, ahead);
      bestRate = Math.max(bestRate, result.runsPerSecond);
      throughput.push(result);
    }
    return { sequential, throughput };
  }

  async seed(system: System, total: number): Promise<void> {
    this.addStored(system, await system.seedThreads(Math.max(0, total - this.stored(system))));
  }

  /** The same measurement on every system in turn (or on those `which` keeps). */
  async eachSystem<T>(what: string, fn: (system: System) => Promise<T>, which: (name: SystemName) => boolean = () => true): Promise<BySystem<T>> {
    const results: BySystem<T> = {};
    for (const system of this.systems.filter((s) => which(s.name))) {
      const started = performance.now();
      results[system.name] = await fn(system);
      log(`${what} · ${system.name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    return results;
  }
}

/** Local activities or activity tasks for the steps (`local_steps`) is our server's choice: the other systems have no such option. */
const onlyOurs = (name: SystemName) => name === "ours";

export async function measureWorkloads(bench: Bench): Promise<{ workloads: BenchResults["workloads"]; storedAtFirst: BySystem<number> }> {
  const { plan } = bench;
  const workloads: BenchResults["workloads"] = [];
  let storedAtFirst: BySystem<number> = {};
  for (const { label, workload } of WORKLOADS) {
    const bySystem = await bench.eachSystem(label, (system) => bench.workload(system, workload, plan.concurrencies, plan.windowSeconds, plan.sequential));
    workloads.push({ label, graphId: workload.graphId, bySystem });
    if (workloads.length > 1) continue;
    storedAtFirst = bench.storedBySystem();
    // Right after the Temporal floor's turn, so the two are measured as close together as can be.
    const tasks = ACTIVITY_TASKS_WORKLOAD;
    const tasksBySystem = await bench.eachSystem(tasks.label, (system) => bench.workload(system, tasks.workload, plan.concurrencies, plan.windowSeconds, plan.sequential), onlyOurs);
    if (tasksBySystem.ours) workloads.push({ label: tasks.label, graphId: tasks.workload.graphId, bySystem: tasksBySystem, othersFrom: tasks.othersFrom });
  }
  return { workloads, storedAtFirst };
}

/**
 * Steps per run, state size, and threads stored. The first point of the last series is the
 * 1-node workload measured first, on an almost empty store; the second is measured after
 * seeding the store up to the planned thread count.
 */
export async function measureGrowth(bench: Bench, firstOneNode: { storedThreads: BySystem<number>; bySystem: BySystem<WorkloadResult> } | undefined): Promise<BenchResults["growth"]> {
  const { concurrency, windowSeconds, sequential, stepGraphs, stateKb, storedThreads } = bench.plan.growth;
  const growth: BenchResults["growth"] = { steps: [], exitSteps: [], activityTasks: [], state: [], threads: [] };
  for (const { steps, graphId } of stepGraphs) {
    const bySystem = await bench.eachSystem(`${steps} steps`, (system) => bench.workload(system, { graphId, input: {} }, [concurrency], windowSeconds, sequential));
    growth.steps.push({ steps, bySystem });
    // Right after the Temporal floor's turn at the same chain.
    const workload = { graphId: activityTasksGraph(graphId), input: {} };
    const tasks = await bench.eachSystem(`${steps} steps, activity tasks`, (system) => bench.workload(system, workload, [concurrency], windowSeconds, sequential), onlyOurs);
    if (tasks.ours) growth.activityTasks.push({ steps, bySystem: tasks });
  }
  // The Temporal floor has no durability to choose: its rows above stand for it.
  for (const { steps, graphId } of stepGraphs.filter((g) => g.steps > 1)) {
    const workload = { graphId, input: {}, durability: "exit" as const };
    const bySystem = await bench.eachSystem(`${steps} steps, durability exit`, (system) => bench.workload(system, workload, [concurrency], windowSeconds, sequential), (name) => name !== "temporal-floor");
    growth.exitSteps.push({ steps, bySystem });
  }
  for (const kb of stateKb) {
    const bySystem = await bench.eachSystem(`state ${kb} KB`, async (system) => ({ sequential: await bench.sequential(system, stateWorkload(kb), sequential) }));
    growth.state.push({ kb, bySystem });
  }
  if (firstOneNode) growth.threads.push(firstOneNode);
  const seeded: BySystem<number> = {};
  const bySystem = await bench.eachSystem(`${storedThreads} threads stored`, async (system) => {
    await bench.seed(system, storedThreads);
    seeded[system.name] = bench.stored(system);
    return bench.workload(system, WORKLOADS[0]!.workload, [concurrency], windowSeconds, sequential);
  });
  growth.threads.push({ storedThreads: seeded, bySystem });
  return growth;
}
