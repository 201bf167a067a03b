// Reads thread state through LangGraph's own state API (graph.getState / getStateHistory), so
// pending writes, interrupts and subgraph namespaces are interpreted as the runtime does.
import type { JsonObject, ThreadState } from "../api-types.ts";
import type { CompiledGraph } from "./registry.ts";
import { emptyThreadState, toThreadState } from "./thread-state.ts";

/** Which checkpoint to read: the latest of the root graph unless named. */
export interface CheckpointAddress {
  checkpointId?: string;
  /** `""` for the root graph; `"<node>:<task id>"` for a subgraph (spec §4.3). */
  checkpointNs?: string;
  checkpointMap?: JsonObject | null;
}

export function stateConfigurable(threadId: string, address: CheckpointAddress = {}) {
  return {
    thread_id: threadId,
    checkpoint_ns: address.checkpointNs ?? "",
    ...(address.checkpointId ? { checkpoint_id: address.checkpointId } : {}),
    ...(address.checkpointMap ? { checkpoint_map: address.checkpointMap } : {}),
  };
}

/** The thread's state at a checkpoint (the latest when none is named); empty when it has none. */
export async function readThreadState(graph: CompiledGraph, threadId: string, checkpointId?: string): Promise<ThreadState> {
  return (await findThreadState(graph, threadId, { checkpointId })) ?? emptyThreadState();
}

/** The state at the addressed checkpoint; undefined when no such checkpoint exists. */
export async function findThreadState(
  graph: CompiledGraph,
  threadId: string,
  address: CheckpointAddress,
  options: { subgraphs?: boolean } = {},
): Promise<ThreadState | undefined> {
  const snapshot = await graph.getState({ configurable: stateConfigurable(threadId, address) }, { subgraphs: options.subgraphs ?? false });
  // Without a stored checkpoint LangGraph answers an empty snapshot that echoes the request's config.
  return snapshot.createdAt ? toThreadState(snapshot) : undefined;
}

export interface HistoryQuery {
  limit: number;
  /** Only checkpoints older than this one. */
  beforeCheckpointId?: string;
  /** Equality on each key of the checkpoint metadata. */
  metadata?: JsonObject;
  /** The namespace to list; a checkpoint id here is passed through to the checkpointer. */
  checkpoint?: CheckpointAddress;
}

/** Checkpoints of the thread, newest first. */
export async function readStateHistory(graph: CompiledGraph, threadId: string, query: HistoryQuery): Promise<ThreadState[]> {
  const states: ThreadState[] = [];
  const history = graph.getStateHistory(
    { configurable: stateConfigurable(threadId, query.checkpoint) },
    {
      limit: query.limit,
      ...(query.beforeCheckpointId ? { before: { configurable: { checkpoint_id: query.beforeCheckpointId } } } : {}),
      ...(query.metadata ? { filter: query.metadata } : {}),
    },
  );
  for await (const snapshot of history) states.push(toThreadState(snapshot));
  return states;
}
