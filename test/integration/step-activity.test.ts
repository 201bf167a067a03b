// The step activity alone (style §5, first layer): run in @temporalio/testing's
// MockActivityEnvironment over real storage (SQLite) and a real graph, without a Temporal server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Context } from "@temporalio/activity";
import { CancelledFailure } from "@temporalio/common";
import { MockActivityEnvironment } from "@temporalio/testing";
import { DefaultLogger } from "@temporalio/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunRecordActivities } from "../../activities/run-records.ts";
import { startHeartbeat } from "../../activities/step-heartbeat.ts";
import { createStepActivities } from "../../activities/step.ts";
import { now, type Assistant, type Thread } from "../../src/api-types.ts";
import { newRunId, newThreadId } from "../../src/ids.ts";
import { buildRun } from "../../src/runs/run-request.ts";
import { readSettings } from "../../src/settings.ts";
import { openCore, type Core } from "../../startup/runtime.ts";
import type { RunStart, StepSummary } from "../../workflows/shared.ts";
import type { StepInput } from "../../activities/step.ts";
import { FIXTURES } from "../helpers/stack.ts";

/** An activity context of the given attempt; its log stays quiet below warnings. */
const mockEnvironment = (info: { attempt?: number; isLocal?: boolean } = {}) => new MockActivityEnvironment(info, { logger: new DefaultLogger("WARN") });

let core: Core;
let activities: ReturnType<typeof createRunRecordActivities> & ReturnType<typeof createStepActivities>;
let nodeLog: string;
beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-activity-"));
  nodeLog = path.join(dataDir, "nodes.log");
  // The `steps` fixture graph logs each node's start and end here.
  process.env.NODE_EXECUTION_LOG = nodeLog;
  const settings = readSettings({ LANGGRAPH_CONFIG_PATH: path.join(FIXTURES, "langgraph.json"), LANGGRAPH_TEMPORAL_DATA_DIR: dataDir });
  core = await openCore(settings);
  activities = { ...createRunRecordActivities(core), ...createStepActivities({ ...core, limitsFor: () => ({ ...settings.steps, maxRunSeconds: settings.maxRunSeconds }) }) };
});
afterAll(async () => {
  delete process.env.NODE_EXECUTION_LOG;
  await core?.close();
});

/** A run of the six-step `steps` graph whose nodes each take `nodeMs`, started by startRun unless `started` is false. */
async function pendingRun(nodeMs: number, started = true) {
  const timestamp = now();
  const thread: Thread = {
    thread_id: newThreadId(), created_at: timestamp, updated_at: timestamp, state_updated_at: timestamp,
    metadata: {}, status: "busy", config: {}, values: null, interrupts: {},
  };
  await core.storage.threads.create(thread);
  const assistant: Assistant = {
    assistant_id: "steps", graph_id: "steps", name: "steps", description: null, config: {}, context: {}, metadata: {}, version: 1, created_at: timestamp, updated_at: timestamp,
  };
  const body = { assistant_id: "steps", input: { seed: 2 }, config: { configurable: { step_node_ms: nodeMs } } };
  const run = buildRun({ runId: newRunId(), body, assistant, thread, headers: {}, createdAt: timestamp });
  await core.storage.runs.insert(run);
  const start = started ? ((await mockEnvironment().run(activities.startRun, { runId: run.run_id })) as RunStart) : undefined;
  return { run, start: start ?? { checkpointId: null, next: [] } };
}

const step = (env: MockActivityEnvironment, input: StepInput) => env.run(activities.runStep, input) as Promise<StepSummary>;

/** Step `n` of a revision-4 run: the first records the run's start, the one that stops it its success. */
const recordingStep = (runId: string, n: number, from: string | null): StepInput =>
  ({ runId, step: n, fromCheckpointId: from, endsRun: true, ...(n === 1 ? { startsRun: true } : {}) });

const starts = (threadId: string, node: string) =>
  fs.readFileSync(nodeLog, "utf8").split("\n").filter((line) => line.startsWith(`${threadId} `) && line.endsWith(`start ${node}`)).length;

