// LangGraph.js writes only `source`, `step` and `parents` into checkpoint metadata. The Agent
// Server API also shows the run's metadata there (spec §5.10: run_id, graph_id, run_attempt, …),
// and the step activity finds its own commits by `run_id`, so every put stamps the config's
// metadata underneath the runtime's keys. The stamp also lets a rollback find what a run wrote.
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseCheckpointSaver, Checkpoint, CheckpointListOptions, CheckpointMetadata, CheckpointTuple } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";

/** A LangGraph checkpointer that stamps run metadata and can take back what one run wrote. */
export interface RunCheckpointer extends BaseCheckpointSaver {
  /** Rollback (spec §5.3): removes every checkpoint a run wrote, with its pending writes. */
  deleteRunCheckpoints(threadId: string, runId: string): Promise<void>;
  /**
   * Prune strategy `keep_latest` (spec §3.4, thread TTLs): only the latest checkpoint of each
   * namespace stays, with its pending writes and without a parent. One transaction: a crash
   * leaves the thread either as it was or pruned, never without its state.
   */
  keepLatest(threadId: string): Promise<void>;
}

export function runStamp(config: RunnableConfig): Record<string, unknown> {
  // LangSmith's `ls_*` keys describe the tracer, not the run; `ls_integration` is the server's
  // own, which the official server keeps in checkpoint metadata (issue 12).
  return Object.fromEntries(Object.entries(config.metadata ?? {}).filter(([key]) => !key.startsWith("ls_") || key === "ls_integration"));
}

/** The metadata a put stores: the run's stamp, with the runtime's own keys on top. */
export function stampedMetadata(config: RunnableConfig, metadata: CheckpointMetadata): CheckpointMetadata {
  return { ...runStamp(config), ...metadata } as CheckpointMetadata;
}

export class StampingSqliteSaver extends SqliteSaver implements RunCheckpointer {
  override put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata) {
    return super.put(config, checkpoint, stampedMetadata(config, metadata));
  }

  // SqliteSaver matches each metadata filter key as the JSON path `$.<key>`: a key that is not a
  // plain name made a malformed path (`""`: an error, a 500 of /history) or a nested one (`a.b`).
  // Quoted as a JSON string, every key is one label of the path, as PostgreSQL's `@>` reads it.
  override list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    if (!options?.filter) return super.list(config, options);
    const filter = Object.fromEntries(Object.entries(options.filter).map(([key, value]) => [JSON.stringify(key), value]));
    return super.list(config, { ...options, filter });
  }

  // SqliteSaver creates its tables on first use, but its deleteThread does not: deleting a thread
  // before any checkpoint was read or written since start failed with "no such table" (issue 12).
  override async deleteThread(threadId: string): Promise<void> {
    this.setup();
    return super.deleteThread(threadId);
  }

  async deleteRunCheckpoints(threadId: string, runId: string): Promise<void> {
    this.setup();
    const ids = this.db
      .prepare(`SELECT checkpoint_id FROM checkpoints WHERE thread_id = ? AND json_extract(CAST(metadata AS TEXT), '$.run_id') = ?`)
      .all(threadId, runId) as Array<{ checkpoint_id: string }>;
    const removeWrites = this.db.prepare(`DELETE FROM writes WHERE thread_id = ? AND checkpoint_id = ?`);
    const removeCheckpoint = this.db.prepare(`DELETE FROM checkpoints WHERE thread_id = ? AND checkpoint_id = ?`);
    this.db.transaction(() => {
      for (const { checkpoint_id } of ids) {
        removeWrites.run(threadId, checkpoint_id);
        removeCheckpoint.run(threadId, checkpoint_id);
      }
    })();
  }

  async keepLatest(threadId: string): Promise<void> {
    this.setup();
    // Checkpoint ids grow with time (uuid6), as the saver's own "latest" lookup assumes.
    const older = (table: string) =>
      this.db.prepare(`DELETE FROM ${table} WHERE thread_id = ? AND (checkpoint_ns, checkpoint_id) NOT IN
        (SELECT checkpoint_ns, max(checkpoint_id) FROM checkpoints WHERE thread_id = ? GROUP BY checkpoint_ns)`);
    const removeWrites = older("writes");
    const removeCheckpoints = older("checkpoints");
    const orphan = this.db.prepare(`UPDATE checkpoints SET parent_checkpoint_id = NULL WHERE thread_id = ?`);
    this.db.transaction(() => {
      removeWrites.run(threadId, threadId);
      removeCheckpoints.run(threadId, threadId);
      orphan.run(threadId);
    })();
  }
}
