// A thread's state as the /threads/{tid}/state and /history routes see it (spec §3.4, §4.2):
// reads, updates (including time-travel forks) and history, through the thread's graph.
import { Command, InvalidUpdateError } from "@langchain/langgraph";
import type { CheckpointRef, JsonObject, Thread, ThreadState } from "../api-types.ts";
import type { Caller } from "../auth/caller.ts";
import { invalid, notFound, ServiceError, threadNotFound } from "../errors.ts";
import type { CompiledGraph, GraphRegistry } from "../graphs/registry.ts";
import { type CheckpointAddress, findThreadState, readStateHistory, stateConfigurable } from "../graphs/state-reader.ts";
import { checkpointRef, emptyThreadState } from "../graphs/thread-state.ts";
import type { Storage } from "../storage/types.ts";
import { patchLatestCheckpointMetadata } from "./thread-checkpoints.ts";
import { graphIdOf, requireThreadGraph, threadCheckpointer, threadGraph } from "./thread-graph.ts";
import { refreshThreadValues } from "./thread-refresh.ts";

/** A Checkpoint (spec §4.3) as a client sends it back; its `thread_id` is the path's. */
export interface CheckpointBody {
  checkpoint_id?: string | null;
  checkpoint_ns?: string | null;
  checkpoint_map?: JsonObject | null;
}

export interface StateUpdateBody {
  values?: unknown;
  as_node?: string | null;
  checkpoint?: CheckpointBody | null;
  checkpoint_id?: string | null;
}

/** One update of a superstep (spec §4.7): values, or a command, written as `as_node`. */
export interface StateUpdate {
  values?: unknown;
  command?: JsonObject | null;
  as_node: string;
}

export interface HistoryRequest {
  limit: number;
  /** A checkpoint id, or an object carrying one directly or under `configurable`. */
  before?: string | { checkpoint_id?: string | null; configurable?: { checkpoint_id?: string | null } } | null;
  metadata?: JsonObject | null;
  /** Selects a subgraph namespace. */
  checkpoint?: CheckpointBody | null;
}

export class ThreadStateService {
  constructor(
    private readonly storage: Storage,
    private readonly graphs: GraphRegistry,
  ) {}

  /**
   * The thread's latest committed state, as on the official server, also while a run is in
   * flight: a step that committed is never run again (a retry finds its checkpoint), so nothing a
   * reader saw is taken back. (Asking the run's workflow instead would wait, for a run of local
   * steps, until its workflow task completes: Temporal answers queries only between them.)
   */
  async latest(threadId: string, caller: Caller, options: { subgraphs?: boolean } = {}): Promise<ThreadState> {
    const thread = await this.readable(threadId, caller);
    const graph = await threadGraph(this.graphs, thread);
    if (!graph) return emptyThreadState();
    return (await findThreadState(graph, threadId, {}, options)) ?? emptyThreadState();
  }

  /** The state at a checkpoint: 404 when the thread has no such checkpoint. */
  async at(threadId: string, address: CheckpointAddress, caller: Caller, options: { subgraphs?: boolean } = {}): Promise<ThreadState> {
    const thread = await this.readable(threadId, caller);
    const graph = await threadGraph(this.graphs, thread);
    const state = graph && (await findThreadState(graph, threadId, address, options));
    if (state) return state;
    if (!address.checkpointId) return emptyThreadState();
    throw checkpointNotFound(address.checkpointId);
  }

  /**
   * Writes `values` as node `as_node` on top of the latest checkpoint, or of the named one (a
   * fork: the new checkpoint's parent is that checkpoint). Never changes the thread's status.
   */
  async update(threadId: string, body: StateUpdateBody, caller: Caller): Promise<{ checkpoint: CheckpointRef }> {
    if (typeof body.values !== "object" && body.values !== undefined) throw invalid("values", "must be an object, an array or null");
    const thread = await this.writable(threadId, caller);
    if ((await this.storage.runs.inflightForThread(threadId)).length > 0) throw new ServiceError("conflict", "Thread is busy");
    const graph = await requireThreadGraph(this.graphs, thread);
    const address = { ...addressOf(body.checkpoint), checkpointId: body.checkpoint?.checkpoint_id ?? body.checkpoint_id ?? undefined };
    // LangGraph would start a fresh history under an unknown parent id; that is a client mistake.
    if (address.checkpointId && !(await findThreadState(graph, threadId, address))) throw checkpointNotFound(address.checkpointId);
    const next = await asClientMistake(() =>
      graph.updateState(this.updateConfig(thread, address), body.values, body.as_node ?? undefined),
    );
    await this.refreshValues(graph, threadId);
    const checkpoint = checkpointRef(next);
    if (!checkpoint) throw new Error("LangGraph returned no checkpoint for the update");
    return { checkpoint };
  }

