// The run lifecycle (src/runs/run-lifecycle.ts, spec §5.1-§5.5) as a table: every status × every
// transition, the record each writes, and the final event of failed runs.
import { describe, expect, it } from "vitest";
import { isTerminal, RUN_STATUSES, type RunStatus, type StoredRun, type Thread } from "../../src/api-types.ts";
import {
  ALLOWED_TRANSITIONS,
  allows,
  cancelReason,
  joinBody,
  ORPHANED_FAILURE,
  queuedRun,
  runsLocalSteps,
  type RunTransition,
  stampThread,
  threadOnSubmit,
  transition,
} from "../../src/runs/run-lifecycle.ts";
import type { StepLimits } from "../../workflows/shared.ts";

const T = "2026-01-01T00:00:10.000Z";
const run = (status: RunStatus, extra: Partial<StoredRun> = {}): StoredRun => ({
  run_id: "r1", thread_id: "t1", assistant_id: "a1", created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-01T00:00:00.000Z",
  status, metadata: {}, multitask_strategy: "reject", cancel_reason: null, result: null, started_at: null, ended_at: null, attempt: 0,
  kwargs: {
    input: null, command: null, config: { configurable: { graph_id: "agent" }, metadata: {} }, context: {}, stream_mode: ["values"],
    interrupt_before: null, interrupt_after: null, webhook: null, feedback_keys: null, temporary: false, subgraphs: false, resumable: false, durability: "async",
  },
  ...extra,
});
const done = { values: { n: 1 }, next: [], interrupts: [] };
const paused = { values: { n: 1 }, next: ["tools"], interrupts: [{ value: "ok?", id: "i1" }] };

const ended = (status: RunStatus, result: unknown) => ({ write: "update", patch: { status, result, ended_at: T, updated_at: T }, finalEvent: null });
const failed = (status: RunStatus, error: string, message: string) => ({
  write: "update",
  patch: { status, result: { __error__: { error, message } }, ended_at: T, updated_at: T },
  finalEvent: { event: "error", data: JSON.stringify({ error, message }) },
});
const NONE = { write: "none" };
const DELETE = { write: "delete" };

describe("transition (spec §5.1)", () => {
  // [case, status before, transition, effect]
  const table: Array<[string, RunStatus | undefined, RunTransition, unknown]> = [
    ["start", "pending", { kind: "start", attempt: 1 }, { write: "update", patch: { status: "running", started_at: T, updated_at: T, attempt: 1 }, finalEvent: null }],
    ["start retried after its write landed", "running", { kind: "start", attempt: 2 }, NONE],
    ["start of a deleted run", undefined, { kind: "start", attempt: 1 }, NONE],
    ["graph finished", "running", { kind: "end", outcome: { status: "success" }, state: done }, ended("success", { n: 1 })],
    ["graph paused at interrupt()", "running", { kind: "end", outcome: { status: "success" }, state: paused }, ended("success", { __interrupt__: paused.interrupts })],
    ["graph paused at a breakpoint", "running", { kind: "end", outcome: { status: "success" }, state: { ...paused, interrupts: [] } }, ended("success", { __interrupt__: [] })],
    ["graph error", "running", { kind: "end", outcome: { status: "error", error: "ValueError", message: "boom" }, state: done }, failed("error", "ValueError", "boom")],
    ["steps exhausted by a crashing worker", "running", { kind: "end", outcome: { status: "error", error: "StepTimeout", message: "step timed out" }, state: done }, failed("error", "StepTimeout", "step timed out")],
    ["run timeout", "running", { kind: "end", outcome: { status: "timeout", error: "TimeoutError", message: "Run exceeded 1 s" }, state: done }, failed("timeout", "TimeoutError", "Run exceeded 1 s")],
    ["timeout while waiting for after_seconds", "pending", { kind: "end", outcome: { status: "timeout", error: "TimeoutError", message: "m" }, state: done }, failed("timeout", "TimeoutError", "m")],
    ["cancel (interrupt) of the running run", "running", { kind: "end", outcome: { status: "interrupted" }, state: paused }, ended("interrupted", paused.values)],
    ["cancel (interrupt) before its first step", "pending", { kind: "end", outcome: { status: "interrupted" }, state: done }, ended("interrupted", done.values)],
    ["cancel (rollback) of the running run", "running", { kind: "end", outcome: { status: "rolled_back" }, state: done }, DELETE],
    ["cancel (rollback) of a pending run", "pending", { kind: "end", outcome: { status: "rolled_back" }, state: done }, DELETE],
    ["end retried after its write landed", "success", { kind: "end", outcome: { status: "success" }, state: done }, NONE],
    ["end of a run deleted meanwhile", undefined, { kind: "end", outcome: { status: "error", error: "E", message: "m" }, state: done }, NONE],
    ["queued run cancelled (interrupt)", "pending", { kind: "cancel_queued", action: "interrupt", values: { n: 0 } }, ended("interrupted", { n: 0 })],
    ["queued run cancelled (rollback)", "pending", { kind: "cancel_queued", action: "rollback", values: null }, DELETE],
    ["queued cancel retried after its write landed", "interrupted", { kind: "cancel_queued", action: "interrupt", values: null }, NONE],
    ["queued run deleted meanwhile", undefined, { kind: "cancel_queued", action: "interrupt", values: null }, NONE],
    ["running run whose workflow was terminated", "running", { kind: "orphaned" }, failed("error", ORPHANED_FAILURE.error, ORPHANED_FAILURE.message)],
    ["pending run without a workflow (resubmitted instead)", "pending", { kind: "orphaned" }, NONE],
    ["orphan that ended meanwhile", "error", { kind: "orphaned" }, NONE],
  ];

  it.each(table)("%s", (_case, status, change, effect) => {
    expect(transition(status && run(status), change, T)).toEqual(effect);
  });

  it("writes only statuses the table allows", () => {
    for (const [, status, change, effect] of table) {
      const patch = (effect as { patch?: { status: RunStatus } }).patch;
      if (status && patch) expect(ALLOWED_TRANSITIONS[status]).toContain(patch.status);
    }
  });

  it("terminal statuses are exactly those that move nowhere, and take no transition", () => {
    for (const status of RUN_STATUSES) {
      expect(isTerminal(status)).toBe(ALLOWED_TRANSITIONS[status].length === 0);
      for (const kind of ["start", "end", "cancel_queued", "orphaned"] as const) {
        if (isTerminal(status)) expect(allows(run(status), kind)).toBe(false);
      }
    }
  });
});

