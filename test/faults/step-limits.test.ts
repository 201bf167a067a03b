// Step timeouts, retries and the run deadline: server-wide from the environment, overridden
// per graph in langgraph.json (test/fixtures/langgraph.json). A step that keeps failing ends
// its run `error` with the last attempt's message; a run past its deadline ends `timeout`;
// the attempts are in the workflow's Temporal history for an operator to see (as activity
// attempts for durability sync; local steps, the default, end the same way).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { temporal } from "@temporalio/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLangGraphJson } from "../../src/graphs/langgraph-json.ts";
import { workflowIdForThread } from "../../workflows/shared.ts";
import { startStack, type Stack } from "../helpers/stack.ts";
import { CONFIG_PATH } from "./harness.ts";

let stack: Stack;
beforeAll(async () => {
  // The in-process worker's graphs read their node duration from this process's environment.
  process.env.STEP_NODE_MS = "1500";
  // Server-wide: 4 attempts per step, a 6 s run deadline; some fixture graphs override these.
  stack = await startStack({ env: { STEP_MAX_ATTEMPTS: "4", MAX_RUN_SECONDS: "6" } });
});
afterAll(async () => stack?.stop());

async function runToEnd(graphId: string, input: Record<string, unknown> = {}, durability: "sync" | "async" = "async") {
  const thread = await stack.sdk.threads.create();
  const run = await stack.sdk.runs.create(thread.thread_id, graphId, { input, durability });
  const joined = await stack.sdk.runs.join(thread.thread_id, run.run_id);
  const { status } = await stack.sdk.runs.get(thread.thread_id, run.run_id);
  return { threadId: thread.thread_id, joined, status };
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The history events of the thread's workflow that concern step activities (`runStep`). */
async function stepEvents(threadId: string): Promise<HistoryEvent[]> {
  const events = (await stack.api.client.workflow.getHandle(workflowIdForThread(threadId)).fetchHistory()).events ?? [];
  const steps = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === "runStep").map((e) => String(e.eventId)));
  return events.filter((e) => {
    const attributes = e.activityTaskStartedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
    return attributes && steps.has(String(attributes.scheduledEventId));
  });
}

describe("retries", () => {
  it.each(["async", "sync"] as const)("ends a step that keeps failing in `error` with the last message, after the graph's 2 attempts (env says 4; durability %s)", async (durability) => {
    const { threadId, joined, status } = await runToEnd("always-failing", {}, durability);
    expect(status).toBe("error");
    expect(joined).toEqual({ __error__: { error: "StepFailure", message: "failed on attempt 2" } });
    expect((await stack.sdk.threads.get(threadId)).status).toBe("error");
    if (durability === "async") return;

    // Temporal records the final attempt: started as attempt 2 after attempt 1 failed, then failed.
    const events = await stepEvents(threadId);
    const started = events.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!);
    const stepStart = started.at(-1)!;
    expect(stepStart.attempt).toBe(2);
    expect(stepStart.lastFailure?.message).toBe("failed on attempt 1");
    const failed = events.filter((e) => e.activityTaskFailedEventAttributes).map((e) => e.activityTaskFailedEventAttributes!.failure);
    expect(failed.map((f) => f?.message)).toEqual(["failed on attempt 2"]);
    expect(failed[0]?.applicationFailureInfo?.type).toBe("StepFailure");
  });

  it.each(["async", "sync"] as const)("lets a flaky step succeed on a later attempt, within the server-wide 4 attempts (durability %s)", async (durability) => {
    const { threadId, joined, status } = await runToEnd("flaky", {}, durability);
    expect(status).toBe("success");
    expect(joined).toEqual({ attempts: 3 });
    if (durability === "async") return;
    const started = (await stepEvents(threadId)).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!);
    expect(started.map((s) => s.attempt)).toContain(3);
    expect(started.find((s) => s.attempt === 3)?.lastFailure?.message).toBe("failed on attempt 2");
  });

  it.each(["async", "sync"] as const)("times a hanging step out after the graph's step_timeout_seconds, and ends the run `error` (durability %s)", async (durability) => {
    const started = Date.now();
    const { threadId, joined, status } = await runToEnd("step-timeout", {}, durability);
    expect(status).toBe("error");
    expect(joined).toMatchObject({ __error__: { error: "StepTimeout", message: expect.stringMatching(/^step timed out/) } });
    // Two attempts of 2 s each, well before the 60 s the node would sleep.
    expect(Date.now() - started).toBeLessThan(20_000);
    if (durability === "async") return;
    const timedOut = (await stepEvents(threadId)).filter((e) => e.activityTaskTimedOutEventAttributes);
    expect(timedOut).toHaveLength(1);
  });
});

describe("run deadline", () => {
  it("ends a run past MAX_RUN_SECONDS in `timeout`", async () => {
    const { threadId, joined, status } = await runToEnd("steps", { seed: 1 });
    expect(status).toBe("timeout");
    expect(joined).toEqual({ __error__: { error: "TimeoutError", message: "Run exceeded 6 s" } });
    // The steps completed before the deadline stay in the thread.
    const state = await stack.sdk.threads.getState(threadId);
    expect((state.values as { trail: string[] }).trail.length).toBeGreaterThan(0);
    expect((state.values as { trail: string[] }).trail.length).toBeLessThan(6);
  });

  it("uses the graph's own max_run_seconds where langgraph.json sets one", async () => {
    const { joined, status } = await runToEnd("slow-deadline");
    expect(status).toBe("timeout");
    expect(joined).toEqual({ __error__: { error: "TimeoutError", message: "Run exceeded 2 s" } });
  });
});

describe("langgraph.json step limits", () => {
  it("reads the overrides of the object form (and local_steps), by graph id", () => {
    expect(readLangGraphJson(CONFIG_PATH).stepLimits).toEqual({
      "always-failing": { maxAttempts: 2 },
      "step-timeout": { timeoutSeconds: 2, maxAttempts: 2, maxRunSeconds: 60 },
      "slow-deadline": { maxRunSeconds: 2 },
      "steps-tasks": { local: false },
      "steps-slow-heartbeat": { heartbeatTimeoutSeconds: 30 },
    });
  });

  it("refuses a limit that is not a positive integer, naming the graph and the key", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-limits-"));
    const file = path.join(dir, "langgraph.json");
    fs.writeFileSync(file, JSON.stringify({ graphs: { agent: { path: "./a.ts:graph", step_max_attempts: 0 } } }));
    expect(() => readLangGraphJson(file)).toThrow('graph "agent": "step_max_attempts" must be an integer >= 1 (got 0)');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
