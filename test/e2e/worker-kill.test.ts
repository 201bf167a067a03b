// A worker process is SIGKILLed in the middle of a step; a new worker finishes the run.
// Completed steps must not run again, and Temporal's history must show the retried step: for the
// default local steps, the dead worker's workflow task timed out; for activity tasks (durability
// sync), the step's second attempt.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { workflowIdForThread } from "../../workflows/shared.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { FIXTURES, nodeExecutions, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
const workers: CliProcess[] = [];

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false, env: { SLOW_NODE_MS: "1500", STEP_HEARTBEAT_TIMEOUT_SECONDS: "2" } });
});
// Each test's workers go with it, so that the next test's run goes to its own.
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.kill("SIGKILL");
});
afterAll(async () => {
  await stack?.stop();
});

function startWorkerProcess(): CliProcess {
  const worker = startCli(["worker", "--config", `${FIXTURES}langgraph.json`, "--data-dir", stack.dataDir], stack.env);
  workers.push(worker);
  return worker;
}

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it.each(["async", "sync"] as const)("survives SIGKILL of its worker mid-step, without re-running completed steps (durability %s)", async (durability) => {
  // 1. a worker process picks up a run of the slow graph a → b → c
  const first = startWorkerProcess();
  await first.waitFor(/worker polling/);
  const thread = await stack.sdk.threads.create();
  const run = await stack.sdk.runs.create(thread.thread_id, "slow", { input: {}, durability });

  // 2. kill it while node b is running (a has completed and committed)
  await waitUntil(() => nodeExecutions(stack, thread.thread_id).includes("start b"));
  await first.kill("SIGKILL");
  expect(nodeExecutions(stack, thread.thread_id)).toEqual(["start a", "end a", "start b"]);
  expect((await stack.sdk.runs.get(thread.thread_id, run.run_id)).status).toBe("running");

  // 3. a new worker retries the interrupted step and finishes the run
  const second = startWorkerProcess();
  await second.waitFor(/worker polling/);
  expect(await stack.sdk.runs.join(thread.thread_id, run.run_id)).toEqual({ visited: ["a", "b", "c"] });
  expect((await stack.sdk.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
  expect((await stack.sdk.threads.get(thread.thread_id)).status).toBe("idle");

  // 4. a ran once, b twice (the step in flight at the kill), c once
  const executions = nodeExecutions(stack, thread.thread_id);
  expect(executions.filter((line) => line === "end a")).toHaveLength(1);
  expect(executions.filter((line) => line === "start b")).toHaveLength(2);
  expect(executions.filter((line) => line === "end b")).toHaveLength(1);
  expect(executions.filter((line) => line === "end c")).toHaveLength(1);

  // 5. Temporal's history shows the step that was retried
  const history = await stack.api.client.workflow.getHandle(workflowIdForThread(thread.thread_id)).fetchHistory();
  const events = history.events ?? [];
  if (durability === "sync") {
    expect(events.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt)).toContain(2);
  } else {
    expect(events.filter((e) => e.workflowTaskTimedOutEventAttributes)).toHaveLength(1);
    expect(events.filter((e) => e.activityTaskStartedEventAttributes)).toEqual([]);
  }
  const state = await stack.sdk.threads.getState(thread.thread_id);
  expect(state.values).toEqual({ visited: ["a", "b", "c"] });
});
