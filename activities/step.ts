// The step activity: runs exactly one LangGraph super-step of a run and commits its checkpoint.
import { ApplicationFailure, CancelledFailure, Context } from "@temporalio/activity";
import type { CompiledGraph } from "../src/graphs/registry.ts";
import { readThreadState } from "../src/graphs/state-reader.ts";
import { stopsAtBreakpoint } from "../src/runs/breakpoints.ts";
import { RunRecorder, type RunRecorderDeps } from "../src/runs/run-recorder.ts";
import { graphIdOf, graphInput, runnableConfig } from "../src/runs/run-config.ts";
import { LANGGRAPH_VERSION } from "../src/versions.ts";
import type { StoredRun, ThreadState } from "../src/api-types.ts";
import { STEP_BATCH_MS, type StepLimits, type StepSummary } from "../workflows/shared.ts";
import { StepEvents } from "../src/streaming/step-events.ts";
import { DEFAULT_RECURSION_LIMIT, enforceRecursionLimit } from "../src/runs/recursion-limit.ts";
import { watchDeadline, type StepDeadline } from "./step-deadline.ts";
import { linkedAbort } from "../src/linked-abort.ts";
import type { CancelRequests } from "../src/runs/cancel-requests.ts";
import { startHeartbeat } from "./step-heartbeat.ts";
import { stepLease, type StepLease } from "./step-lease.ts";
import { recordLeaseWait, recordRunOutcome, recordStep } from "./worker-metrics.ts";

export interface StepInput {
  runId: string;
  /** 1-based; the first step applies the run's input or command. */
  step: number;
  /** The checkpoint the step starts from, as the workflow last heard of it. */
  fromCheckpointId: string | null;
  /**
   * Revision 4: the first step records the run's start (pending → running), and a step that
   * stops the run records its success, so the workflow has no run-record activities on a run's
   * happy path (each cost about as much as the floor's whole workflow task). The first step is
   * given no checkpoint: one of this run's on the thread can only be its own earlier attempt's.
   */
  startsRun?: boolean;
  endsRun?: boolean;
  /** Revision 5: the run's deadline (epoch ms, max_run_seconds), where the step stops its graph. */
  deadline?: number;
  /** Run further super-steps for up to STEP_BATCH_MS (QueuedRun.batchSteps); never the run's first step. */
  batch?: boolean;
  /** Local steps: the last event in the run's log when the step before ended (StepSummary.lastSeq). */
  eventsAfter?: number;
}

export interface StepDeps extends RunRecorderDeps {
  cancelRequests: CancelRequests;
  /** The step limits of the graph's runs (its heartbeat timeout sets the step lease's). */
  limitsFor(graphId: string): StepLimits;
}

/** What the super-steps of one activity share. */
interface StepCall {
  deps: StepDeps;
  recorder: RunRecorder;
  context: Context;
  run: StoredRun;
  /** The step's attempt (see attemptOf). */
  attempt: number;
  /** The seq of the run's last event when the activity began (-1: none yet). */
  logEnd: number;
  deadline: StepDeadline;
  /** The thread's lease, taken by the first super-step that runs the graph. */
  lease: StepLease;
  /** A cancel of the run was signalled from this process (local steps only; see CancelRequests). */
  signalled: AbortSignal;
}

