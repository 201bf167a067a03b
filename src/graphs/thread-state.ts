// Converts LangGraph's StateSnapshot into the ThreadState of the API (spec §4.2).
import type { StateSnapshot } from "@langchain/langgraph";
import type { CheckpointRef, JsonObject, ThreadState, ThreadTask } from "../api-types.ts";
import { toPlainJson } from "./serialize.ts";

type Configurable = { thread_id?: string; checkpoint_ns?: string; checkpoint_id?: string; checkpoint_map?: JsonObject };

export function checkpointRef(config: { configurable?: Configurable } | undefined): CheckpointRef | null {
  const c = config?.configurable;
  if (!c?.checkpoint_id || !c.thread_id) return null;
  return { thread_id: c.thread_id, checkpoint_ns: c.checkpoint_ns ?? "", checkpoint_id: c.checkpoint_id, checkpoint_map: c.checkpoint_map ?? null };
}

export function emptyThreadState(): ThreadState {
  return { values: {}, next: [], tasks: [], metadata: null, created_at: null, checkpoint: null, parent_checkpoint: null, interrupts: [] };
}

export function toThreadState(snapshot: StateSnapshot): ThreadState {
  const tasks: ThreadTask[] = snapshot.tasks.map((task) => ({
    id: task.id,
    name: task.name,
    path: task.path as unknown[] | undefined,
    error: task.error === undefined || task.error === null ? null : errorText(task.error),
    interrupts: toPlainJson(task.interrupts ?? []) as unknown[],
    checkpoint: subgraphCheckpoint(task.state),
    state: task.state && "values" in task.state ? toThreadState(task.state as StateSnapshot) : null,
    result: task.result === undefined ? null : toPlainJson(task.result),
  }));
  return {
    values: toPlainJson(snapshot.values),
    next: [...snapshot.next],
    tasks,
    metadata: snapshot.metadata ? withoutRootNamespace(toPlainJson(snapshot.metadata) as JsonObject) : null,
    created_at: snapshot.createdAt ?? null,
    checkpoint: checkpointRef(snapshot.config as { configurable?: Configurable }),
    parent_checkpoint: checkpointRef(snapshot.parentConfig as { configurable?: Configurable } | undefined),
    interrupts: tasks.flatMap((t) => t.interrupts),
  };
}

/**
 * A subgraph task's checkpoint, as the official server gives it: the config LangGraph names the
 * subgraph by (`{thread_id, checkpoint_ns}`), or null when the task carries the subgraph's
 * whole state instead (`subgraphs=true`, whose `state.checkpoint` says where it is).
 */
function subgraphCheckpoint(state: StateSnapshot["tasks"][number]["state"]): JsonObject | null {
  if (!state || "values" in state) return null;
  return ((state as { configurable?: JsonObject }).configurable ?? null);
}

/** A `checkpoint_ns` of `""` (the root graph) says nothing and is omitted (spec §4.2). */
function withoutRootNamespace(metadata: JsonObject): JsonObject {
  if (metadata.checkpoint_ns !== "") return metadata;
  const { checkpoint_ns: _root, ...rest } = metadata;
  return rest;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === "string" ? error : JSON.stringify(error);
}
