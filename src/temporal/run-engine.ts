// How the runs service drives Temporal: submit a run to its thread's workflow, cancel it, ask
// the workflow for progress, wait for an execution to close. The workflow id
// `thread-{thread_id}` is the one-run-per-thread lock; there is no lock of our own.
import {
  type Client,
  WorkflowContinuedAsNewError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  isGrpcDeadlineError,
} from "@temporalio/client";
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from "@temporalio/common";
import type { CancelRequests } from "../runs/cancel-requests.ts";
import type { StoredRun } from "../api-types.ts";
import {
  cancelRunSignal,
  SEARCH_ATTRIBUTES,
  submitRunSignal,
  WORKFLOW_REVISION,
  WORKFLOW_TYPE,
  workflowIdForThread,
  workflowTaskTimeoutFor,
  type CancelAction,
  type QueuedRun,
  type StepLimits,
  type ThreadWorkflowInput,
} from "../../workflows/shared.ts";

/** Temporal already runs a workflow for the thread. */
export class ThreadLockedError extends Error {
  override name = "ThreadLockedError";
}

export interface RunEngineOptions {
  taskQueue: string;
  limits: StepLimits;
  /** Per-graph overrides from langgraph.json. */
  graphLimits: Record<string, Partial<StepLimits>>;
  /**
   * The client shares the connection of a worker in this process (`dev`), so the server can
   * hand a new workflow's first task to that worker in its answer to the start request.
   */
  eagerStart: boolean;
  /** Told of every cancel signalled, for the local steps of a worker in this process. */
  cancelRequests: CancelRequests;
}

/** The longest a single wait for an execution to close lasts before its caller looks again. */
const EXECUTION_POLL_SLICE_MS = 15_000;

/** `promise`, or the signal's reason as soon as it is aborted (the promise's outcome is then dropped). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort = () => {};
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener("abort", onAbort));
}

export class RunEngine {
  constructor(
    private readonly client: Client,
    private readonly options: RunEngineOptions,
  ) {}

  /** The step limits a run of this graph gets: the server's, overridden per graph. */
  limitsFor(graphId: string): StepLimits {
    return { ...this.options.limits, ...this.options.graphLimits[graphId] };
  }

  /**
   * `reject` starts the thread's workflow and fails if one is open (ThreadLockedError).
   * The other strategies signal-with-start: an open workflow queues the run (after cancelling
   * the others for interrupt/rollback), a closed one starts with it.
   */
  async submit(run: StoredRun, queued: QueuedRun): Promise<void> {
    const input: ThreadWorkflowInput = { threadId: run.thread_id, queue: [], revision: WORKFLOW_REVISION };
    const options = {
      workflowId: workflowIdForThread(run.thread_id),
      taskQueue: this.options.taskQueue,
      staticSummary: `thread ${run.thread_id}`,
      // Set at start so a run is searchable at once; the workflow keeps them current per run.
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTES.runId, value: run.run_id },
        { key: SEARCH_ATTRIBUTES.threadId, value: run.thread_id },
        { key: SEARCH_ATTRIBUTES.assistantId, value: queued.assistantId },
        { key: SEARCH_ATTRIBUTES.graphId, value: queued.graphId },
      ],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      // Applies when this call starts the execution; a queued run's comes with its continue-as-new.
      workflowTaskTimeout: workflowTaskTimeoutFor(queued),
    };
    const strategy = run.multitask_strategy;
    if (strategy !== "reject") {
      await this.client.workflow.signalWithStart(WORKFLOW_TYPE, {
        ...options,
        args: [input],
        signal: submitRunSignal,
        signalArgs: [{ run: queued, cancelOthers: strategy === "enqueue" ? null : strategy }],
      });
      if (strategy !== "enqueue") this.options.cancelRequests.signalledFor(run.thread_id, null);
      return;
    }
    try {
      await this.client.workflow.start(WORKFLOW_TYPE, {
        ...options,
        args: [{ ...input, queue: [queued] }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        requestEagerStart: this.options.eagerStart,
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ThreadLockedError(`thread ${run.thread_id} has a running workflow`);
      throw err;
    }
  }

  /** Asks the thread's workflow to cancel a run; false when no execution is open. */
  async cancel(threadId: string, runId: string, action: CancelAction): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowIdForThread(threadId)).signal(cancelRunSignal, { runId, action });
      this.options.cancelRequests.signalledFor(threadId, runId);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /** Whether the thread's workflow has an open execution. */
  async isOpen(threadId: string): Promise<boolean> {
    try {
      const { status } = await this.client.workflow.getHandle(workflowIdForThread(threadId)).describe();
      return status.name === "RUNNING";
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /**
   * Resolves when the thread's open execution closes (at once when none is open), or after
   * `EXECUTION_POLL_SLICE_MS` at the latest, so that the caller re-reads its run and waits again:
   * no long poll outlives its caller by more than that. It does not follow continue-as-new: the
   * next execution belongs to the next run. `signal` ends the wait at once (rejecting with the
   * signal's reason); the long poll on Temporal is cancelled where the connection can (a
   * NativeConnection cannot yet), else it ends with its slice.
   */
  async waitForExecution(threadId: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    // Without a run id this waits on the current execution: a closed one answers at once.
    const handle = this.client.workflow.getHandle(workflowIdForThread(threadId), undefined, { followRuns: false });
    const deadline = Date.now() + EXECUTION_POLL_SLICE_MS;
    const poll = this.client.withDeadline(deadline, () => (signal ? this.client.withAbortSignal(signal, () => handle.result()) : handle.result()));
    try {
      await (signal ? untilAborted(poll, signal) : poll);
    } catch (err) {
      signal?.throwIfAborted();
      // Closing any way at all is what we wait for; the run record tells the outcome.
      if (err instanceof WorkflowNotFoundError || err instanceof WorkflowContinuedAsNewError || err instanceof WorkflowFailedError) return;
      // The slice is over: the caller looks at its run again.
      if (isGrpcDeadlineError(err) || Date.now() >= deadline) return;
      throw err;
    }
  }
}