describe("runStep in a mock activity environment", () => {
  it("runs one super-step, heartbeating while its node works", async () => {
    const { run, start } = await pendingRun(700);
    const env = mockEnvironment();
    let heartbeats = 0;
    env.on("heartbeat", () => heartbeats++);
    const summary = await step(env, { runId: run.run_id, step: 1, fromCheckpointId: start.checkpointId });
    expect(summary).toMatchObject({ nodes: ["s1"], next: ["s2"], stop: false });
    expect(summary.checkpointId).not.toBe(start.checkpointId);
    // One heartbeat every 200 ms of a 700 ms node.
    expect(heartbeats).toBeGreaterThanOrEqual(2);
    expect((await core.storage.runs.get(run.run_id))?.status).toBe("running");
  });

  it("a retried attempt finds the checkpoint its earlier attempt committed, and does not run the node again", async () => {
    const { run, start } = await pendingRun(50);
    const input = { runId: run.run_id, step: 1, fromCheckpointId: start.checkpointId };
    // 1. the first attempt commits its step, but (as if its worker died) Temporal never hears of it
    const first = await step(mockEnvironment({ attempt: 1 }), input);
    // 2. the retry is given the same starting checkpoint
    const retry = await step(mockEnvironment({ attempt: 2 }), input);
    expect(retry).toEqual({ ...first, nodes: [] });
    expect(starts(run.thread_id, "s1")).toBe(1);
    // 3. the next step continues from the committed checkpoint
    const second = await step(mockEnvironment(), { ...input, step: 2, fromCheckpointId: retry.checkpointId });
    expect(second).toMatchObject({ nodes: ["s2"], next: ["s3"] });
  });

  it("the first step records the run's start and the last its success when asked to (revision 4), once even when retried", async () => {
    const { run } = await pendingRun(10, false);
    expect((await core.storage.runs.get(run.run_id))?.status).toBe("pending");
    // A join in this process wakes on the run's end; the thread it then reads is idle already.
    const threadWhenWoken = new Promise((resolve) => core.storage.runs.watchEnd(run.run_id, () => resolve(core.storage.threads.get(run.thread_id))));
    let from: string | null = null;
    let summary: StepSummary | undefined;
    for (let n = 1; !summary?.stop; n++) {
      summary = await step(mockEnvironment(), recordingStep(run.run_id, n, from));
      // Until the last step the run stays running, and no step says it ended the run.
      if (!summary.stop) expect([summary.ended, (await core.storage.runs.get(run.run_id))?.status]).toEqual([undefined, "running"]);
      from = summary.checkpointId;
    }
    expect(summary.ended).toBe(true);
    const ended = await core.storage.runs.get(run.run_id);
    expect(ended?.status).toBe("success");
    expect((await core.storage.threads.get(run.thread_id))?.status).toBe("idle");
    expect(await threadWhenWoken).toMatchObject({ status: "idle" });
    const events = async () => (await core.storage.runEvents.after(run.run_id, 0, 10_000)).map((e) => e.event);
    const before = await events();
    // A retry of the last step (its worker died before Temporal heard of it) finds the run ended.
    const retry = await step(mockEnvironment({ attempt: 2 }), { runId: run.run_id, step: 6, fromCheckpointId: "an earlier checkpoint", endsRun: true });
    expect(retry).toMatchObject({ stop: true, ended: true });
    expect(await core.storage.runs.get(run.run_id)).toEqual(ended);
    expect(await events()).toEqual(before);
  });

  it("of two writers ending one run at once (a step attempt left running, the workflow), one wins: status, body and final event agree", async () => {
    const { run } = await pendingRun(10);
    const outcomes = [
      { status: "error", error: "StepFailed", message: "the first writer's" },
      { status: "timeout", error: "TimeoutError", message: "the second writer's" },
    ] as const;
    await Promise.all(outcomes.map((outcome) => mockEnvironment().run(activities.finishRun, { runId: run.run_id, outcome })));
    const ended = await core.storage.runs.get(run.run_id);
    const winner = outcomes.find((o) => o.status === ended?.status)!;
    expect(ended?.result).toMatchObject({ __error__: { message: winner.message } });
    const finals = (await core.storage.runEvents.after(run.run_id, -1, 100)).filter((e) => e.event === "error");
    expect(finals.map((e) => JSON.parse(e.data).message)).toEqual([winner.message]);
  });

  it("a retry of the last step refreshes the thread when the database went down between the run's end and the thread's", async () => {
    const { run } = await pendingRun(10, false);
    let from: string | null = null;
    for (let n = 1; n <= 5; n++) from = (await step(mockEnvironment(), recordingStep(run.run_id, n, from))).checkpointId;
    // The sixth and last step writes the run's end; the thread's refresh after it fails, as the
    // cluster suite's PostgreSQL restart made it.
    const { threads } = core.storage;
    const updateStatus = threads.updateStatus;
    threads.updateStatus = () => Promise.reject(new Error("Connection terminated unexpectedly"));
    try {
      await expect(step(mockEnvironment(), recordingStep(run.run_id, 6, from))).rejects.toThrow("Connection terminated");
    } finally {
      threads.updateStatus = updateStatus;
    }
    expect((await core.storage.runs.get(run.run_id))?.status).toBe("success");
    const retry = await step(mockEnvironment({ attempt: 2 }), recordingStep(run.run_id, 6, from));
    expect(retry).toMatchObject({ stop: true, ended: true });
    expect((await core.storage.threads.get(run.thread_id))?.status).toBe("idle");
  });

  it("an attempt started while another still runs the step waits for it, then finds its work committed (one node run)", async () => {
    const { run, start } = await pendingRun(800);
    const input = { runId: run.run_id, step: 1, fromCheckpointId: start.checkpointId };
    // The first attempt's worker was taken for dead (its workflow task timed out) while its step
    // ran on; the replay on another worker starts the same step, as a local step's attempt 1.
    const first = step(mockEnvironment({ attempt: 1 }), input);
    await sleep(200);
    const began = Date.now();
    const second = await step(mockEnvironment({ attempt: 1, isLocal: true }), input);
    expect(Date.now() - began).toBeGreaterThan(400);
    expect(second).toEqual({ ...(await first), nodes: [], lastSeq: -1 });
    expect(starts(run.thread_id, "s1")).toBe(1);
    // The lease was given back: the next step starts at once.
    const next = await step(mockEnvironment({ isLocal: true }), { ...input, step: 2, fromCheckpointId: second.checkpointId });
    expect(next).toMatchObject({ nodes: ["s2"] });
  });

  it("a cancel stops the node through its abort signal and fails the attempt as cancelled", async () => {
    const { run, start } = await pendingRun(60_000);
    const env = mockEnvironment();
    // The step heartbeats from its start: cancel once the node runs.
    env.on("heartbeat", () => starts(run.thread_id, "s1") === 1 && env.cancel());
    const began = Date.now();
    const attempt = step(env, { runId: run.run_id, step: 1, fromCheckpointId: start.checkpointId });
    await expect(attempt).rejects.toBeInstanceOf(CancelledFailure);
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(starts(run.thread_id, "s1")).toBe(1);
    expect(fs.readFileSync(nodeLog, "utf8")).not.toMatch(new RegExp(`${run.thread_id} .* end s1`));
  });
  it("a retry of a first step stopped mid-node runs the node as that step (the input applied once, not reported as a step)", async () => {
    const { run } = await pendingRun(1000, false);
    const env = mockEnvironment();
    env.on("heartbeat", () => starts(run.thread_id, "s1") === 1 && env.cancel());
    await expect(step(env, recordingStep(run.run_id, 1, null))).rejects.toBeInstanceOf(CancelledFailure);
    const retry = await step(mockEnvironment({ attempt: 2 }), recordingStep(run.run_id, 1, null));
    expect(retry).toMatchObject({ nodes: ["s1"], next: ["s2"], stop: false });
    expect(starts(run.thread_id, "s1")).toBe(2);
    // The stream: a first step's values (the input's, then s1's), the retry marked by its metadata
    // event and not sending the input's values twice.
    const clean = await pendingRun(10, false);
    await step(mockEnvironment(), recordingStep(clean.run.run_id, 1, null));
    const names = async (runId: string) => (await core.storage.runEvents.after(runId, -1, 100)).map((e) => e.event);
    expect(await names(clean.run.run_id)).toEqual(["metadata", "values", "values"]);
    expect(await names(run.run_id)).toEqual(["metadata", "values", "metadata", "values"]);
  });

  it("stops its node at the run's deadline (revision 5) and says the run timed out, leaving the run's end to the workflow", async () => {
    const { run, start } = await pendingRun(60_000);
    const began = Date.now();
    const summary = await step(mockEnvironment(), { runId: run.run_id, step: 1, fromCheckpointId: start.checkpointId, endsRun: true, deadline: began + 1_000 });
    expect(summary).toEqual({ checkpointId: start.checkpointId, nodes: [], next: [], stop: true, timedOut: true });
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(starts(run.thread_id, "s1")).toBe(1);
    expect(fs.readFileSync(nodeLog, "utf8")).not.toMatch(new RegExp(`${run.thread_id} .* end s1`));
    expect((await core.storage.runs.get(run.run_id))?.status).toBe("running");
    // A step that begins past the deadline (its worker was down until then) runs nothing.
    const late = await pendingRun(10);
    const lateSummary = await step(mockEnvironment(), { runId: late.run.run_id, step: 1, fromCheckpointId: late.start.checkpointId, endsRun: true, deadline: Date.now() - 1 });
    expect(lateSummary).toMatchObject({ stop: true, timedOut: true });
    expect(starts(late.run.thread_id, "s1")).toBe(0);
  });
});

