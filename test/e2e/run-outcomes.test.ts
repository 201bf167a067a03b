// One run per thread (reject → 409), a graph that raises, graph export kinds, and the run as
// Temporal shows it: by workflow id and by a visibility query on LangGraphRunId.
import type { WorkflowHandle } from "@temporalio/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEARCH_ATTRIBUTES, cancelRunSignal, workflowIdForThread } from "../../workflows/shared.ts";
import { nodeExecutions, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { SLOW_NODE_MS: "400" } });
});
afterAll(async () => stack?.stop());

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("one run per thread", () => {
  it("answers 409 with a JSON body to a second run on a busy thread, and the first run still succeeds", async () => {
    const thread = await stack.sdk.threads.create();
    const first = await stack.sdk.runs.create(thread.thread_id, "slow", { input: {} });
    expect((await stack.sdk.threads.get(thread.thread_id)).status).toBe("busy");

    const response = await fetch(`${stack.url}/threads/${thread.thread_id}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "slow", input: {} }),
    });
    expect(response.status).toBe(409);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as { detail: string; code: string };
    expect(body.code).toBe("thread_busy");
    expect(body.detail).toContain(`Thread ${thread.thread_id} is already running a task`);
    await expect(stack.sdk.runs.create(thread.thread_id, "slow", { input: {} })).rejects.toThrow(/HTTP 409/);

    expect(await stack.sdk.runs.join(thread.thread_id, first.run_id)).toEqual({ visited: ["a", "b", "c"] });
    expect((await stack.sdk.runs.get(thread.thread_id, first.run_id)).status).toBe("success");
    const runs = await stack.sdk.runs.list(thread.thread_id);
    expect(runs.map((r) => r.run_id)).toEqual([first.run_id]);
    expect((await stack.sdk.threads.get(thread.thread_id)).status).toBe("idle");
  });

  it("accepts the next run once the previous one ended", async () => {
    const thread = await stack.sdk.threads.create();
    const first = await stack.sdk.runs.create(thread.thread_id, "factory", { input: {}, config: { configurable: { name: "one" } } });
    await stack.sdk.runs.join(thread.thread_id, first.run_id);
    const second = await stack.sdk.runs.create(thread.thread_id, "factory", { input: {}, config: { configurable: { name: "two" } } });
    expect(await stack.sdk.runs.join(thread.thread_id, second.run_id)).toEqual({ greeting: "hello two" });
    const runs = await stack.sdk.runs.list(thread.thread_id);
    expect(runs.map((r) => r.run_id)).toEqual([second.run_id, first.run_id]); // newest first
  });
});

describe("a graph that raises", () => {
  it("ends the run in error, joins to __error__ and marks the thread error", async () => {
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, "failing", { input: { text: "x" } });
    const joined = await stack.sdk.runs.join(thread.thread_id, run.run_id);
    expect(joined).toEqual({ __error__: { error: "CustomError", message: "Boo!" } });
    expect((await stack.sdk.runs.get(thread.thread_id, run.run_id)).status).toBe("error");
    expect((await stack.sdk.threads.get(thread.thread_id)).status).toBe("error");
  });

  it("also loads an uncompiled StateGraph export", async () => {
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, "uncompiled", { input: { text: "x" } });
    expect(await stack.sdk.runs.join(thread.thread_id, run.run_id)).toMatchObject({ __error__: { error: "CustomError" } });
  });
});

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle["fetchHistory"]>>["events"]>[number];

/** The summaries of the steps in a history: local activities' markers, or activity tasks. */
function stepsIn(events: HistoryEvent[]): string[] {
  const summaryOf = (e: HistoryEvent): string => (e.userMetadata?.summary?.data ? JSON.parse(Buffer.from(e.userMetadata.summary.data).toString()) : "");
  return events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === "core_local_activity" || e.activityTaskScheduledEventAttributes?.activityType?.name === "runStep")
    .map(summaryOf)
    .filter((summary) => summary.startsWith("step"));
}

describe("the run in Temporal", () => {
  it("is found by workflow id thread-{thread_id} and by LangGraphRunId", async () => {
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, "agent", { input: { messages: [{ role: "user", content: "what's the weather in nyc" }] } });
    await stack.sdk.runs.join(thread.thread_id, run.run_id);

    const temporal = stack.api.client;
    // The run's last step records its end; the execution closes right after.
    await temporal.workflow.getHandle(workflowIdForThread(thread.thread_id)).result();
    const description = await temporal.workflow.getHandle(workflowIdForThread(thread.thread_id)).describe();
    expect(description.status.name).toBe("COMPLETED");
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.runId)).toBe(run.run_id);
    expect(description.typedSearchAttributes.get(SEARCH_ATTRIBUTES.graphId)).toBe("agent");

    // Visibility is eventually consistent: poll briefly.
    const found = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const w of temporal.workflow.list({ query: `LangGraphRunId = "${run.run_id}"` })) ids.push(w.workflowId);
        return ids;
      },
      (ids) => ids.length > 0,
    );
    expect(found).toEqual([workflowIdForThread(thread.thread_id)]);

    // Every super-step is its own local activity, summarised in the Web UI as "step n · nodes".
    const history = await temporal.workflow.getHandle(workflowIdForThread(thread.thread_id)).fetchHistory();
    expect(stepsIn(history.events ?? [])).toEqual(["step 1 · input", "step 2 · tools", "step 3 · agent"]);
  });

  it("with durability exit, the steps after the first share activities: the same run in fewer steps of the history", async () => {
    const runOf = async (durability: "async" | "exit") => {
      const thread = await stack.sdk.threads.create();
      const run = await stack.sdk.runs.create(thread.thread_id, "steps", { input: { seed: 3 }, config: { configurable: { step_node_ms: 0 } }, durability });
      const joined = await stack.sdk.runs.join(thread.thread_id, run.run_id);
      await stack.api.client.workflow.getHandle(workflowIdForThread(thread.thread_id)).result();
      const history = await stack.api.client.workflow.getHandle(workflowIdForThread(thread.thread_id)).fetchHistory();
      const steps = stepsIn(history.events ?? []);
      const { values, next } = await stack.sdk.threads.getState(thread.thread_id);
      return { joined, values, next, status: (await stack.sdk.runs.get(thread.thread_id, run.run_id)).status, steps };
    };
    const [perStep, exit] = [await runOf("async"), await runOf("exit")];
    expect(perStep.steps).toEqual(["step 1 · input", "step 2 · s2", "step 3 · s3", "step 4 · s4", "step 5 · s5", "step 6 · s6"]);
    // Six quick super-steps: the first on its own, the other five within a second.
    expect(exit.steps).toEqual(["step 1 · input", "steps from 2 · s2"]);
    expect({ ...exit, steps: undefined }).toEqual({ ...perStep, steps: undefined });
    expect(exit.status).toBe("success");
  });

  it("a run's steps are local activities, each a marker in the history; with durability sync or local_steps false, activity tasks: the same run", async () => {
    const runOf = async (graphId: string, durability?: "sync" | "async") => {
      const thread = await stack.sdk.threads.create();
      const run = await stack.sdk.runs.create(thread.thread_id, graphId, { input: { seed: 5 }, config: { configurable: { step_node_ms: 0 } }, ...(durability ? { durability } : {}) });
      const joined = await stack.sdk.runs.join(thread.thread_id, run.run_id);
      const handle = stack.api.client.workflow.getHandle(workflowIdForThread(thread.thread_id));
      await handle.result();
      const events = (await handle.fetchHistory()).events ?? [];
      const summaryOf = (e: (typeof events)[number]) => e.userMetadata?.summary?.data && JSON.parse(Buffer.from(e.userMetadata.summary.data).toString());
      const { values, next } = await stack.sdk.threads.getState(thread.thread_id);
      const history = (await stack.sdk.threads.getHistory(thread.thread_id)).map((s) => [s.metadata?.source, s.metadata?.step, s.next]);
      return {
        joined, values, next, history,
        status: (await stack.sdk.runs.get(thread.thread_id, run.run_id)).status,
        activities: events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === "runStep").map(summaryOf),
        markers: events.filter((e) => e.markerRecordedEventAttributes?.markerName === "core_local_activity").map(summaryOf),
      };
    };
    const [queued, sync, local, asked] = [await runOf("steps-tasks"), await runOf("steps", "sync"), await runOf("steps"), await runOf("steps", "async")];
    const steps = ["step 1 · input", "step 2 · s2", "step 3 · s3", "step 4 · s4", "step 5 · s5", "step 6 · s6"];
    for (const tasks of [queued, sync]) expect({ activities: tasks.activities, markers: tasks.markers }).toEqual({ activities: steps, markers: [] });
    for (const markers of [local, asked]) expect({ activities: markers.activities, markers: markers.markers }).toEqual({ activities: [], markers: steps });
    for (const other of [sync, local, asked]) expect({ ...other, activities: undefined, markers: undefined }).toEqual({ ...queued, activities: undefined, markers: undefined });
    expect(local.status).toBe("success");
  });

  it("a local step longer than the workflow task timeout runs once: its worker extends the workflow task", async () => {
    // Queued behind a run of activity tasks: its execution begins by continue-as-new, which sets its timeout.
    const thread = await stack.sdk.threads.create();
    await stack.sdk.runs.create(thread.thread_id, "steps-tasks", { input: { seed: 2 }, config: { configurable: { step_node_ms: 200 } } });
    const run = await stack.sdk.runs.create(thread.thread_id, "steps", {
      input: { seed: 2 }, config: { configurable: { step_node_ms: 8000 } }, interruptAfter: ["s1"], multitaskStrategy: "enqueue",
    });
    await stack.sdk.runs.join(thread.thread_id, run.run_id);
    const handle = stack.api.client.workflow.getHandle(workflowIdForThread(thread.thread_id));
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    expect((await stack.sdk.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
    expect((await stack.sdk.threads.getState(thread.thread_id)).next).toEqual(["s2"]);
    // The execution's workflow task timeout is the step heartbeat timeout (3 s here); without the
    // extensions (at 2.4 s, 4.8 s, 7.2 s) the task would time out and the step start again.
    expect(events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
    expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowTaskTimeout?.seconds?.toString()).toBe("3");
    expect(events.filter((e) => e.workflowTaskTimedOutEventAttributes)).toEqual([]);
    expect(events.filter((e) => e.markerRecordedEventAttributes)).toHaveLength(1);
    expect(events.filter((e) => e.workflowTaskCompletedEventAttributes).length).toBeGreaterThanOrEqual(3);
    // Lines of the steps graph: "<epoch ms> <pid> start|end <node>".
    expect(nodeExecutions(stack, thread.thread_id).map((line) => line.split(" ").slice(2).join(" ")).slice(12)).toEqual(["start s1", "end s1"]);
  }, 40_000);

  it("a cancel signalled from another process reaches the local step in flight with the workflow task's next extension", async () => {
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, "steps", { input: { seed: 2 }, config: { configurable: { step_node_ms: 20_000 } } });
    await expect.poll(() => nodeExecutions(stack, thread.thread_id).length, { timeout: 15_000 }).toBe(1);
    // Signalled as an API process without a worker would: this process's worker does not hear of it.
    await stack.api.client.workflow.getHandle(workflowIdForThread(thread.thread_id)).signal(cancelRunSignal, { runId: run.run_id, action: "interrupt" });
    await stack.sdk.runs.join(thread.thread_id, run.run_id);
    expect((await stack.sdk.runs.get(thread.thread_id, run.run_id)).status).toBe("interrupted");
    // The node was stopped: it never ended, and no other node started.
    expect(nodeExecutions(stack, thread.thread_id).map((line) => line.split(" ").slice(2).join(" "))).toEqual(["start s1"]);
  }, 40_000);

  it.each([
    ["runs.cancel", "interrupted"],
    ["an interrupt double-text", "interrupted"],
    ["a rollback double-text", "deleted"],
  ])("%s from the process whose worker runs the local step stops it before its workflow task's extension", async (how, outcome) => {
    // A heartbeat timeout of 30 s: the workflow task's first extension would come after 24 s.
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, "steps-slow-heartbeat", { input: { seed: 2 }, config: { configurable: { step_node_ms: 60_000 } } });
    await expect.poll(() => nodeExecutions(stack, thread.thread_id).length, { timeout: 15_000 }).toBe(1);
    const began = Date.now();
    if (how === "runs.cancel") await stack.sdk.runs.cancel(thread.thread_id, run.run_id, true);
    else {
      const next = await stack.sdk.runs.create(thread.thread_id, "steps-slow-heartbeat", {
        input: { seed: 3 }, config: { configurable: { step_node_ms: 0 } }, multitaskStrategy: how.includes("rollback") ? "rollback" : "interrupt",
      });
      await stack.sdk.runs.join(thread.thread_id, next.run_id);
    }
    const status = await stack.sdk.runs.get(thread.thread_id, run.run_id).then((r) => r.status, () => "deleted");
    expect({ status, withinExtension: Date.now() - began < 20_000 }).toEqual({ status: outcome, withinExtension: true });
    // The node was stopped: it never ended (an `end s1` is the next run's), and no other node of its run started.
    const log = nodeExecutions(stack, thread.thread_id).map((line) => line.split(" ").slice(2).join(" "));
    expect(log).toEqual(how === "runs.cancel" ? ["start s1"] : ["start s1", ...["s1", "s2", "s3", "s4", "s5", "s6"].flatMap((node) => [`start ${node}`, `end ${node}`])]);
  }, 60_000);

  it("the state of a busy thread is its latest commit, not what the workflow task will report", async () => {
    // Six steps of 0.3 s: Temporal hears of them when the workflow task completes, at the run's
    // end (before the first extension, at 2.4 s); a query would wait for that.
    const thread = await stack.sdk.threads.create();
    await stack.sdk.runs.create(thread.thread_id, "steps", { input: { seed: 3 }, config: { configurable: { step_node_ms: 300 } } });
    await expect.poll(() => nodeExecutions(stack, thread.thread_id).some((line) => line.endsWith("start s4")), { timeout: 15_000, interval: 20 }).toBe(true);
    const { values } = await stack.sdk.threads.getState(thread.thread_id);
    expect((values as { trail: string[] }).trail.slice(0, 3)).toEqual(["s1:3", "s2:6", "s3:9"]);
    expect((values as { trail: string[] }).trail.length).toBeLessThan(6);
  });

  it("names each queued run in the search attributes of its own execution", async () => {
    const thread = await stack.sdk.threads.create();
    const first = await stack.sdk.runs.create(thread.thread_id, "slow", { input: {} });
    const second = await stack.sdk.runs.create(thread.thread_id, "slow", { input: {}, multitaskStrategy: "enqueue" });
    await stack.sdk.runs.join(thread.thread_id, second.run_id);

    // The second run's execution began by continue-as-new, inheriting the first run's attributes.
    // Visibility catches up with the execution's close a little after the run's record does.
    const executions = async () => {
      const found = new Map<string, string | undefined>();
      for await (const w of stack.api.client.workflow.list({ query: `WorkflowId = "${workflowIdForThread(thread.thread_id)}"` })) {
        found.set(w.status.name, w.typedSearchAttributes.get(SEARCH_ATTRIBUTES.runId));
      }
      return found;
    };
    await expect.poll(executions, { timeout: 15_000, interval: 200 }).toEqual(new Map([["CONTINUED_AS_NEW", first.run_id], ["COMPLETED", second.run_id]]));
  });
});
