// Activities that move a run record through its statuses (spec §5.1) and keep the thread in step.
import { Context } from "@temporalio/activity";
import { isTerminal, now, type StoredRun } from "../src/api-types.ts";
import type { GraphRegistry } from "../src/graphs/registry.ts";
import { readThreadState } from "../src/graphs/state-reader.ts";
import { graphIdOf } from "../src/runs/run-config.ts";
import type { Storage } from "../src/storage/types.ts";
import { refreshThread } from "../src/threads/thread-refresh.ts";
import type { RunOutcome, RunStart } from "../workflows/shared.ts";

export interface RunRecordDeps {
  storage: Storage;
  graphs: GraphRegistry;
}

export function createRunRecordActivities({ storage, graphs }: RunRecordDeps) {
  async function load(runId: string): Promise<StoredRun> {
    const run = await storage.runs.get(runId);
    if (!run) throw new Error(`run ${runId} not found`);
    return run;
  }

  return {
    /** pending → running; tells the workflow where the first step starts. */
    async startRun({ runId }: { runId: string }): Promise<RunStart> {
      const run = await load(runId);
      if (run.status === "pending") {
        const timestamp = now();
        await storage.runs.update(runId, { status: "running", started_at: timestamp, updated_at: timestamp, attempt: Context.current().info.attempt });
      }
      const graph = await graphs.get(graphIdOf(run), run.kwargs.config);
      const pinned = run.kwargs.config.configurable.checkpoint_id;
      const state = await readThreadState(graph, run.thread_id, typeof pinned === "string" ? pinned : undefined);
      return { checkpointId: state.checkpoint?.checkpoint_id ?? null, next: state.next };
    },

    /** running → terminal: stores the join body (spec §5.5) and refreshes the thread. */
    async finishRun({ runId, outcome }: { runId: string; outcome: RunOutcome }): Promise<void> {
      const run = await load(runId);
      if (isTerminal(run.status)) return; // a retried activity after the write landed
      const graph = await graphs.get(graphIdOf(run), run.kwargs.config);
      const state = await readThreadState(graph, run.thread_id);
      const result =
        outcome.status === "success"
          ? state.interrupts.length > 0 || state.next.length > 0
            ? { __interrupt__: state.interrupts }
            : state.values
          : { __error__: { error: outcome.error, message: outcome.message } };
      const timestamp = now();
      await storage.runs.update(runId, { status: outcome.status, result, ended_at: timestamp, updated_at: timestamp });
      await refreshThread(storage, run.thread_id, state);
    },
  };
}
