// Whole-thread checkpoint maintenance (copy, metadata patch), written against
// LangGraph's checkpointer interface (list / getTuple / put / putWrites / deleteThread) so that
// any of its savers (SQLite, PostgreSQL) works.
import type { BaseCheckpointSaver, CheckpointMetadata, CheckpointTuple } from "@langchain/langgraph-checkpoint";
import type { JsonObject } from "../api-types.ts";

/** Every checkpoint of the thread, all namespaces, oldest first (so parents are written first). */
async function allCheckpoints(checkpointer: BaseCheckpointSaver, threadId: string): Promise<CheckpointTuple[]> {
  const tuples: CheckpointTuple[] = [];
  for await (const tuple of checkpointer.list({ configurable: { thread_id: threadId } })) tuples.push(tuple);
  return tuples.reverse();
}

/**
 * Writes a checkpoint (with its pending writes) under `threadId`, keeping its id. Its parent is
 * `parentId` (none when undefined). All channel versions are given as new so that savers which
 * store channel values apart (PostgreSQL) store every one of them.
 */
async function writeCheckpoint(
  checkpointer: BaseCheckpointSaver,
  threadId: string,
  tuple: CheckpointTuple,
  parentId: string | undefined,
  metadata: CheckpointMetadata,
): Promise<void> {
  const checkpointNs = String(tuple.config.configurable?.checkpoint_ns ?? "");
  await checkpointer.put(
    { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, ...(parentId ? { checkpoint_id: parentId } : {}) } },
    tuple.checkpoint,
    metadata,
    tuple.checkpoint.channel_versions,
  );
  const writesByTask = new Map<string, Array<[string, unknown]>>();
  for (const [taskId, channel, value] of tuple.pendingWrites ?? []) {
    const writes = writesByTask.get(taskId) ?? [];
    writes.push([channel, value]);
    writesByTask.set(taskId, writes);
  }
  const at = { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: tuple.checkpoint.id } };
  for (const [taskId, writes] of writesByTask) await checkpointer.putWrites(at, writes, taskId);
}

/**
 * Copies every checkpoint of `fromThreadId` to `toThreadId` with the same checkpoint ids and
 * parents; a `thread_id` stamped in checkpoint metadata names the copy (spec §3.4 copy).
 */
export async function copyCheckpoints(checkpointer: BaseCheckpointSaver, fromThreadId: string, toThreadId: string): Promise<void> {
  for (const tuple of await allCheckpoints(checkpointer, fromThreadId)) {
    const metadata = { ...tuple.metadata } as CheckpointMetadata & JsonObject;
    if ("thread_id" in metadata) metadata.thread_id = toThreadId;
    await writeCheckpoint(checkpointer, toThreadId, tuple, tuple.parentConfig?.configurable?.checkpoint_id, metadata);
  }
}

/** Merges `patch` into the metadata of the thread's latest root checkpoint; false when it has none. */
export async function patchLatestCheckpointMetadata(checkpointer: BaseCheckpointSaver, threadId: string, patch: JsonObject): Promise<boolean> {
  const latest = await checkpointer.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: "" } });
  if (!latest) return false;
  const metadata = { ...latest.metadata, ...patch } as CheckpointMetadata;
  await writeCheckpoint(checkpointer, threadId, latest, latest.parentConfig?.configurable?.checkpoint_id, metadata);
  return true;
}
