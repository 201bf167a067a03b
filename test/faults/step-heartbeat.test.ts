// The server's default step heartbeat timeout and first retry delay, from both sides: short
// enough that the step of a SIGKILLed worker starts again on another worker within 5 s, long
// enough that no healthy step is taken for dead and retried while every core is busy. For a run's
// default local steps, whose workflow task timeout (the step heartbeat timeout) stands for the
// heartbeats, and for steps that are activity tasks (a graph with local_steps false).
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readSettings } from "../../src/settings.ts";
import { workflowIdForThread } from "../../workflows/shared.ts";
import { startStack, type Stack } from "../helpers/stack.ts";
import { recordFaults } from "./ledger.ts";
import { ChildProcesses, countSteps, faultFreeSteps, readNodeLog, waitUntil, type Kill, type NodeExecution } from "./harness.ts";

const DEFAULTS = readSettings({}).steps;
const RECOVERY_LIMIT_MS = 5000;
const TRIALS = 3;
const LOADED_RUNS = 4;
/** The busy loops end by themselves after this long, should the test not stop them. */
const LOAD_BOUND_MS = 120_000;

let stack: Stack;
const workers = new ChildProcesses();
let load: CpuLoad | undefined;
/** Seeds 1, 2, …; computed first, as the stack's graph registry then gives the shared graph its checkpointer. */
let faultFree: Array<Record<string, unknown>>;

beforeAll(async () => {
  faultFree = await Promise.all(Array.from({ length: Math.max(TRIALS, LOADED_RUNS) }, (_, i) => faultFreeSteps(i + 1)));
  // The test stack shortens both settings for the other tests: back to the server's defaults.
  const env = { STEP_HEARTBEAT_TIMEOUT_SECONDS: String(DEFAULTS.heartbeatTimeoutSeconds), STEP_RETRY_INITIAL_INTERVAL_MS: String(DEFAULTS.retryInitialIntervalMs) };
  stack = await startStack({ inProcessWorker: false, env });
});
afterAll(async () => {
  await load?.stop();
  await workers.killAll();
  await stack?.stop();
});

interface RunOutcome {
  seed: number;
  threadId: string;
  runId: string;
  status: string;
  values: unknown;
}

const settingsLabel = `activity tasks, heartbeat ${DEFAULTS.heartbeatTimeoutSeconds} s + retry ${DEFAULTS.retryInitialIntervalMs} ms`;
/** A local step has no heartbeats: it is taken for dead with its workflow task, whose timeout is the step heartbeat timeout. */
const localLabel = `local steps (default), workflow task timeout ${DEFAULTS.heartbeatTimeoutSeconds} s`;

function nodeLog(threadIds: string[]): NodeExecution[] {
  return readNodeLog(stack.env.NODE_EXECUTION_LOG!, threadIds);
}

async function firstStart(threadId: string, node: string, where: (e: NodeExecution) => boolean = () => true): Promise<NodeExecution> {
  let found: NodeExecution | undefined;
  await waitUntil(() => (found = nodeLog([threadId]).find((e) => e.event === "start" && e.node === node && where(e))) !== undefined, 60_000, `${node} to start`);
  return found!;
}

interface CpuLoad {
  spinners: number;
  /** Share of the machine's CPU time that was busy while the load ran (0–1). */
  stop(): Promise<number>;
}

/** One busy-looping process per core, each ending by itself after LOAD_BOUND_MS at the latest. */
function saturateCpus(): CpuLoad {
  const before = cpuTimes();
  const spinners: ChildProcess[] = Array.from({ length: os.availableParallelism() }, () =>
    spawn(process.execPath, ["-e", `const end = Date.now() + ${LOAD_BOUND_MS}; while (Date.now() < end);`], { stdio: "ignore" }),
  );
  return {
    spinners: spinners.length,
    async stop() {
      const after = cpuTimes();
      const exits = spinners.filter((child) => child.exitCode === null && child.signalCode === null).map((child) => new Promise((resolve) => child.once("exit", resolve)));
      for (const child of spinners) child.kill("SIGKILL");
      await Promise.all(exits);
      return 1 - (after.idle - before.idle) / (after.total - before.total);
    },
  };
}

function cpuTimes(): { idle: number; total: number } {
  const cpus = os.cpus();
  return {
    idle: cpus.reduce((sum, cpu) => sum + cpu.times.idle, 0),
    total: cpus.reduce((sum, cpu) => sum + Object.values(cpu.times).reduce((a, b) => a + b, 0), 0),
  };
}

/**
 * Steps of the thread's workflow that Temporal started more than once: its history keeps each
 * step's last attempt; a local step starts again when its workflow task times out.
 */
async function stepsAttemptedAgain(threadId: string): Promise<number> {
  const events = (await stack.api.client.workflow.getHandle(workflowIdForThread(threadId)).fetchHistory()).events ?? [];
  const steps = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === "runStep").map((e) => String(e.eventId)));
  return events.filter((e) => {
    const started = e.activityTaskStartedEventAttributes;
    return (started && steps.has(String(started.scheduledEventId)) && (started.attempt ?? 1) > 1) || e.workflowTaskTimedOutEventAttributes;
  }).length;
}

/**
 * Runs of the six-step graph `graphId`, one after the other: each time s1 has committed and s2
 * runs, SIGKILL the worker running s2 and time until s2 starts again on the other worker.
 */