  /** Supersteps of thread creation (spec §4.7): applied in order, one checkpoint each. */
  async applySupersteps(thread: Thread, supersteps: Array<{ updates: StateUpdate[] }>): Promise<void> {
    const graph = await requireThreadGraph(this.graphs, thread);
    // One call, as the JS server makes it: LangGraph passes the config's metadata (our stamp:
    // graph and thread) to the call's first checkpoint only; the others name the thread.
    const steps = supersteps.map((superstep) => ({
      updates: superstep.updates.map((update) => ({
        values: update.command ? new Command(update.command as ConstructorParameters<typeof Command>[0]) : update.values,
        asNode: update.as_node,
      })),
    }));
    await asClientMistake(() => graph.bulkUpdateState(this.updateConfig(thread, {}), steps));
    await this.refreshValues(graph, thread.thread_id);
  }

  /** Merges `metadata` into the latest checkpoint's metadata (PATCH /state). */
  async patchMetadata(threadId: string, metadata: JsonObject, caller: Caller): Promise<void> {
    const thread = await this.writable(threadId, caller);
    const checkpointer = await threadCheckpointer(this.graphs, thread);
    if (!checkpointer || !(await patchLatestCheckpointMetadata(checkpointer, threadId, metadata))) {
      throw notFound(`Thread ${threadId} has no checkpoint`);
    }
  }

  /** Past states, newest first; `[]` for a thread without checkpoints. */
  async history(threadId: string, request: HistoryRequest, caller: Caller): Promise<ThreadState[]> {
    const thread = await this.readable(threadId, caller);
    const graph = await threadGraph(this.graphs, thread);
    if (!graph) return [];
    return readStateHistory(graph, threadId, {
      limit: request.limit,
      beforeCheckpointId: beforeCheckpointId(request.before),
      metadata: request.metadata ?? undefined,
      checkpoint: addressOf(request.checkpoint),
    });
  }

  private async readable(threadId: string, caller: Caller): Promise<Thread> {
    const thread = await this.storage.threads.get(threadId, await caller.authorize("threads", "read", { thread_id: threadId }));
    if (!thread) throw threadNotFound(threadId);
    return thread;
  }

  /** A thread the caller cannot see is 404; one it may see but not change is 403 (as the JS server). */
  private async writable(threadId: string, caller: Caller): Promise<Thread> {
    const thread = await this.readable(threadId, caller);
    const filters = await caller.authorize("threads", "update", { thread_id: threadId });
    if (filters && !(await this.storage.threads.get(threadId, filters))) throw new ServiceError("forbidden", "Forbidden");
    return thread;
  }

  /** Checkpoints written by edits carry the thread and graph, as run checkpoints do (spec §5.10). */
  private updateConfig(thread: Thread, address: CheckpointAddress) {
    return {
      configurable: stateConfigurable(thread.thread_id, address),
      metadata: { graph_id: graphIdOf(thread), thread_id: thread.thread_id },
    };
  }

  private async refreshValues(graph: CompiledGraph, threadId: string): Promise<void> {
    const latest = await findThreadState(graph, threadId, {});
    if (latest) await refreshThreadValues(this.storage, threadId, latest);
  }
}

export function addressOf(checkpoint: CheckpointBody | null | undefined): CheckpointAddress {
  return {
    checkpointId: checkpoint?.checkpoint_id ?? undefined,
    checkpointNs: checkpoint?.checkpoint_ns ?? undefined,
    checkpointMap: checkpoint?.checkpoint_map,
  };
}

/** `before` of a history request (spec §3.4): a checkpoint id, or an object that carries one. */
export function beforeCheckpointId(before: HistoryRequest["before"]): string | undefined {
  if (typeof before === "string") return before || undefined;
  return before?.checkpoint_id ?? before?.configurable?.checkpoint_id ?? undefined;
}

const checkpointNotFound = (checkpointId: string) => notFound(`Checkpoint ${checkpointId} not found`);

/**
 * LangGraph refuses an update it cannot attribute or apply (unknown node, ambiguous writer): a
 * 400; one addressed to a subgraph namespace the graph does not have: a 404.
 */
async function asClientMistake<T>(update: () => Promise<T>): Promise<T> {
  try {
    return await update();
  } catch (err) {
    // By name, as LangGraph's own is* checks do: the user's graph may throw from another copy
    // of @langchain/langgraph than ours (issue 17), where instanceof fails.
    if ((err as Error | undefined)?.name === InvalidUpdateError.unminifiable_name) throw new ServiceError("bad_request", (err as Error).message);
    // A plain Error in LangGraph (bulkUpdateState), so only its message tells.
    if (err instanceof Error && /^Subgraph ".*" not found$/s.test(err.message)) throw notFound(err.message);
    throw err;
  }
}
