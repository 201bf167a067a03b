// Definitions that the thread workflow and its clients both import (style §3): the workflow's
// input and result, and its query. Plain JSON only: no Map, Set or Date crosses Temporal.
// @temporalio/common is the SDK's own deterministic core; the workflow package re-exports most of it.
import { defineSearchAttributeKey, SearchAttributeType } from "@temporalio/common";
import { defineQuery, defineSignal } from "@temporalio/workflow";

export const WORKFLOW_TYPE = "threadWorkflow";
export const workflowIdForThread = (threadId: string): string => `thread-${threadId}`;

/** Search attributes registered on the Temporal server, so a run can be found by the ids a client holds. */
export const SEARCH_ATTRIBUTES = {
  runId: defineSearchAttributeKey("LangGraphRunId", SearchAttributeType.KEYWORD),
  threadId: defineSearchAttributeKey("LangGraphThreadId", SearchAttributeType.KEYWORD),
  assistantId: defineSearchAttributeKey("LangGraphAssistantId", SearchAttributeType.KEYWORD),
  graphId: defineSearchAttributeKey("LangGraphGraphId", SearchAttributeType.KEYWORD),
};

/** Step timeouts and retries, chosen by the server's settings and carried in the input. */
export interface StepLimits {
  heartbeatTimeoutSeconds: number;
  timeoutSeconds: number;
  maxAttempts: number;
  retryInitialIntervalMs: number;
  maxRunSeconds: number;
  /**
   * The run's steps are local activities (its `durability`, or langgraph.json `local_steps`; see
   * runsLocalSteps): in the worker that runs the workflow task, without an activity task's round
   * trips through the server. Absent: activities on the task queue, as before the option existed.
   * In langgraph.json's per-graph limits, `false` says the graph's runs never take local steps.
   */
  local?: boolean;
}

/** A run waiting in the thread's queue. Everything else about it is in its run record. */
export interface QueuedRun {
  runId: string;
  assistantId: string;
  graphId: string;
  /** ISO time before which the run must not start (`after_seconds`, spec §5.6). */
  notBefore: string | null;
  /** Stateless run with on_completion=delete: the thread goes away after the run. */
  temporary: boolean;
  /** Has a webhook to call when it ends (spec §5.7). */
  webhook: boolean;
  /** Step timeouts and retries for this run's graph. */
  limits: StepLimits;
  /** What the first step applies ("input" or "command"), for its summary in the Web UI (revision 4). */
  firstStep?: string;
  /**
   * The run asked for `durability: "exit"` (spec §4.6): its super-steps need not each be a step in
   * Temporal's history, so a step activity after the first goes on to the next super-step while it
   * has run for less than STEP_BATCH_MS (each super-step still commits its checkpoint). Absent: one
   * super-step per activity.
   */
  batchSteps?: boolean;
}

/** The longest workflow task timeout Temporal accepts. */
const MAX_WORKFLOW_TASK_TIMEOUT_SECONDS = 120;

/**
 * The workflow task timeout of an execution that runs `run`. A local step has no heartbeats of
 * its own: while it runs, its workflow task stays open, and the worker completes the task at 80%
 * of this timeout to extend it. So the timeout is how long a dead worker's local step goes
 * unnoticed, and the extensions are when a cancel reaches a long one: the step heartbeat timeout
 * serves for both. Undefined (Temporal's default, or what continue-as-new inherits) otherwise.
 */
export function workflowTaskTimeoutFor(run: QueuedRun): string | undefined {
  return run.limits.local ? `${Math.min(run.limits.heartbeatTimeoutSeconds, MAX_WORKFLOW_TASK_TIMEOUT_SECONDS)}s` : undefined;
}

/** How long a step activity of a `batchSteps` run starts further super-steps. */
export const STEP_BATCH_MS = 1000;