export function createStepActivities(deps: StepDeps) {
  const recorder = new RunRecorder(deps);
  return {
    async runStep(input: StepInput): Promise<StepSummary> {
      const context = Context.current();
      // From the first await to the last: loading a graph from a factory or writing a large
      // state's events may take longer than the heartbeat timeout too.
      // (A local activity has no heartbeats: its workflow task's timeout stands for them.)
      const stopHeartbeat = context.info.isLocal ? () => {} : startHeartbeat(context);
      const signalled = new AbortController();
      let unwatch = () => {};
      let unlink = () => {};
      let deadline: StepDeadline | undefined;
      let lease: StepLease | undefined;
      try {
        const run = await deps.storage.runs.get(input.runId);
        if (!run) throw ApplicationFailure.nonRetryable(`run ${input.runId} no longer exists`, "RunNotFound");
        const heartbeatTimeoutMs = deps.limitsFor(graphIdOf(run)).heartbeatTimeoutSeconds * 1000;
        lease = stepLease(deps.storage.stepLeases, run.thread_id, heartbeatTimeoutMs, () => {
          context.log.info("waiting for another attempt of the step to end", { runId: run.run_id });
          recordLeaseWait(graphIdOf(run));
        });
        // A local step hears of its cancel only at its workflow task's next extension (seconds);
        // a cancel signalled from this process stops its graph at once.
        if (context.info.isLocal) unwatch = deps.cancelRequests.watch(run.thread_id, run.run_id, () => signalled.abort(new Error("run cancelled")));
        const stopping = linkedAbort([context.cancellationSignal, signalled.signal, lease.lost]);
        unlink = stopping.release;
        deadline = watchDeadline(input.deadline, stopping.controller.signal);
        const logEnd = await deps.storage.runEvents.lastSeq(run.run_id);
        const call: StepCall = { deps, recorder, context, run, attempt: attemptOf(context, input, logEnd), logEnd, deadline, lease, signalled: signalled.signal };
        let summary = input.batch ? await superSteps(call, input) : await superStep(call, input, true);
        if (context.info.isLocal && !summary.stop) summary = { ...summary, lastSeq: summary.lastSeq ?? (await deps.storage.runEvents.lastSeq(run.run_id)) };
        // The workflow waits for the signal before it goes on (it is on its way to the workflow).
        return signalled.signal.aborted && !summary.stop ? { ...summary, cancelSignalled: true } : summary;
      } finally {
        unwatch();
        unlink();
        deadline?.clear();
        stopHeartbeat();
        await lease?.release();
      }
    },
  };
}

/**
 * The step's attempt: Temporal's count, which for a local step restarts at 1 on the worker that
 * takes it up after its worker died. Events in the run's log past where the step before left it
 * (or any, for the first step) are then an earlier attempt's: the attempt is at least the second,
 * so that its events are marked as a retry's (StepEvents). A step before that found its work
 * committed left -1: its worker died after it.
 */
function attemptOf(context: Context, input: StepInput, logEnd: number): number {
  if (!context.info.isLocal || context.info.attempt > 1) return context.info.attempt;
  const before = input.step === 1 ? -1 : input.eventsAfter;
  return before !== undefined && logEnd > before ? 2 : 1;
}

/** Super-steps from `input.step` on, until the run stops or the batch has run for STEP_BATCH_MS. */
async function superSteps(call: StepCall, input: StepInput): Promise<StepSummary> {
  const { deps, context, signalled } = call;
  const began = Date.now();
  let summary = await superStep(call, input, true);
  // A retry may have found several super-steps committed by the attempt before: counted, so the
  // run's step numbers (and its recursion_limit) go on from the right one. (A batch never starts
  // at the run's first step, whose call also applies the input, so each step is one of LangGraph's.)
  let steps = mayFollowAnAttempt(context) && input.fromCheckpointId ? Math.max(1, await superStepsSince(deps, input.runId, input.fromCheckpointId)) : 1;
  while (!summary.stop && !summary.timedOut && !signalled.aborted && Date.now() - began < STEP_BATCH_MS) {
    const next = { ...input, step: input.step + steps, fromCheckpointId: summary.checkpointId, startsRun: false };
    summary = await superStep(call, next, false);
    steps++;
  }
  return { ...summary, steps };
}

/** LangGraph's super-steps from the checkpoint `from` to the thread's latest, both of the root graph. */
async function superStepsSince({ storage, graphs }: StepDeps, runId: string, from: string): Promise<number> {
  const run = await storage.runs.get(runId);
  if (!run) return 1;
  const graph = await graphs.get(graphIdOf(run), runnableConfig(run, 1, LANGGRAPH_VERSION));
  const stepAt = async (checkpointId?: string) => Number((await readThreadState(graph, run.thread_id, checkpointId)).metadata?.step ?? 0);
  return (await stepAt()) - (await stepAt(from));
}

/**
 * One super-step. `firstOfActivity`: the activity's first, the only one that may find its work
 * committed by an earlier attempt of the activity.
 */
