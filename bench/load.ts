// The client load, the same for every system: sequential create → join, and closed loops of
// C clients that each start a background run on a fresh thread and join it, for a time window.
import { summarize, type Summary } from "./stats.ts";

/** What a load generator needs from a system: threads and background runs. */
export interface RunDriver {
  createThread(): Promise<string>;
  /**
   * Starts a background run; resolves with its run id once the system accepted it. `durability`
   * goes to systems that run LangGraph; the Temporal floor runs one activity per step regardless.
   */
  createRun(threadId: string, graphId: string, input: unknown, durability?: Durability): Promise<string>;
  /** Resolves when the run has ended. */
  join(threadId: string, runId: string): Promise<unknown>;
}

/** One driver per simulated client, as separate clients would hold separate connections. */
export type DriverFactory = () => RunDriver;

/** The Platform's run field; unset runs get the servers' default ("async"). */
export type Durability = "exit";

export interface Workload {
  graphId: string;
  input: unknown;
  durability?: Durability;
}

export interface Failures {
  errors: number;
  firstError?: string;
}

export interface SequentialResult extends Failures {
  create: Summary;
  e2e: Summary;
}

export interface ThroughputResult extends Failures {
  concurrency: number;
  completed: number;
  seconds: number;
  runsPerSecond: number;
  /** create → join of each run while under this load. */
  e2e: Summary;
  /** The create request alone, under this load (for the Temporal floor: the workflow start). */
  create: Summary;
}

const now = () => performance.now();

function recordError(failures: Failures, err: unknown): void {
  failures.errors++;
  failures.firstError ??= err instanceof Error ? err.message : String(err);
}

/** One client: create → join, one run at a time, each on a new thread (untimed). */
export async function runSequential(
  newDriver: DriverFactory,
  workload: Workload,
  limits: { maxRuns: number; seconds: number },
): Promise<SequentialResult> {
  const driver = newDriver();
  const createMs: number[] = [];
  const e2eMs: number[] = [];
  const failures: Failures = { errors: 0 };
  const deadline = now() + limits.seconds * 1000;
  while (createMs.length + failures.errors < limits.maxRuns && now() < deadline) {
    try {
      const threadId = await driver.createThread();
      const started = now();
      const runId = await driver.createRun(threadId, workload.graphId, workload.input, workload.durability);
      const created = now();
      await driver.join(threadId, runId);
      createMs.push(created - started);
      e2eMs.push(now() - started);
    } catch (err) {
      recordError(failures, err);
    }
  }
  return { create: summarize(createMs), e2e: summarize(e2eMs), ...failures };
}

/**
 * `concurrency` clients in closed loops for `seconds`; runs in flight at the deadline finish
 * and count. Threads come from `threads` (made beforehand, so thread creation is not part of
 * the measured window) and are created on the fly when it runs dry.
 */
export async function runClosedLoop(
  newDriver: DriverFactory,
  workload: Workload,
  options: { concurrency: number; seconds: number; threads: string[] },
): Promise<ThroughputResult> {
  const e2eMs: number[] = [];
  const createMs: number[] = [];
  const failures: Failures = { errors: 0 };
  const started = now();
  const deadline = started + options.seconds * 1000;
  const client = async () => {
    const driver = newDriver();
    while (now() < deadline) {
      try {
        const threadId = options.threads.pop() ?? (await driver.createThread());
        const t0 = now();
        const runId = await driver.createRun(threadId, workload.graphId, workload.input, workload.durability);
        const created = now();
        await driver.join(threadId, runId);
        createMs.push(created - t0);
        e2eMs.push(now() - t0);
      } catch (err) {
        recordError(failures, err);
        // A failing system must not turn the loop into a busy spin.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (now() - started) / 1000;
  return {
    concurrency: options.concurrency,
    completed: e2eMs.length,
    seconds,
    runsPerSecond: e2eMs.length / seconds,
    e2e: summarize(e2eMs),
    create: summarize(createMs),
    ...failures,
  };
}

/** Creates `count` threads with `parallel` requests in flight. */
export async function createThreads(newDriver: DriverFactory, count: number, parallel = 16): Promise<string[]> {
  const ids: string[] = [];
  let remaining = count;
  const worker = async () => {
    const driver = newDriver();
    while (remaining > 0) {
      remaining--;
      ids.push(await driver.createThread());
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return ids;
}
