// The step activity: runs exactly one LangGraph super-step of a run and commits its checkpoint.
import { ApplicationFailure, CancelledFailure, Context } from "@temporalio/activity";
import type { GraphRegistry } from "../src/graphs/registry.ts";
import { readThreadState } from "../src/graphs/state-reader.ts";
import { graphIdOf, graphInput, runnableConfig } from "../src/runs/run-config.ts";
import type { Storage } from "../src/storage/types.ts";
import { LANGGRAPH_VERSION } from "../src/versions.ts";
import type { StoredRun, ThreadState } from "../src/api-types.ts";
import type { StepSummary } from "../workflows/shared.ts";
import { StepEvents } from "../src/streaming/step-events.ts";
import { recordStep } from "./worker-metrics.ts";

export interface StepInput {
  runId: string;
  /** 1-based; the first step applies the run's input or command. */
  step: number;
  /** The checkpoint the step starts from, as the workflow last heard of it. */
  fromCheckpointId: string | null;
}

export interface StepDeps {
  storage: Storage;
  graphs: GraphRegistry;
}

// Frequent enough that a cancel (delivered with a heartbeat's answer) stops the graph well within a
// second; the SDK throttles what it sends to the server (worker option maxHeartbeatThrottleInterval).
const HEARTBEAT_EVERY_MS = 200;

export function createStepActivities({ storage, graphs }: StepDeps) {
  return {
    async runStep(input: StepInput): Promise<StepSummary> {
      const context = Context.current();
      const run = await storage.runs.get(input.runId);
      if (!run) throw ApplicationFailure.nonRetryable(`run ${input.runId} no longer exists`, "RunNotFound");
      const config = runnableConfig(run, context.info.attempt, LANGGRAPH_VERSION);
      const graph = await graphs.get(graphIdOf(run), config);

      // Idempotence: a worker may die after the step committed but before Temporal heard of
      // it. A checkpoint of this run newer than the one we were given is that commit.
      const latest = await readThreadState(graph, run.thread_id);
      const latestId = latest.checkpoint?.checkpoint_id ?? null;
      const committedByThisRun = latestId !== input.fromCheckpointId && latest.metadata?.run_id === run.run_id;
      // With a breakpoint before nodes, the first step only applies the input, so the run can
      // stop before the graph's first node (see stopsAtBreakpoint).
      const onlyAppliesInput = input.step === 1 && !!run.kwargs.interrupt_before && run.kwargs.input != null && !run.kwargs.command;
      if (committedByThisRun && (latest.metadata?.source !== "input" || onlyAppliesInput)) {
        context.log.info("step already committed by an earlier attempt", { runId: run.run_id, checkpointId: latestId });
        return summarize(run, latest, []);
      }
      // An earlier attempt committed only the run's input before its node failed: this attempt
      // runs the node from there, so the input is applied once and each attempt runs the node.
      const applyInput = input.step === 1 && !committedByThisRun;

      const events = await StepEvents.open({ log: storage.runEvents, run, step: input.step, attempt: context.info.attempt });
      const options = {
        ...config,
        configurable: { ...config.configurable, ...(applyInput ? pinnedCheckpoint(run) : {}) },
        // One super-step per call: the graph stops after whichever nodes run.
        interruptAfter: "*" as const,
        ...(onlyAppliesInput ? { interruptBefore: "*" as const } : {}),
        signal: context.cancellationSignal,
      };
      const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      const startedAt = Date.now();
      try {
        await events.stream(graph, applyInput ? graphInput(run) : null, options);
        recordStep(graphIdOf(run), startedAt, "ok");
      } catch (err) {
        recordStep(graphIdOf(run), startedAt, context.cancellationSignal.aborted ? "cancelled" : "error");
        if (context.cancellationSignal.aborted) throw new CancelledFailure("step cancelled");
        throw asFailure(err);
      } finally {
        clearInterval(heartbeat);
      }
      const summary = summarize(run, await readThreadState(graph, run.thread_id), events.nodes);
      await events.finish(summary, graph, options);
      return summary;
    },
  };
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
    stop: state.next.length === 0 || interrupted || stopsAtBreakpoint(run, nodes, state.next),
  };
}

/**
 * The run's own interrupt_before / interrupt_after (spec §5.8). They are applied here rather
 * than handed to LangGraph, whose per-call breakpoints would never fire again after the
 * `interruptAfter: "*"` that ends every step.
 */
function stopsAtBreakpoint({ kwargs }: StoredRun, ranNodes: string[], nextNodes: string[]): boolean {
  const hits = (breakpoints: "*" | string[] | null, nodes: string[]) =>
    nodes.length > 0 && (breakpoints === "*" || (breakpoints ?? []).some((node) => nodes.includes(node)));
  return hits(kwargs.interrupt_after, ranNodes) || hits(kwargs.interrupt_before, nextNodes);
}

/** Graph errors reach the workflow typed by their class name (`__error__.error`, spec §5.5). */
function asFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const error = err instanceof Error ? err : new Error(String(err));
  const type = error.name !== "Error" ? error.name : error.constructor.name;
  return ApplicationFailure.create({ type, message: error.message, cause: error });
}