describe("runStep batching super-steps (durability exit)", () => {
  const eventNames = async (runId: string) => (await core.storage.runEvents.after(runId, -1, 10_000)).map((e) => e.event);
  /** The run's first step, on its own as the workflow runs it; returns its checkpoint. */
  const firstStep = async (runId: string) => (await step(mockEnvironment(), recordingStep(runId, 1, null))).checkpointId;

  it("runs the rest of a quick run in one activity, with the events and end of one step per activity", async () => {
    const one = await pendingRun(10, false);
    let from: string | null = null;
    for (let n = 1, summary: StepSummary | undefined; !summary?.stop; n++) {
      summary = await step(mockEnvironment(), recordingStep(one.run.run_id, n, from));
      from = summary.checkpointId;
    }
    const batched = await pendingRun(10, false);
    const summary = await step(mockEnvironment(), { ...recordingStep(batched.run.run_id, 2, await firstStep(batched.run.run_id)), batch: true });
    expect(summary).toMatchObject({ stop: true, ended: true, steps: 5, nodes: ["s6"], next: [] });
    expect((await core.storage.runs.get(batched.run.run_id))?.status).toBe("success");
    expect((await core.storage.threads.get(batched.run.thread_id))?.values).toEqual((await core.storage.threads.get(one.run.thread_id))?.values);
    expect(await eventNames(batched.run.run_id)).toEqual(await eventNames(one.run.run_id));
    for (const node of ["s1", "s2", "s3", "s4", "s5", "s6"]) expect(starts(batched.run.thread_id, node)).toBe(1);
  });

  it("starts no super-step after a second; a retry goes on from the last one committed, running none twice", async () => {
    const { run } = await pendingRun(600, false);
    const from = await firstStep(run.run_id);
    const first = await step(mockEnvironment(), { ...recordingStep(run.run_id, 2, from), batch: true });
    // 0.6 s in, a second super-step starts; 1.2 s in, none.
    expect(first).toMatchObject({ stop: false, steps: 2, nodes: ["s3"], next: ["s4"] });
    // The workflow did not hear of that activity (its worker died): the retry is given where it began.
    const retry = await step(mockEnvironment({ attempt: 2 }), { ...recordingStep(run.run_id, 2, from), batch: true });
    // s2's and s3's commits found (two steps), then s4 and s5 run.
    expect(retry).toMatchObject({ stop: false, steps: 4, nodes: ["s5"], next: ["s6"] });
    expect(["s1", "s2", "s3", "s4", "s5", "s6"].map((node) => starts(run.thread_id, node))).toEqual([1, 1, 1, 1, 1, 0]);
  });
});

describe("step heartbeats", () => {
  it("warn when the event loop was blocked for over half the heartbeat timeout", async () => {
    const warnings: string[] = [];
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 2000 }, { logger: new DefaultLogger("WARN", (entry) => warnings.push(entry.message)) });
    let heartbeats = 0;
    env.on("heartbeat", () => heartbeats++);
    await env.run(async () => {
      const stop = startHeartbeat(Context.current());
      try {
        // 1. an asynchronous wait: heartbeats, no warning
        await sleep(500);
        expect(warnings).toEqual([]);
        // 2. a synchronous node holds the loop for 1.5 s
        const until = Date.now() + 1500;
        while (Date.now() < until);
        await sleep(300);
      } finally {
        stop();
      }
    });
    expect(heartbeats).toBeGreaterThanOrEqual(3);
    expect(warnings).toEqual([expect.stringMatching(/^event loop blocked for over half the step heartbeat timeout/)]);
  });
});
