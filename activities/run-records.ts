// Activities that move a run record through its statuses (spec §5.1) and keep the thread in step.
import { Context } from "@temporalio/activity";
import { isTerminal, now, type StoredRun } from "../src/api-types.ts";
import type { GraphRegistry } from "../src/graphs/registry.ts";
import { readThreadState } from "../src/graphs/state-reader.ts";
import { graphIdOf } from "../src/runs/run-config.ts";
import type { RunCheckpointer } from "../src/storage/stamping-checkpointer.ts";
import type { Storage } from "../src/storage/types.ts";
import { refreshThread } from "../src/threads/thread-refresh.ts";
import type { CancelAction, RunOutcome, RunStart } from "../workflows/shared.ts";
import { recordRunOutcome } from "./worker-metrics.ts";

export interface RunRecordDeps {
  storage: Storage;
  graphs: GraphRegistry;
  checkpointer: RunCheckpointer;
}

export function createRunRecordActivities({ storage, graphs, checkpointer }: RunRecordDeps) {
  async function latestState(run: StoredRun) {
    const graph = await graphs.get(graphIdOf(run), run.kwargs.config);
    return readThreadState(graph, run.thread_id);
  }

  /** The join body of a run that ended (spec §5.5). */
  function joinBody(outcome: RunOutcome, state: Awaited<ReturnType<typeof latestState>>): unknown {
    if ("error" in outcome) return { __error__: { error: outcome.error, message: outcome.message } };
    if (outcome.status === "success" && (state.interrupts.length > 0 || state.next.length > 0)) {
      return { __interrupt__: state.interrupts };
    }
    return state.values;
  }

  return {
    /** pending → running; tells the workflow where the first step starts. */
    async startRun({ runId }: { runId: string }): Promise<RunStart> {
      const run = await storage.runs.get(runId);
      if (!run) throw new Error(`run ${runId} not found`);
      if (run.status === "pending") {
        const timestamp = now();
        await storage.runs.update(runId, { status: "running", started_at: timestamp, updated_at: timestamp, attempt: Context.current().info.attempt });
      }
      const graph = await graphs.get(graphIdOf(run), run.kwargs.config);
      const pinned = run.kwargs.config.configurable.checkpoint_id;
      const state = await readThreadState(graph, run.thread_id, typeof pinned === "string" ? pinned : undefined);
      return { checkpointId: state.checkpoint?.checkpoint_id ?? null, next: state.next };
    },

    /** → success / error / timeout / interrupted: stores the join body and refreshes the thread. */
    async finishRun({ runId, outcome }: { runId: string; outcome: RunOutcome }): Promise<void> {
      const run = await storage.runs.get(runId);
      if (!run || isTerminal(run.status)) return; // deleted meanwhile, or a retry after the write landed
      const state = await latestState(run);
      const timestamp = now();
      const status = outcome.status === "rolled_back" ? "interrupted" : outcome.status;
      await storage.runs.update(runId, { status, result: joinBody(outcome, state), ended_at: timestamp, updated_at: timestamp });
      recordRunOutcome(graphIdOf(run), status);
      await refreshThread(storage, run.thread_id, state);
    },

    /** Rollback (spec §5.3, §5.4): the run and every checkpoint it wrote disappear. */
    async rollbackRun({ runId }: { runId: string }): Promise<void> {
      const run = await storage.runs.get(runId);
      if (!run) return;
      await checkpointer.deleteRunCheckpoints(run.thread_id, runId);
      await storage.runs.delete(runId);
      await refreshThread(storage, run.thread_id, await latestState(run));
    },

    /** Runs cancelled while they waited in the queue: interrupted without running, or deleted. */
    async cancelQueuedRuns({ runs }: { runs: Array<{ runId: string; action: CancelAction }> }): Promise<void> {
      for (const { runId, action } of runs) {
        const run = await storage.runs.get(runId);
        if (!run || isTerminal(run.status)) continue;
        const state = await latestState(run);
        if (action === "rollback") await storage.runs.delete(runId);
        else await storage.runs.update(runId, { status: "interrupted", result: state.values, ended_at: now(), updated_at: now() });
        await refreshThread(storage, run.thread_id, state);
      }
    },

    /** Stateless runs with on_completion=delete (spec §5.6): the thread goes, with its checkpoints. */
    async deleteThread({ threadId }: { threadId: string }): Promise<void> {
      await checkpointer.deleteThread(threadId);
      await storage.threads.delete(threadId);
    },
  };
}