async function killMidStep(graphId: string) {
  // 1. two workers
  let pool = await Promise.all([workers.startWorker(stack), workers.startWorker(stack)]);
  const kills: Kill[] = [];
  const recoveryMs: number[] = [];
  const runs: RunOutcome[] = [];
  for (let seed = 1; seed <= TRIALS; seed++) {
    // 2. a run; once s1 has committed and s2 runs, SIGKILL the worker running s2
    const { thread_id: threadId } = await stack.sdk.threads.create();
    const { run_id: runId } = await stack.sdk.runs.create(threadId, graphId, { input: { seed }, config: { configurable: { step_node_ms: 1500 } } });
    const running = await firstStart(threadId, "s2");
    const victim = pool.find((worker) => worker.child.pid === running.pid)!;
    const killedAt = Date.now();
    await victim.kill("SIGKILL");
    kills.push({ pid: running.pid, at: killedAt });

    // 3. the recovery: until s2 starts again, on the other worker (as bench/recovery.ts measures it)
    const restarted = await firstStart(threadId, "s2", (e) => e.pid !== running.pid);
    recoveryMs.push(restarted.at - killedAt);

    // 4. the run finishes while a new worker replaces the victim for the next trial
    const [replacement] = await Promise.all([workers.startWorker(stack), stack.sdk.runs.join(threadId, runId)]);
    pool = [pool.find((worker) => worker !== victim)!, replacement];
    const [{ status }, { values }] = await Promise.all([stack.sdk.runs.get(threadId, runId), stack.sdk.threads.getState(threadId)]);
    runs.push({ seed, threadId, runId, status, values });
  }
  for (const worker of pool) await worker.kill("SIGKILL");
  return { kills, recoveryMs, runs, steps: countSteps(nodeLog(runs.map((r) => r.threadId)), kills) };
}

it.each([
  ["steps-tasks", settingsLabel],
  ["steps", localLabel],
])("restarts the step of %s on a SIGKILLed worker on the other worker within 5 s (%s)", async (graphId, label) => {
  const { kills, recoveryMs, runs, steps } = await killMidStep(graphId);

  // 5. every run ended as without the fault; only the step in flight ran again
  recordFaults({
    scenario: `worker SIGKILL mid-step, ${TRIALS} trials, ${label}`,
    faults: kills.length,
    runsStarted: runs.length,
    runsFinished: runs.filter((r) => r.status === "success").length,
    duplicateSteps: steps.duplicates,
    retriedSteps: steps.retried,
    recoveryMs,
  });
  for (const run of runs) {
    expect({ seed: run.seed, status: run.status, values: run.values }).toEqual({ seed: run.seed, status: "success", values: faultFree[run.seed - 1] });
  }
  expect(steps).toEqual({ duplicates: 0, retried: TRIALS });
  expect(Math.max(...recoveryMs)).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
}, 240_000);

it.each([
  ["steps-tasks", settingsLabel],
  ["steps", localLabel],
])("retries no healthy step of %s while every core is busy (%s)", async (graphId, label) => {
  // 1. two workers, started before the load (bundling their workflows takes seconds of CPU)
  const pool = workers.running();
  while (pool.length < 2) pool.push(await workers.startWorker(stack));

  // 2. a busy loop on every core
  load = saturateCpus();
  const { spinners } = load;
  const runs: RunOutcome[] = [];
  let busy: number;
  try {
    // 3. runs of the six-step graph whose nodes hold the event loop 0.3 s, as CPU-heavy code
    //    does, then wait 2.5 s; runs share workers, so their blocks may follow one another
    const started = await Promise.all(
      Array.from({ length: LOADED_RUNS }, async (_, i) => {
        const { thread_id: threadId } = await stack.sdk.threads.create();
        const config = { configurable: { step_node_ms: 2500, step_node_block_ms: 300 } };
        const { run_id: runId } = await stack.sdk.runs.create(threadId, graphId, { input: { seed: i + 1 }, config });
        return { seed: i + 1, threadId, runId };
      }),
    );
    for (const run of started) {
      await stack.sdk.runs.join(run.threadId, run.runId);
      const [{ status }, { values }] = await Promise.all([stack.sdk.runs.get(run.threadId, run.runId), stack.sdk.threads.getState(run.threadId)]);
      runs.push({ ...run, status, values });
    }
  } finally {
    busy = await load.stop();
    load = undefined;
  }

  // 4. Temporal started no step twice, and no node ran twice
  const threadIds = runs.map((r) => r.threadId);
  const falseRetries = (await Promise.all(threadIds.map(stepsAttemptedAgain))).reduce((a, b) => a + b, 0);
  const steps = countSteps(nodeLog(threadIds), []);
  recordFaults({
    scenario: `full CPU load (${spinners} busy loops, CPU ${Math.round(busy * 100)}% busy), ${LOADED_RUNS} healthy runs × 6 steps, ${label}`,
    faults: 0,
    runsStarted: LOADED_RUNS,
    runsFinished: runs.filter((r) => r.status === "success").length,
    duplicateSteps: steps.duplicates,
    retriedSteps: steps.retried,
    falseRetries,
  });
  for (const run of runs) {
    expect({ seed: run.seed, status: run.status, values: run.values }).toEqual({ seed: run.seed, status: "success", values: faultFree[run.seed - 1] });
  }
  expect(busy).toBeGreaterThan(0.9);
  expect(falseRetries).toBe(0);
  expect(steps).toEqual({ duplicates: 0, retried: 0 });
}, 240_000);
