// Applies the run lifecycle's transitions (run-lifecycle.ts) to storage, and keeps the thread in
// step after each: the one writer of a run's status and of its stream's final event. Used by the
// run-record activities and by start-up recovery.
import { isTerminal, now, type StoredRun, type ThreadState } from "../api-types.ts";
import type { GraphRegistry } from "../graphs/registry.ts";
import { readThreadState } from "../graphs/state-reader.ts";
import type { RunCheckpointer } from "../storage/stamping-checkpointer.ts";
import type { Storage } from "../storage/types.ts";
import { refreshThread } from "../threads/thread-refresh.ts";
import type { CancelAction, RunOutcome, RunStart } from "../../workflows/shared.ts";
import { graphIdOf } from "./run-config.ts";
import { allows, type RunTransition, transition } from "./run-lifecycle.ts";

export interface RunRecorderDeps {
  storage: Storage;
  graphs: GraphRegistry;
  checkpointer: RunCheckpointer;
}

export class RunRecorder {
  constructor(private readonly deps: RunRecorderDeps) {}

  /** pending → running; tells the workflow where the first step starts. */
  async start(runId: string, attempt: number): Promise<RunStart> {
    const run = await this.deps.storage.runs.get(runId);
    if (!run) throw new Error(`run ${runId} not found`);
    await this.begin(run, attempt);
    const pinned = run.kwargs.config.configurable.checkpoint_id;
    const state = await this.latestState(run, typeof pinned === "string" ? pinned : undefined);
    return { checkpointId: state.checkpoint?.checkpoint_id ?? null, next: state.next };
  }

  /** pending → running (nothing on a retry: the run is running already). */
  async begin(run: StoredRun, attempt: number): Promise<void> {
    await this.apply(run, { kind: "start", attempt });
  }

  /**
   * → success / error / timeout / interrupted: stores the join body and refreshes the thread.
   * Returns the run's graph when this call ended it (not on a retry after the write landed).
   * `state`: the thread's latest state, when the caller has just read it.
   */
  async finish(runId: string, outcome: RunOutcome, state?: ThreadState): Promise<{ graphId: string } | undefined> {
    const run = await this.deps.storage.runs.get(runId);
    if (!run) return undefined; // deleted meanwhile
    if (isTerminal(run.status)) {
      // A retry after the end was written: the thread's refresh after it may not have been (the
      // database went down in between), and no later run would make up for it.
      await this.settle(run, await this.latestState(run));
      return undefined;
    }
    // Rollback (spec §5.3, §5.4): every checkpoint the run wrote disappears with it.
    if (outcome.status === "rolled_back") await this.deps.checkpointer.deleteRunCheckpoints(run.thread_id, runId);
    const latest = outcome.status === "rolled_back" || !state ? await this.latestState(run) : state;
    const ended = await this.apply(run, { kind: "end", outcome, state: latest });
    await this.settle(run, latest);
    return ended ? { graphId: graphIdOf(run) } : undefined;
  }

  /** Runs cancelled while they waited in the queue: interrupted without running, or deleted. */
  async cancelQueued(runs: Array<{ runId: string; action: CancelAction }>): Promise<void> {
    for (const { runId, action } of runs) {
      const run = await this.deps.storage.runs.get(runId);
      if (!run) continue;
      const state = await this.latestState(run);
      // On a retry after the change was written, the thread is still refreshed (as in `finish`).
      if (allows(run, "cancel_queued")) await this.apply(run, { kind: "cancel_queued", action, values: state.values });
      await this.settle(run, state);
    }
  }

  /** A running run whose workflow is gone ends `error` (start-up recovery). */
  async failOrphan(run: StoredRun): Promise<void> {
    if (!allows(run, "orphaned")) return;
    await this.apply(run, { kind: "orphaned" });
    await this.settle(run, await this.latestState(run));
  }

  /** Brings the thread in step with the run's end, then wakes the joins waiting on it here. */
  private async settle(run: StoredRun, state: ThreadState): Promise<void> {
    await refreshThread(this.deps.storage, run.thread_id, state);
    this.deps.storage.runs.announceEnd(run.run_id);
  }

  /**
   * Writes what the lifecycle says about `run` as read; true when it wrote. The record and the
   * stream's final event go together, and only while the status is the one read: of two writers
   * ending one run at once (a step attempt left running and the workflow), one wins.
   */
  private async apply(run: StoredRun, change: RunTransition): Promise<boolean> {
    const effect = transition(run, change, now());
    if (effect.write === "delete") await this.deps.storage.runs.delete(run.run_id);
    if (effect.write !== "update") return effect.write === "delete";
    return this.deps.storage.runs.updateIfUnchanged(run, effect.patch, effect.finalEvent ?? undefined);
  }

  private async latestState(run: StoredRun, checkpointId?: string): Promise<ThreadState> {
    const graph = await this.deps.graphs.get(graphIdOf(run), run.kwargs.config);
    return readThreadState(graph, run.thread_id, checkpointId);
  }
}