/**
 * The revision of the thread workflow's code that new executions start with. Executions keep the
 * revision they started with (it is in their input, so replay sees it too): a change to the
 * commands the workflow issues gets a new revision, and the code keeps the old path while
 * executions of the old revision may still be open (test/fixtures/histories holds one of each).
 * 1 (no field): run records are activities on the task queue; every run upserts its search attributes.
 * 2: run records are local activities; a run named by the search attributes set at start does not
 *    upsert them again.
 * 3: a run cancelled by `interrupt` or `rollback` ends that way even when its step then fails
 *    (e.g. its worker died, so the cancel is never acknowledged and the step times out), where
 *    revision 2 recorded the step's failure.
 * 4: the first step records the run's start (`startsRun`) and the step that stops a run its
 *    success (`endsRun`), so a run's happy path has no run-record activity; errors, timeouts and
 *    cancels are still recorded by the workflow.
 * 5: no timer for max_run_seconds: the run's deadline is in each step's input (`deadline`), the
 *    step stops its graph there and says so (`timedOut`), and the workflow checks it between steps.
 */
export const WORKFLOW_REVISION = 5;

export interface ThreadWorkflowInput {
  threadId: string;
  /** Runs to execute, oldest first: one per execution, the rest carried by continue-as-new. */
  queue: QueuedRun[];
  /** See WORKFLOW_REVISION; absent in executions started before revisions existed. */
  revision?: number;
}

export type CancelAction = "interrupt" | "rollback";

/** A new run for a thread whose workflow may already be running (signal-with-start). */
export interface SubmitRun {
  run: QueuedRun;
  /** interrupt / rollback cancel every run of the thread before this one (spec §5.3). */
  cancelOthers: CancelAction | null;
}

export const submitRunSignal = defineSignal<[SubmitRun]>("submitRun");
export const cancelRunSignal = defineSignal<[{ runId: string; action: CancelAction }]>("cancelRun");

/** How a run ended, as the workflow saw it. The full join body lives in the run record. */
export type RunOutcome =
  | { status: "success" | "interrupted" | "rolled_back" }
  | { status: "error" | "timeout"; error: string; message: string };

/** What one super-step did: ids and names only, never state (design: small history payloads). */
export interface StepSummary {
  /** Checkpoint the step committed (the thread's latest afterwards). */
  checkpointId: string | null;
  /** Nodes that ran in the step. */
  nodes: string[];
  /** Nodes scheduled next; empty when the graph is done. */
  next: string[];
  /** The run stops here: the graph finished, or an interrupt is pending. */
  stop: boolean;
  /** The step recorded the run's end (asked to by `endsRun`, revision 4). */
  ended?: boolean;
  /** The run's deadline came first: the graph was stopped, or not started (revision 5). */
  timedOut?: boolean;
  /** Super-steps the activity ran, when it was asked to batch them (`batchSteps`); 1 when absent. */
  steps?: number;
  /**
   * A local step heard that a cancel of its run was signalled from its worker's process
   * (CancelRequests) and returned early, so that its workflow task completes and Temporal hands
   * the workflow the signal now rather than at the task's next extension.
   */
  cancelSignalled?: boolean;
  /** With cancelSignalled: the graph was stopped mid-step, so the step committed nothing. */
  cutShort?: boolean;
  /** Local steps: the last event in the run's log after the step, for the next step's `eventsAfter`. */
  lastSeq?: number;
}

/** Where a run starts: the checkpoint the first step continues from. */
export interface RunStart {
  checkpointId: string | null;
  next: string[];
}

export interface RunProgress {
  runId: string;
  status: "pending" | "running";
  /** 1-based number of the super-step in flight (0 before the first). */
  step: number;
  /** Nodes of the step in flight, or of the last one finished. */
  nodes: string[];
  /** Latest checkpoint the workflow has been told of. */
  checkpointId: string | null;
}

export const progressQuery = defineQuery<RunProgress>("progress");

/** Graph errors that no retry can cure; everything else is retried up to `maxAttempts`. */
export const NON_RETRYABLE_ERRORS = [
  "GraphRecursionError",
  "GraphValueError",
  "InvalidUpdateError",
  "EmptyInputError",
  "EmptyChannelError",
  "UnreachableNodeError",
  "RunNotFound",
];