async function superStep(call: StepCall, input: StepInput, firstOfActivity: boolean): Promise<StepSummary> {
  const { deps: { storage, graphs }, recorder, context, run, deadline, lease, signalled } = call;
  if (input.startsRun) await recorder.begin(run, call.attempt);
  const config = runnableConfig(run, call.attempt, LANGGRAPH_VERSION);
  const graph = await graphs.get(graphIdOf(run), config);
  // Another attempt still running this step (see StepLeaseStore) commits it first: this one then
  // finds its work done below.
  try {
    await lease.take(deadline.signal);
  } catch (err) {
    if (!deadline.signal.aborted) throw err;
    return stopped(call, input);
  }

  // Idempotence: a worker may die after the step committed but before Temporal heard of
  // it. A checkpoint of this run newer than the one we were given is that commit. Only a
  // retry can find one: the first attempt skips this read of the thread (one of the step's three).
  const latest = mayFollowAnAttempt(context) && firstOfActivity ? await readThreadState(graph, run.thread_id) : undefined;
  const latestId = latest?.checkpoint?.checkpoint_id ?? null;
  const committedByThisRun = !!latest && latestId !== input.fromCheckpointId && latest.metadata?.run_id === run.run_id;
  // With a breakpoint before nodes, the first step only applies the input, so the run can
  // stop before the graph's first node (see stopsAtBreakpoint).
  const onlyAppliesInput = input.step === 1 && !!run.kwargs.interrupt_before && run.kwargs.input != null && !run.kwargs.command;
  // An earlier attempt of the first step may have stopped after LangGraph applied the input (its
  // `input` checkpoint, then the `loop` one that starts the graph) but before the node ended:
  // this attempt runs the node from there, as the same step.
  const foundOnlyInput = committedByThisRun && input.step === 1 && !onlyAppliesInput && (await holdsOnlyInput(graph, run.thread_id, latest));
  if (latest && committedByThisRun && !foundOnlyInput) {
    context.log.info("step already committed by an earlier attempt", { runId: run.run_id, checkpointId: latestId });
    const summary = await withinRecursionLimit(graph, run, input.step, summarize(run, latest, []), latest);
    // A local step found committed: its worker died after it, maybe during the next step, whose
    // events may then be in the log; the next step is taken for a retry (see attemptOf).
    return ending(recorder, input, run, context.info.isLocal ? { ...summary, lastSeq: -1 } : summary, latest);
  }
  // The input is applied once: a retry that found it applied goes on from there.
  const applyInput = input.step === 1 && !committedByThisRun;
  // A retry, or a step that waited for a worker, may start past the run's deadline.
  if (deadline.passed()) return timedOut(input);

  const continuesRun = input.step > 1 || (foundOnlyInput && latest?.metadata?.source === "loop");
  const events = await StepEvents.open({ log: storage.runEvents, run, continuesRun, attempt: call.attempt, logEnd: call.logEnd, appliesInputOnly: onlyAppliesInput });
  const options = {
    ...config,
    configurable: { ...config.configurable, ...(applyInput ? pinnedCheckpoint(run) : {}) },
    // One super-step per call: the graph stops after whichever nodes run.
    interruptAfter: "*" as const,
    ...(onlyAppliesInput ? { interruptBefore: "*" as const } : {}),
    signal: deadline.signal,
  };
  const startedAt = Date.now();
  try {
    await events.stream(graph, applyInput ? graphInput(run) : null, options);
    recordStep(graphIdOf(run), startedAt, "ok");
  } catch (err) {
    const stoppedEarly = deadline.signal.aborted || deadline.passed();
    recordStep(graphIdOf(run), startedAt, stoppedEarly ? "cancelled" : "error");
    if (stoppedEarly) return stopped(call, input);
    await events.fail(err);
    throw asFailure(err);
  }
  const state = await readThreadState(graph, run.thread_id);
  const summary = await withinRecursionLimit(graph, run, input.step, summarize(run, state, events.nodes), state);
  await events.finish(summary, graph, options);
  return ending(recorder, input, run, summary, state);
}

