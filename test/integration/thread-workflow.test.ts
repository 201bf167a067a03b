// The thread workflow with fake activities (style §5, second layer): on a local Temporal test
// server, each case scripts what the steps do and checks what the workflow records, so every way a
// run ends (spec §5.1) is seen from the workflow's side without a graph or a database.
import { fileURLToPath } from "node:url";
import { Context } from "@temporalio/activity";
import { ApplicationFailure } from "@temporalio/common";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { RunActivities } from "../../activities/index.ts";
import type { StepInput } from "../../activities/step.ts";
import {
  cancelRunSignal,
  SEARCH_ATTRIBUTES,
  STEP_BATCH_MS,
  submitRunSignal,
  WORKFLOW_REVISION,
  workflowIdForThread,
  type QueuedRun,
  type RunOutcome,
  type StepSummary,
} from "../../workflows/shared.ts";

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger("WARN") });
  env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: "existing-path", path: inject("temporalCli") }, searchAttributes: Object.values(SEARCH_ATTRIBUTES) },
  });
  bundle = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL("../../workflows/index.ts", import.meta.url)), logger: new DefaultLogger("WARN") });
});
afterAll(async () => env?.teardown());

type Call = [name: string, argument: unknown];
type StepScript = (input: StepInput, attempt: number) => Promise<StepSummary>;

const limits = { heartbeatTimeoutSeconds: 2, timeoutSeconds: 30, maxAttempts: 3, retryInitialIntervalMs: 10, maxRunSeconds: 60 };
let counter = 0;
const queued = (overrides: Partial<QueuedRun> = {}): QueuedRun => ({
  runId: `run-${++counter}`, assistantId: "a", graphId: "g", notBefore: null, temporary: false, webhook: false, limits, ...overrides,
});

/** A step that commits checkpoint `c<step>` and stops after `steps` steps. */
const stepsUntil = (steps: number): StepScript => async ({ step }) => ({ checkpointId: `c${step}`, nodes: [`n${step}`], next: step < steps ? [`n${step + 1}`] : [], stop: step >= steps });

/** Like stepsUntil, each step taking `ms`. */
const slowStepsUntil = (steps: number, ms: number): StepScript => async (input, attempt) => {
  await Context.current().sleep(ms);
  return stepsUntil(steps)(input, attempt);
};

/** A step that heartbeats until its run's deadline, where it stops as the real step does. */
const stopsAtDeadline: StepScript = async (input) => {
  while (Date.now() < input.deadline!) {
    Context.current().heartbeat();
    await Context.current().sleep(100);
  }
  return { checkpointId: input.fromCheckpointId, nodes: [], next: [], stop: true, timedOut: true };
};

/** A step that heartbeats until it is cancelled. */
const hangs: StepScript = async () => {
  for (;;) {
    Context.current().heartbeat();
    await Context.current().sleep(100);
  }
};

function fakeActivities(calls: Call[], runStep: StepScript) {
  const record = (name: string) => async (argument: unknown) => {
    calls.push([name, argument]);
  };
  return {
    async startRun(argument: { runId: string }) {
      calls.push(["startRun", argument]);
      return { checkpointId: "c0", next: ["n1"] };
    },
    finishRun: record("finishRun"),
    rollbackRun: record("rollbackRun"),
    cancelQueuedRuns: record("cancelQueuedRuns"),
    deliverWebhook: record("deliverWebhook"),
    deleteThread: record("deleteThread"),
    fireCron: record("fireCron"),
    awaitRunEnd: record("awaitRunEnd"),
    sweepExpired: record("sweepExpired"),
    async runStep(input: StepInput) {
      calls.push(["runStep", input]);
      return runStep(input, Context.current().info.attempt);
    },
  } satisfies Record<keyof RunActivities, unknown>;
}

