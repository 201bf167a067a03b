// The run's lifecycle as one pure state machine (spec §5.1, §5.2, §5.4, §5.5; issue 11): which
// transitions a run may take, the record each writes, the final stream event, the join body and
// what a new run makes of its thread. The API (runs service), the activities and start-up
// recovery all ask it; `RunRecorder` applies its answers to storage, so nothing else writes a
// run's status.
import { isTerminal, type RunStatus, type StoredRun, type Thread, type ThreadState } from "../api-types.ts";
import type { RunPatch } from "../storage/types.ts";
import type { CancelAction, QueuedRun, RunOutcome, StepLimits } from "../../workflows/shared.ts";
import { graphIdOf } from "./run-config.ts";

/** What can happen to a run. */
export type RunTransition =
  /** The workflow begins the run (a retried record finds it running already). */
  | { kind: "start"; attempt: number }
  /**
   * The workflow saw the run end; `state` is the thread's latest state afterwards. A run
   * cancelled with `rollback` (spec §5.3, §5.4) goes, with its checkpoints.
   */
  | { kind: "end"; outcome: RunOutcome; state: Pick<ThreadState, "values" | "next" | "interrupts"> }
  /** Cancelled while it waited in the thread's queue: ends without running. */
  | { kind: "cancel_queued"; action: CancelAction; values: unknown }
  /** Start-up recovery found it running without a workflow (terminated in Temporal). */
  | { kind: "orphaned" };

/** The `error` event that ends a failed run's stream (spec §5.9.1). */
export interface FinalEvent {
  event: "error";
  data: string;
}

/** What a transition writes: nothing, an update of the record, or its deletion. */
export type RunEffect =
  | { write: "none" }
  | { write: "update"; patch: RunPatch; finalEvent: FinalEvent | null }
  | { write: "delete" };

/** The statuses each status may move to (spec §5.1); `isTerminal` statuses move nowhere. */
export const ALLOWED_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  // Any end may come while the record still says pending: the run was cancelled, timed out or
  // failed before its first step.
  pending: ["running", "success", "error", "timeout", "interrupted"],
  running: ["success", "error", "timeout", "interrupted"],
  success: [],
  error: [],
  timeout: [],
  interrupted: [],
};

/** The lifecycle's part of a new run record: pending, nothing recorded yet. */
export const NEW_RUN = { status: "pending", cancel_reason: null, result: null, started_at: null, ended_at: null, attempt: 0 } as const satisfies Partial<StoredRun>;

const NONE: RunEffect = { write: "none" };

/** The error an orphaned run ends with. */
export const ORPHANED_FAILURE = {
  error: "WorkflowTerminated",
  message: "The run's workflow ended without recording the run's end (terminated in Temporal?)",
};

/**
 * Whether `run` (undefined: the record is gone) may take a transition of this kind. Those that may
 * not write nothing: activity retries and duplicate signals land here after the first write.
 */
export function allows(run: StoredRun | undefined, kind: RunTransition["kind"]): run is StoredRun {
  if (!run || isTerminal(run.status)) return false;
  if (kind === "start") return run.status === "pending";
  // A pending orphan has no workflow yet and is submitted again instead (orphan-recovery.ts).
  if (kind === "orphaned") return run.status === "running";
  return true;
}

/** The effect of a transition on `run`. */
export function transition(run: StoredRun | undefined, change: RunTransition, timestamp: string): RunEffect {
  if (!allows(run, change.kind)) return NONE;
  switch (change.kind) {
    case "start":
      return update({ status: "running", started_at: timestamp, updated_at: timestamp, attempt: change.attempt });
    case "end": {
      const { outcome } = change;
      if (outcome.status === "rolled_back") return { write: "delete" };
      return update({ status: outcome.status, result: joinBody(outcome, change.state), ended_at: timestamp, updated_at: timestamp });
    }
    case "cancel_queued":
      if (change.action === "rollback") return { write: "delete" };
      return update({ status: "interrupted", result: change.values, ended_at: timestamp, updated_at: timestamp });
    case "orphaned":
      return update({ status: "error", result: { __error__: ORPHANED_FAILURE }, ended_at: timestamp, updated_at: timestamp });
  }
}

