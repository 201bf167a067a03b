// Worker processes are SIGKILLed again and again while 20 runs on 20 threads are in flight;
// then one clean worker finishes. No run may be lost, no committed step may run twice, and
// every thread must end exactly as it would have without faults: with the default local steps,
// again with durability exit, whose steps run several super-steps each, and with steps that are
// activity tasks (local_steps false).
import { afterAll, beforeAll, expect, it } from "vitest";
import { startStack, type Stack } from "../helpers/stack.ts";
import { recordFaults } from "./ledger.ts";
import { ChildProcesses, countSteps, faultFreeSteps, inFlight, readNodeLog, startSeededRuns, type Kill, type SeededRunOptions } from "./harness.ts";

const RUNS = 20;
/** Each of the two worker slots is killed after polling this long, once per entry. */
const KILL_AFTER_MS = [2500, 4000, 3000];

let stack: Stack;
const workers = new ChildProcesses();

beforeAll(async () => {
  stack = await startStack({
    inProcessWorker: false,
    // Every kill costs a step an attempt: allow more attempts than one step can meet kills.
    env: { STEP_NODE_MS: "1000", STEP_HEARTBEAT_TIMEOUT_SECONDS: "2", STEP_MAX_ATTEMPTS: "10" },
  });
});
afterAll(async () => {
  await workers.killAll();
  await stack?.stop();
});

/** One worker slot: start a worker, let it work a while, SIGKILL it; again for each delay. */
async function killLoop(kills: Kill[], delays: number[]): Promise<void> {
  for (const delay of delays) {
    const worker = await workers.startWorker(stack);
    await new Promise((resolve) => setTimeout(resolve, delay));
    await worker.kill("SIGKILL");
    // Taken after the exit, so every line the process wrote precedes the kill.
    kills.push({ pid: worker.child.pid!, at: Date.now() });
  }
}

/**
 * 20 runs of the six-step graph (`graphId`), one per thread, each with its own seed (and
 * `options`); two worker slots, each killed after each of `delays`; then one clean worker finishes.
 */
async function sigkillScenario(scenario: string, delays: number[], options: SeededRunOptions = {}, graphId?: string) {
  // 1. the runs
  const runs = await startSeededRuns(stack.sdk, RUNS, options, graphId);

  // 2. two worker slots, each killed three times while the runs are in flight
  const kills: Kill[] = [];
  await Promise.all([killLoop(kills, delays), killLoop(kills, delays)]);

  // 3. one clean worker finishes everything
  const finisher = await workers.startWorker(stack);
  await Promise.all(runs.map((r) => stack.sdk.runs.join(r.threadId, r.runId)));
  // Gone before the next scenario, whose runs only the workers it kills may run.
  await finisher.kill("SIGKILL");

  // 4. count what happened
  const outcomes = await Promise.all(
    runs.map(async (r) => {
      const [run, listed, state, expected] = await Promise.all([
        stack.sdk.runs.get(r.threadId, r.runId),
        stack.sdk.runs.list(r.threadId),
        stack.sdk.threads.getState(r.threadId),
        faultFreeSteps(r.seed),
      ]);
      return { ...r, status: run.status, listed: listed.map((l) => l.run_id), values: state.values, expected };
    }),
  );
  const executions = readNodeLog(stack.env.NODE_EXECUTION_LOG!, runs.map((r) => r.threadId));
  const steps = countSteps(executions, kills);
  const interrupted = kills.map((kill) => inFlight(executions, kill));
  const finished = outcomes.filter((o) => o.status === "success" && o.listed.includes(o.runId)).length;
  recordFaults({
    scenario,
    faults: kills.length,
    runsStarted: runs.length,
    runsFinished: finished,
    duplicateSteps: steps.duplicates,
    retriedSteps: steps.retried,
  });

  // 5. every run succeeded, on its own thread, with the fault-free state
  for (const outcome of outcomes) {
    expect({ run: outcome.runId, status: outcome.status, listed: outcome.listed }).toEqual({ run: outcome.runId, status: "success", listed: [outcome.runId] });
    expect(outcome.values).toEqual(outcome.expected);
  }
  // 6. the kills did cut steps short, and only those ran again
  expect(kills).toHaveLength(2 * delays.length);
  expect(interrupted.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  expect(steps.duplicates).toBe(0);
  expect(steps.retried).toBeGreaterThan(0);
}

it("loses no run and re-runs no committed step when workers are SIGKILLed repeatedly", async () => {
  await sigkillScenario("worker SIGKILL x6, 2 workers, 20 runs", KILL_AFTER_MS);
}, 300_000);

it("does the same for runs with durability exit, whose activities batch super-steps", async () => {
  // Nodes of 0.4 s: after its first step, a run's activity runs three super-steps, then two.
  await sigkillScenario("worker SIGKILL x6, 2 workers, 20 runs with durability exit", [1500, 2000, 1500], {
    durability: "exit",
    config: { configurable: { step_node_ms: 400 } },
  });
}, 300_000);

it("does the same for a graph with local_steps false, whose steps are activity tasks", async () => {
  await sigkillScenario("worker SIGKILL x6, 2 workers, 20 runs with activity tasks", KILL_AFTER_MS, {}, "steps-tasks");
}, 300_000);
