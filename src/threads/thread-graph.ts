// The graph behind a thread is the one named by its `metadata.graph_id` (stamped by every run,
// or given at creation, spec §4.1); state reads and edits go through that graph.
import type { JsonObject, Thread } from "../api-types.ts";
import { ServiceError } from "../errors.ts";
import type { CompiledGraph, GraphRegistry } from "../graphs/registry.ts";
import type { RunCheckpointer } from "../storage/stamping-checkpointer.ts";

export function graphIdOf(thread: Pick<Thread, "metadata">): string | undefined {
  const graphId = thread.metadata.graph_id;
  return typeof graphId === "string" ? graphId : undefined;
}

/** The thread's graph, or undefined when it has none (it never ran and was created without one). */
export async function threadGraph(graphs: GraphRegistry, thread: Thread): Promise<CompiledGraph | undefined> {
  const graphId = graphIdOf(thread);
  if (graphId === undefined || !graphs.has(graphId)) return undefined;
  return graphs.get(graphId, { configurable: (thread.config.configurable ?? {}) as JsonObject });
}

/** The graph that state edits need: 400 when the thread names none (spec §6.2). */
export async function requireThreadGraph(graphs: GraphRegistry, thread: Pick<Thread, "thread_id" | "metadata" | "config">): Promise<CompiledGraph> {
  const graphId = graphIdOf(thread);
  if (graphId === undefined) throw new ServiceError("bad_request", `Thread ${thread.thread_id} has no graph ID`);
  if (!graphs.has(graphId)) {
    throw new ServiceError("bad_request", `Thread ${thread.thread_id} has graph ID "${graphId}", which is not a graph of this server`);
  }
  return graphs.get(graphId, { configurable: (thread.config.configurable ?? {}) as JsonObject });
}

/**
 * The server's checkpointer, for copying, pruning and deleting checkpoints. The registry wires
 * one checkpointer, a RunCheckpointer, into every graph; the thread's own graph is asked first,
 * since a thread whose graph is gone from langgraph.json may still have checkpoints.
 */
export async function threadCheckpointer(graphs: GraphRegistry, thread: Thread): Promise<RunCheckpointer | undefined> {
  const anyGraphId = graphs.graphIds()[0];
  const graph = (await threadGraph(graphs, thread)) ?? (anyGraphId === undefined ? undefined : await graphs.get(anyGraphId));
  return typeof graph?.checkpointer === "object" ? (graph.checkpointer as RunCheckpointer) : undefined;
}
