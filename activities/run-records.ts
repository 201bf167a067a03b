// Activities that move a run record through its statuses (spec §5.1): Temporal glue over the
// RunRecorder, which applies the run lifecycle (src/runs/run-lifecycle.ts) and keeps the thread in step.
import { Context } from "@temporalio/activity";
import type { GraphRegistry } from "../src/graphs/registry.ts";
import { RunRecorder } from "../src/runs/run-recorder.ts";
import type { RunCheckpointer } from "../src/storage/stamping-checkpointer.ts";
import type { Storage } from "../src/storage/types.ts";
import type { CancelAction, RunOutcome, RunStart } from "../workflows/shared.ts";
import { recordRunOutcome } from "./worker-metrics.ts";

export interface RunRecordDeps {
  storage: Storage;
  graphs: GraphRegistry;
  checkpointer: RunCheckpointer;
}

export function createRunRecordActivities(deps: RunRecordDeps) {
  const recorder = new RunRecorder(deps);
  return {
    /** pending → running; tells the workflow where the first step starts. */
    async startRun({ runId }: { runId: string }): Promise<RunStart> {
      return recorder.start(runId, Context.current().info.attempt);
    },

    /** → success / error / timeout / interrupted: stores the join body and refreshes the thread. */
    async finishRun({ runId, outcome }: { runId: string; outcome: RunOutcome }): Promise<void> {
      const ended = await recorder.finish(runId, outcome);
      if (ended) recordRunOutcome(ended.graphId, outcome.status === "rolled_back" ? "interrupted" : outcome.status);
    },

    /** Rollback (spec §5.3, §5.4): the run and every checkpoint it wrote disappear. */
    async rollbackRun({ runId }: { runId: string }): Promise<void> {
      await recorder.finish(runId, { status: "rolled_back" });
    },

    /** Runs cancelled while they waited in the queue: interrupted without running, or deleted. */
    async cancelQueuedRuns({ runs }: { runs: Array<{ runId: string; action: CancelAction }> }): Promise<void> {
      await recorder.cancelQueued(runs);
    },

    /** Stateless runs with on_completion=delete (spec §5.6): the thread goes, with its checkpoints. */
    async deleteThread({ threadId }: { threadId: string }): Promise<void> {
      await deps.checkpointer.deleteThread(threadId);
      await deps.storage.threads.delete(threadId);
    },
  };
}
