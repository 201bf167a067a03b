// How the runs service drives Temporal: start a thread's run workflow, ask it for progress,
// wait for it to close. The workflow id `thread-{thread_id}` is the one-run-per-thread lock.
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError } from "@temporalio/client";
import { defineSearchAttributeKey, SearchAttributeType, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from "@temporalio/common";
import type { StoredRun } from "../api-types.ts";
import { progressQuery, SEARCH_ATTRIBUTES, WORKFLOW_TYPE, workflowIdForThread, type RunProgress, type StepLimits, type ThreadWorkflowInput } from "../../workflows/shared.ts";

const keys = {
  runId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.runId, SearchAttributeType.KEYWORD),
  threadId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.threadId, SearchAttributeType.KEYWORD),
  assistantId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.assistantId, SearchAttributeType.KEYWORD),
  graphId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.graphId, SearchAttributeType.KEYWORD),
};

/** Temporal already runs a workflow for the thread. */
export class ThreadLockedError extends Error {
  override name = "ThreadLockedError";
}

export class RunEngine {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly limits: StepLimits,
  ) {}

  async start(run: StoredRun, graphId: string): Promise<void> {
    const input: ThreadWorkflowInput = { threadId: run.thread_id, runId: run.run_id, limits: this.limits };
    try {
      await this.client.workflow.start(WORKFLOW_TYPE, {
        workflowId: workflowIdForThread(run.thread_id),
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        staticSummary: `run ${run.run_id} · graph ${graphId}`,
        memo: { run_id: run.run_id, thread_id: run.thread_id, assistant_id: run.assistant_id, graph_id: graphId },
        typedSearchAttributes: [
          { key: keys.runId, value: run.run_id },
          { key: keys.threadId, value: run.thread_id },
          { key: keys.assistantId, value: run.assistant_id },
          { key: keys.graphId, value: graphId },
        ],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ThreadLockedError(`thread ${run.thread_id} has a running workflow`);
      throw err;
    }
  }

  /** The thread's run as its workflow last saw it; undefined when the thread never had one. */
  async progress(threadId: string): Promise<RunProgress | undefined> {
    try {
      return await this.client.workflow.getHandle(workflowIdForThread(threadId)).query(progressQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** Resolves when the thread's open workflow execution closes (at once when none is open). */
  async waitForClose(threadId: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(workflowIdForThread(threadId)).result();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return;
      // A failed or terminated execution also closes; the run record tells the outcome.
      if (err instanceof WorkflowFailedError) return;
      throw err;
    }
  }
}