/** Runs a thread workflow with `run` on a fresh task queue; `during` acts while it runs. */
async function runWorkflow(script: StepScript, run: QueuedRun, during?: (threadId: string, calls: Call[]) => Promise<void>) {
  const calls: Call[] = [];
  const taskQueue = `workflow-test-${counter}`;
  const threadId = `thread-${counter}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: fakeActivities(calls, script) });
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start("threadWorkflow", {
      taskQueue, workflowId: workflowIdForThread(threadId), args: [{ threadId, queue: [run], revision: WORKFLOW_REVISION }],
    });
    await during?.(threadId, calls);
    return (await handle.result()) as RunOutcome;
  });
  const outcomes = calls.filter(([name]) => name === "finishRun").map(([, argument]) => argument);
  return { calls, result, outcomes, names: calls.map(([name]) => name) };
}

/** Waits until the workflow has begun its first step. */
async function stepStarted(calls: Call[]) {
  while (!calls.some(([name]) => name === "runStep")) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("thread workflow with fake activities", () => {
  it("lets a durability exit run's steps after the first batch super-steps, counting the ones each ran", async () => {
    const run = queued({ batchSteps: true });
    // Step 2's activity runs super-steps 2 to 4; step 5 stops the run.
    const batched: StepScript = async (input) => {
      const last = input.batch ? input.step + 2 : input.step;
      return { checkpointId: `c${last}`, nodes: [`n${last}`], next: last < 5 ? [`n${last + 1}`] : [], stop: last >= 5, ...(input.batch ? { steps: last - input.step + 1 } : {}) };
    };
    let threadId = "";
    const { calls, outcomes } = await runWorkflow(batched, run, async (id) => void (threadId = id));
    const steps = calls.filter(([name]) => name === "runStep").map(([, input]) => input as StepInput);
    expect(steps.map(({ step, fromCheckpointId, batch }) => ({ step, fromCheckpointId, batch }))).toEqual([
      { step: 1, fromCheckpointId: null, batch: undefined },
      { step: 2, fromCheckpointId: "c1", batch: true },
      { step: 5, fromCheckpointId: "c4", batch: true },
    ]);
    expect(outcomes).toEqual([{ runId: run.runId, outcome: { status: "success" } }]);
    // A batch may start super-steps for STEP_BATCH_MS more than one step's timeout.
    const history = await env.client.workflow.getHandle(workflowIdForThread(threadId)).fetchHistory();
    const scheduled = history.events!.flatMap((e) => e.activityTaskScheduledEventAttributes ?? []);
    expect(scheduled.map((a) => [a.activityType?.name, Number(a.startToCloseTimeout?.seconds)])).toEqual([
      ["runStep", limits.timeoutSeconds],
      ["runStep", limits.timeoutSeconds + STEP_BATCH_MS / 1000],
      ["runStep", limits.timeoutSeconds + STEP_BATCH_MS / 1000],
    ]);
  });

  it("runs steps from the checkpoint each one committed until one stops, then records success", async () => {
    const run = queued();
    const startedAt = Date.now();
    const { calls, outcomes } = await runWorkflow(stepsUntil(3), run);
    const steps = calls.filter(([name]) => name === "runStep").map(([, input]) => input as StepInput);
    // Every step carries the run's deadline: max_run_seconds after the run began (revision 5).
    const deadline = steps[0]!.deadline!;
    expect(deadline - startedAt).toBeGreaterThan(limits.maxRunSeconds * 1000 - 5_000);
    expect(deadline - startedAt).toBeLessThanOrEqual(limits.maxRunSeconds * 1000 + 1_000);
    expect(steps).toEqual([
      { runId: run.runId, step: 1, fromCheckpointId: null, startsRun: true, endsRun: true, deadline },
      { runId: run.runId, step: 2, fromCheckpointId: "c1", endsRun: true, deadline },
      { runId: run.runId, step: 3, fromCheckpointId: "c2", endsRun: true, deadline },
    ]);
    expect(outcomes).toEqual([{ runId: run.runId, outcome: { status: "success" } }]);
  });

  it("leaves the start and the success to the steps that recorded them (revision 4): no run-record activity", async () => {
    const recordsItsEnd: StepScript = async (input, attempt) => {
      const summary = await stepsUntil(2)(input, attempt);
      return summary.stop ? { ...summary, ended: true } : summary;
    };
    const { names, result } = await runWorkflow(recordsItsEnd, queued());
    expect(result).toEqual({ status: "success" });
    expect(names).toEqual(["runStep", "runStep"]);
  });

  it("retries a failed attempt of a step, and the run goes on", async () => {
    const flaky: StepScript = async (input, attempt) => {
      if (attempt === 1) throw ApplicationFailure.create({ type: "ConnectionError", message: "flaky" });
      return stepsUntil(1)(input, attempt);
    };
    const { names, outcomes } = await runWorkflow(flaky, queued());
    expect(names.filter((name) => name === "runStep")).toHaveLength(2);
    expect(outcomes).toMatchObject([{ outcome: { status: "success" } }]);
  });

  it("ends the run in error with the graph's error type when it cannot be retried", async () => {
    const failing: StepScript = async () => {
      throw ApplicationFailure.create({ type: "GraphRecursionError", message: "too deep", nonRetryable: true });
    };
    const { names, outcomes } = await runWorkflow(failing, queued());
    expect(names.filter((name) => name === "runStep")).toHaveLength(1);
    expect(outcomes).toMatchObject([{ outcome: { status: "error", error: "GraphRecursionError", message: "too deep" } }]);
  });

  it("ends the run in error once every attempt of a step was lost to a crashed worker (heartbeat timeout)", async () => {
    // Never heartbeats nor answers; ends only when the worker shuts down after the test.
    const silent: StepScript = () => Context.current().cancelled;
    const { names, outcomes } = await runWorkflow(silent, queued({ limits: { ...limits, heartbeatTimeoutSeconds: 1, maxAttempts: 2 } }));
    expect(names.filter((name) => name === "runStep")).toHaveLength(2);
    expect(outcomes).toMatchObject([{ outcome: { status: "error", error: "StepTimeout" } }]);
  });

  it("ends a run as timeout when its step stopped at the run's deadline (max_run_seconds)", async () => {
    const { names, outcomes, result } = await runWorkflow(stopsAtDeadline, queued({ limits: { ...limits, maxRunSeconds: 1 } }));
    expect(names).toEqual(["runStep", "finishRun"]);
    expect(outcomes).toMatchObject([{ outcome: { status: "timeout", error: "TimeoutError", message: "Run exceeded 1 s" } }]);
    expect(result).toMatchObject({ status: "timeout" });
  });

  it("starts no step past the run's deadline", async () => {
    // Each step ends before the deadline, but the third would begin after it.
    const { names, outcomes } = await runWorkflow(slowStepsUntil(3, 700), queued({ limits: { ...limits, maxRunSeconds: 1 } }));
    expect(names).toEqual(["runStep", "runStep", "finishRun"]);
    expect(outcomes).toMatchObject([{ outcome: { status: "timeout", error: "TimeoutError" } }]);
  });

  it("times out a run whose after_seconds ends past its deadline, without starting it", async () => {
    const notBefore = new Date(Date.now() + 60_000).toISOString();
    const startedAt = Date.now();
    const { names, outcomes } = await runWorkflow(stepsUntil(1), queued({ notBefore, limits: { ...limits, maxRunSeconds: 1 } }));
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(names).toEqual(["finishRun"]);
    expect(outcomes).toMatchObject([{ outcome: { status: "timeout", error: "TimeoutError" } }]);
  });

  it.each([
    ["interrupt", ["runStep", "finishRun"]],
    ["rollback", ["runStep", "rollbackRun"]],
  ] as const)("a cancel (%s) stops the step in flight and records the end", async (action, expected) => {
    const run = queued();
    const outcome = await runWorkflow(hangs, run, async (threadId, calls) => {
      await stepStarted(calls);
      await env.client.workflow.getHandle(workflowIdForThread(threadId)).signal(cancelRunSignal, { runId: run.runId, action });
    });
    expect(outcome.names).toEqual(expected);
    if (action === "interrupt") expect(outcome.outcomes).toEqual([{ runId: run.runId, outcome: { status: "interrupted" } }]);
  });

  it.each([
    ["interrupt", "finishRun"],
    ["rollback", "rollbackRun"],
  ] as const)("a cancel (%s) of a step whose worker died ends the run as cancelled, not with the step's timeout", async (action, record) => {
    // 1. the step's worker is gone: it never heartbeats, so it never hears of the cancel
    // 2. the cancel arrives; the step then fails by its heartbeat timeout (one attempt)
    // 3. the client's cancel decides the outcome (revision 3; revision 2 recorded StepTimeout)
    const silent: StepScript = () => Context.current().cancelled;
    const run = queued({ limits: { ...limits, heartbeatTimeoutSeconds: 1, maxAttempts: 1 } });
    const outcome = await runWorkflow(silent, run, async (threadId, calls) => {
      await stepStarted(calls);
      await env.client.workflow.getHandle(workflowIdForThread(threadId)).signal(cancelRunSignal, { runId: run.runId, action });
    });
    expect(outcome.names).toEqual(["runStep", record]);
    if (action === "interrupt") expect(outcome.outcomes).toEqual([{ runId: run.runId, outcome: { status: "interrupted" } }]);
  });

  it("a webhook that cannot be delivered ends neither the workflow nor the runs queued behind it", async () => {
    const first = queued({ webhook: true });
    const second = queued();
    const calls: Call[] = [];
    const taskQueue = `workflow-test-${counter}`;
    const threadId = `thread-${counter}`;
    const activities = {
      ...fakeActivities(calls, slowStepsUntil(1, 300)),
      async deliverWebhook(argument: unknown) {
        calls.push(["deliverWebhook", argument]);
        throw ApplicationFailure.create({ type: "WebhookRefused", message: "receiver answered 500", nonRetryable: true });
      },
    };
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start("threadWorkflow", {
        taskQueue, workflowId: workflowIdForThread(threadId), args: [{ threadId, queue: [first], revision: WORKFLOW_REVISION }],
      });
      await handle.signal(submitRunSignal, { run: second, cancelOthers: null });
      await env.client.workflow.getHandle(workflowIdForThread(threadId)).result();
    });
    expect(calls.filter(([name]) => name === "deliverWebhook")).toEqual([["deliverWebhook", { runId: first.runId }]]);
    expect(calls.filter(([name]) => name === "finishRun").map(([, argument]) => argument)).toEqual([
      { runId: first.runId, outcome: { status: "success" } },
      { runId: second.runId, outcome: { status: "success" } },
    ]);
  });

  it("a run queued behind the current one runs in the next execution; one cancelled in the queue ends without starting", async () => {
    const first = queued();
    const second = queued();
    const dropped = queued();
    const calls: Call[] = [];
    const taskQueue = `workflow-test-${counter}`;
    const threadId = `thread-${counter}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: fakeActivities(calls, slowStepsUntil(2, 300)) });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start("threadWorkflow", {
        taskQueue, workflowId: workflowIdForThread(threadId), args: [{ threadId, queue: [first], revision: WORKFLOW_REVISION }],
      });
      await handle.signal(submitRunSignal, { run: second, cancelOthers: null });
      await handle.signal(submitRunSignal, { run: dropped, cancelOthers: null });
      await handle.signal(cancelRunSignal, { runId: dropped.runId, action: "interrupt" });
      // The execution that ran `first` continues as new into `second`.
      await env.client.workflow.getHandle(workflowIdForThread(threadId)).result();
    });
    const starts = calls.filter(([name, input]) => name === "runStep" && (input as StepInput).startsRun).map(([, input]) => (input as StepInput).runId);
    expect(starts).toEqual([first.runId, second.runId]);
    expect(calls).toContainEqual(["cancelQueuedRuns", { runs: [{ runId: dropped.runId, action: "interrupt" }] }]);
    expect(calls.filter(([name]) => name === "finishRun").map(([, argument]) => argument)).toEqual([
      { runId: first.runId, outcome: { status: "success" } },
      { runId: second.runId, outcome: { status: "success" } },
    ]);
  });
});