describe("joinBody (spec §5.5)", () => {
  it("is the failure, the pending interrupts, or the values", () => {
    expect(joinBody({ status: "error", error: "E", message: "m" }, done)).toEqual({ __error__: { error: "E", message: "m" } });
    expect(joinBody({ status: "success" }, paused)).toEqual({ __interrupt__: paused.interrupts });
    expect(joinBody({ status: "interrupted" }, paused)).toEqual(paused.values);
  });
});

describe("queuedRun", () => {
  const limits: StepLimits = { heartbeatTimeoutSeconds: 10, timeoutSeconds: 600, maxAttempts: 3, retryInitialIntervalMs: 1000, maxRunSeconds: 3600 };
  it.each([
    ["created in the future (after_seconds)", Date.parse("2025-12-31T23:59:59.000Z"), "2026-01-01T00:00:00.000Z"],
    ["created now or earlier", Date.parse("2026-01-01T00:00:00.000Z"), null],
  ])("%s", (_case, nowMs, notBefore) => {
    expect(queuedRun(run("pending", { kwargs: { ...run("pending").kwargs, webhook: "http://x", temporary: true } }), limits, nowMs)).toEqual({
      runId: "r1", assistantId: "a1", graphId: "agent", notBefore, temporary: true, webhook: true, limits: { ...limits, local: true }, firstStep: "input",
    });
  });
});

describe("local steps", () => {
  const withDurability = (durability: "sync" | "async" | "exit") => run("pending", { kwargs: { ...run("pending").kwargs, durability } });
  it.each([
    ["async", undefined, true],
    ["exit", undefined, true],
    ["sync", undefined, false],
    ["sync", true, true],
    ["async", false, false],
  ] as const)("a run with durability %s, its graph's local_steps %s: local %s", (durability, graphLocalSteps, local) => {
    expect(runsLocalSteps(withDurability(durability), graphLocalSteps)).toBe(local);
  });

  it("are in the workflow's input only when taken: limits without the graph's local_steps", () => {
    const limits: StepLimits = { heartbeatTimeoutSeconds: 10, timeoutSeconds: 600, maxAttempts: 3, retryInitialIntervalMs: 1000, maxRunSeconds: 3600 };
    expect(queuedRun(withDurability("async"), { ...limits, local: false }, 0).limits).toEqual(limits);
    expect(queuedRun(withDurability("sync"), limits, 0).limits).toEqual(limits);
    expect(queuedRun(withDurability("sync"), { ...limits, local: true }, 0).limits).toEqual({ ...limits, local: true });
  });
});

describe("the thread of a new run (spec §5.2)", () => {
  it("is stamped with the graph and assistant, takes the run's config and is busy", () => {
    const thread: Thread = { thread_id: "t1", created_at: T, updated_at: T, state_updated_at: T, metadata: { owner: "me" }, status: "idle", config: { a: 1 }, values: null, interrupts: {} };
    const stamped = stampThread(thread, { graph_id: "agent", assistant_id: "a1" });
    expect(stamped.metadata).toEqual({ owner: "me", graph_id: "agent", assistant_id: "a1" });
    expect(threadOnSubmit(thread, stamped, run("pending"))).toEqual({
      metadata: stamped.metadata, config: { a: 1, configurable: { graph_id: "agent" }, metadata: undefined }, status: "busy", updated_at: "2026-01-01T00:00:00.000Z",
    });
  });

  it("keeps the metadata and config of a thread that is busy already (a run queued behind another)", () => {
    const thread: Thread = { thread_id: "t1", created_at: T, updated_at: T, state_updated_at: T, metadata: { owner: "me" }, status: "busy", config: { a: 1 }, values: null, interrupts: {} };
    expect(threadOnSubmit(thread, stampThread(thread, { graph_id: "agent", assistant_id: "a1" }), run("pending"))).toEqual({ status: "busy" });
  });
});

it("cancel_reason `taken` is stamped with its time (spec §5.4)", () => {
  expect(cancelReason("taken", T)).toBe(`taken:${T}`);
  expect(cancelReason("user asked", T)).toBe("user asked");
});