/**
 * An earlier attempt of this activity may have run. A local activity's attempt counts only the
 * retries of one worker: after a worker dies, its workflow task's replay on another worker runs
 * the step again as attempt 1.
 */
function mayFollowAnAttempt(context: Context): boolean {
  return context.info.attempt > 1 || context.info.isLocal;
}

/** The checkpoint holds the run's input, or the graph's start from it, and no node's work. */
async function holdsOnlyInput(graph: CompiledGraph, threadId: string, state: ThreadState): Promise<boolean> {
  if (state.metadata?.source === "input") return true;
  const parent = state.parent_checkpoint?.checkpoint_id;
  return state.metadata?.source === "loop" && !!parent && (await readThreadState(graph, threadId, parent)).metadata?.source === "input";
}

/**
 * Why the step stopped before its graph ended, which it did not commit: a cancel, the run's
 * deadline (whose end, timeout, is the workflow's to record, like a cancel), or another attempt
 * taking the thread over (this one's result will not count; a retry would find that one's work).
 */
function stopped({ context, signalled, deadline, lease }: StepCall, input: StepInput): StepSummary {
  if (context.cancellationSignal.aborted) throw new CancelledFailure("step cancelled");
  if (signalled.aborted) return cutShort(input);
  if (lease.lost.aborted) throw ApplicationFailure.retryable("another attempt of the step took its thread over", "StepTakenOver");
  return timedOut(input);
}

/** The graph stopped mid-step for a cancel signalled from this process: the step committed nothing. */
function cutShort(input: StepInput): StepSummary {
  return { checkpointId: input.fromCheckpointId, nodes: [], next: [], stop: false, cancelSignalled: true, cutShort: true };
}

function timedOut(input: StepInput): StepSummary {
  return { checkpointId: input.fromCheckpointId, nodes: [], next: [], stop: true, timedOut: true };
}

/** The summary, after recording the run's success when the step stopped it and was asked to. */
async function ending(recorder: RunRecorder, input: StepInput, run: StoredRun, summary: StepSummary, state: ThreadState): Promise<StepSummary> {
  if (!input.endsRun || !summary.stop) return summary;
  const ended = await recorder.finish(run.run_id, { status: "success" }, state);
  if (ended) recordRunOutcome(ended.graphId, "success");
  return { ...summary, ended: true };
}

/**
 * The step's summary, unless the run has used up its recursion_limit: then the step fails with
 * GraphRecursionError as one uninterrupted call would, unless an interrupt stops the run first.
 */
async function withinRecursionLimit(graph: CompiledGraph, run: StoredRun, step: number, summary: StepSummary, state: ThreadState): Promise<StepSummary> {
  const interrupted = state.tasks.some((task) => task.interrupts.length > 0) || stopsAtBreakpoint({ ...run.kwargs, interrupt_before: null }, summary.nodes, []);
  if (interrupted) return summary;
  try {
    await enforceRecursionLimit(graph, run, step, run.kwargs.config.recursion_limit ?? DEFAULT_RECURSION_LIMIT);
  } catch (err) {
    throw asFailure(err);
  }
  return summary;
}

/** Time travel: a run's first step starts from the checkpoint it names. */
function pinnedCheckpoint(run: { kwargs: { config: { configurable: Record<string, unknown> } } }) {
  const pinned = run.kwargs.config.configurable.checkpoint_id;
  return typeof pinned === "string" ? { checkpoint_id: pinned } : {};
}

function summarize(run: StoredRun, state: ThreadState, nodes: string[]): StepSummary {
  const interrupted = state.tasks.some((task) => task.interrupts.length > 0);
  return {
    checkpointId: state.checkpoint?.checkpoint_id ?? null,
    nodes,
    next: state.next,
    stop: state.next.length === 0 || interrupted || stopsAtBreakpoint(run.kwargs, nodes, state.next),
  };
}

/** Graph errors reach the workflow typed by their class name (`__error__.error`, spec §5.5). */
function asFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const error = err instanceof Error ? err : new Error(String(err));
  const type = error.name !== "Error" ? error.name : error.constructor.name;
  return ApplicationFailure.create({ type, message: error.message, cause: error });
}
