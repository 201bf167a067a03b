// SIGTERM on a worker process: it stops taking work, lets the steps it is running finish
// within its grace time, and exits; another worker carries the runs on. No step runs twice.
// For the default local steps, which the worker's workflow tasks hold, and for activity tasks.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startStack, type Stack } from "../helpers/stack.ts";
import { recordFaults } from "./ledger.ts";
import { ChildProcesses, countSteps, faultFreeSteps, inFlight, readNodeLog, startSeededRuns, waitUntil } from "./harness.ts";

const RUNS = 4;
const STEP_MS = 3000;
/** The worker's shutdownGraceTime (startup/worker.ts) plus time to close and exit. */
const EXIT_WITHIN_MS = 25_000;

let stack: Stack;
const workers = new ChildProcesses();

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false, env: { STEP_NODE_MS: String(STEP_MS), STEP_HEARTBEAT_TIMEOUT_SECONDS: "2" } });
});
afterAll(async () => {
  await workers.killAll();
  await stack?.stop();
});

it.each(["steps-tasks", "steps"])("lets the steps of %s in flight finish on SIGTERM, exits in bounded time, and runs no step twice", async (graphId) => {
  // 1. one worker, four runs, all with a step in flight on it
  const first = await workers.startWorker(stack);
  const runs = await startSeededRuns(stack.sdk, RUNS, {}, graphId);
  const threadIds = runs.map((r) => r.threadId);
  const log = () => readNodeLog(stack.env.NODE_EXECUTION_LOG!, threadIds);
  await waitUntil(() => inFlight(log(), { pid: first.child.pid!, at: Date.now() }) === RUNS, 60_000, "a step of every run in flight");

  // 2. SIGTERM: the process exits within its grace time, after its steps ended there
  const signalled = Date.now();
  const inFlightAtSignal = inFlight(log(), { pid: first.child.pid!, at: signalled });
  await first.kill("SIGTERM");
  const exitMs = Date.now() - signalled;
  expect(exitMs).toBeLessThan(EXIT_WITHIN_MS);
  expect(inFlight(log(), { pid: first.child.pid!, at: Date.now() })).toBe(0);

  // 3. a second worker finishes the runs
  const second = await workers.startWorker(stack);
  const joined = await Promise.all(runs.map((r) => stack.sdk.runs.join(r.threadId, r.runId)));

  // 4. every run as without the fault; the steps in flight at SIGTERM were not run again
  const finals = await Promise.all(runs.map(async (r) => (await stack.sdk.runs.get(r.threadId, r.runId)).status));
  const expected = await Promise.all(runs.map((r) => faultFreeSteps(r.seed)));
  const steps = countSteps(log(), []);
  const finished = finals.filter((s) => s === "success").length;
  recordFaults({
    scenario: `worker SIGTERM (exited in ${(exitMs / 1000).toFixed(1)} s), ${RUNS} runs of ${graphId}`,
    faults: 1,
    runsStarted: RUNS,
    runsFinished: finished,
    duplicateSteps: steps.duplicates,
    retriedSteps: steps.retried,
  });
  expect(inFlightAtSignal).toBe(RUNS);
  expect(finals).toEqual(runs.map(() => "success"));
  expect(joined).toEqual(expected);
  expect(steps).toEqual({ duplicates: 0, retried: 0 });
  await second.kill("SIGTERM");
});
