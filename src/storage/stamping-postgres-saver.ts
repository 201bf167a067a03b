// The scale-out checkpointer: LangGraph's PostgresSaver with the run stamp and the rollback of
// stamping-checkpointer.ts, and channel versions that never repeat.
import type { RunnableConfig } from "@langchain/core/runnables";
import type { ChannelVersions, Checkpoint, CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type pg from "pg";
import { stampedMetadata, type RunCheckpointer } from "./stamping-checkpointer.ts";

/** PostgresSaver's tables live in this schema (its default, named so the queries below agree). */
const SCHEMA = "public";
const CHECKPOINTS = `"${SCHEMA}".checkpoints`;
const WRITES = `"${SCHEMA}".checkpoint_writes`;
const BLOBS = `"${SCHEMA}".checkpoint_blobs`;

export class StampingPostgresSaver extends PostgresSaver implements RunCheckpointer {
  constructor(private readonly db: pg.Pool) {
    super(db, undefined, { schema: SCHEMA });
  }

  override put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions) {
    return super.put(config, checkpoint, stampedMetadata(config, metadata), newVersions);
  }

  /**
   * PostgresSaver stores channel values apart from checkpoints, keyed by channel and version, and
   * keeps the first value stored under a key. LangGraph's plain counters repeat once a run is
   * rolled back or the state is forked from an older checkpoint, and the new value would then be
   * read as the old one. A random fraction above the next integer keeps versions ordered and
   * makes every one of them new.
   */
  override getNextVersion(current: number | undefined): number {
    return Math.floor(current ?? 0) + 1 + Math.random();
  }

  async deleteRunCheckpoints(threadId: string, runId: string): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query(
        `WITH gone AS (
           DELETE FROM ${CHECKPOINTS} WHERE thread_id = $1 AND metadata ->> 'run_id' = $2
           RETURNING checkpoint_ns, checkpoint_id)
         DELETE FROM ${WRITES} w USING gone
         WHERE w.thread_id = $1 AND w.checkpoint_ns = gone.checkpoint_ns AND w.checkpoint_id = gone.checkpoint_id`,
        [threadId, runId],
      );
      // Channel values that no remaining checkpoint refers to were written by the run alone.
      await deleteUnreferencedBlobs(client, threadId);
    });
  }

  async keepLatest(threadId: string): Promise<void> {
    await this.inTransaction(async (client) => {
      const latest = `(checkpoint_ns, checkpoint_id) NOT IN
        (SELECT checkpoint_ns, max(checkpoint_id) FROM ${CHECKPOINTS} WHERE thread_id = $1 GROUP BY checkpoint_ns)`;
      await client.query(`DELETE FROM ${WRITES} WHERE thread_id = $1 AND ${latest}`, [threadId]);
      await client.query(`DELETE FROM ${CHECKPOINTS} WHERE thread_id = $1 AND ${latest}`, [threadId]);
      await client.query(`UPDATE ${CHECKPOINTS} SET parent_checkpoint_id = NULL WHERE thread_id = $1`, [threadId]);
      await deleteUnreferencedBlobs(client, threadId);
    });
  }

  private async inTransaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.db.connect();
    try {
      await client.query("BEGIN");
      await work(client);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK");
      throw err;
    } finally {
      client.release();
    }
  }
}

/** Channel values (stored apart, by version) that no checkpoint of the thread refers to any more. */
async function deleteUnreferencedBlobs(client: pg.PoolClient, threadId: string): Promise<void> {
  await client.query(
    `DELETE FROM ${BLOBS} b
     WHERE b.thread_id = $1 AND NOT EXISTS (
       SELECT 1 FROM ${CHECKPOINTS} c, jsonb_each_text(c.checkpoint -> 'channel_versions') v
       WHERE c.thread_id = b.thread_id AND c.checkpoint_ns = b.checkpoint_ns AND v.key = b.channel AND v.value = b.version)`,
    [threadId],
  );
}