function update(patch: RunPatch & { status: RunStatus }): RunEffect {
  if (patch.status === "running") return { write: "update", patch, finalEvent: null };
  return { write: "update", patch, finalEvent: finalEvent(patch.status, patch.result) };
}

/** A failed run's stream ends with `error` carrying the failure of its join body (spec §5.9.1). */
export function finalEvent(status: RunStatus, result: unknown): FinalEvent | null {
  const failure = (result as { __error__?: { error: string; message: string } } | null)?.__error__;
  if ((status !== "error" && status !== "timeout") || !failure) return null;
  return { event: "error", data: JSON.stringify({ error: failure.error, message: failure.message }) };
}

/** The join body of a run that ended (spec §5.5). */
export function joinBody(outcome: RunOutcome, state: Pick<ThreadState, "values" | "next" | "interrupts">): unknown {
  if ("error" in outcome) return { __error__: { error: outcome.error, message: outcome.message } };
  if (outcome.status === "success" && (state.interrupts.length > 0 || state.next.length > 0)) {
    return { __interrupt__: state.interrupts };
  }
  return state.values;
}

/**
 * Whether the run's steps are local activities: the graph's `local_steps` when its entry says,
 * else by the run's `durability` (spec §4.6). `sync`, a checkpoint durable before the next step
 * starts, gets the strongest form Temporal has: an activity task per step, heartbeated, cancelled
 * at once, each step three events in the history. `async` (the default) and `exit` ask for less
 * and get local activities, which skip the activity task's round trips through the Temporal server
 * (README, Local steps). Every step still commits its checkpoint before the next starts.
 */
export function runsLocalSteps(run: Pick<StoredRun, "kwargs">, graphLocalSteps: boolean | undefined): boolean {
  return graphLocalSteps ?? run.kwargs.durability !== "sync";
}

/**
 * The workflow's view of a pending run. `notBefore` is its `created_at` while that lies ahead of
 * `nowMs` (`after_seconds`, spec §5.6): the time the run may start.
 */
export function queuedRun(run: StoredRun, graphLimits: StepLimits, nowMs: number): QueuedRun {
  const { local, ...limits } = graphLimits;
  return {
    runId: run.run_id,
    assistantId: run.assistant_id,
    graphId: graphIdOf(run),
    notBefore: Date.parse(run.created_at) > nowMs ? run.created_at : null,
    temporary: run.kwargs.temporary,
    webhook: run.kwargs.webhook !== null,
    limits: runsLocalSteps(run, local) ? { ...limits, local: true } : limits,
    firstStep: run.kwargs.command ? "command" : "input",
    ...(run.kwargs.durability === "exit" ? { batchSteps: true } : {}),
  };
}

/** A thread that gets a run names the run's graph and assistant in its metadata (spec §5.10). */
export function stampThread(thread: Thread, assistant: { graph_id: string; assistant_id: string }): Thread {
  return { ...thread, metadata: { ...thread.metadata, graph_id: assistant.graph_id, assistant_id: assistant.assistant_id } };
}

/**
 * What a new run writes into its (stamped) thread: the run's config, and `busy` before the
 * workflow can start, so a run that ends at once leaves the thread idle instead of being
 * overwritten (spec §5.2). The thread's own status follows `threadStatus` after every end.
 * A thread already busy keeps its metadata and config (a run queued behind another, or one
 * that interrupts it), as on the JS server: only an idle thread takes the new run's.
 */
export function threadOnSubmit(thread: Thread, stamped: Thread, run: StoredRun): Partial<Pick<Thread, "metadata" | "config" | "status" | "updated_at">> {
  if (thread.status === "busy") return { status: "busy" };
  return { metadata: stamped.metadata, config: { ...stamped.config, ...run.kwargs.config, metadata: undefined }, status: "busy", updated_at: run.updated_at };
}

/** `cancel_reason` as recorded (spec §5.4): `taken` is stamped with the time it was taken. */
export function cancelReason(reason: string, timestamp: string): string {
  return reason === "taken" ? `taken:${timestamp}` : reason;
}
