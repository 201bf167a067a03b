// The `data` line of an SSE event (spec §5.9.1-§5.9.3): compact one-line JSON of what the graph
// streamed, with LangChain messages as plain dicts and checkpoints in the API's shape.
import { toPlainJson } from "../graphs/serialize.ts";

type Config = { callbacks?: unknown; configurable?: Record<string, unknown> } & Record<string, unknown>;

interface GraphCheckpoint {
  config: Config;
  parentConfig?: Config;
  values: unknown;
  metadata: unknown;
  next: string[];
  tasks: Task[];
}

export function eventData(mode: string, payload: unknown): string {
  return JSON.stringify(toPlainJson(apiShape(mode, payload)));
}

function apiShape(mode: string, payload: unknown): unknown {
  if (mode === "checkpoints") return checkpointView(payload as GraphCheckpoint);
  if (mode === "tasks") return taskView(payload as Task);
  if (mode === "debug") {
    const record = payload as { type: string; payload: unknown };
    if (record.type === "checkpoint") return { ...record, payload: debugCheckpointView(record.payload as GraphCheckpoint) };
    if (record.type === "task_result") return { ...record, payload: taskView(record.payload as Task) };
  }
  return payload;
}

/**
 * `{config, parent_config, values, metadata, next, tasks}` (spec §5.9.2; LangGraph.js says
 * `parentConfig`), as one uninterrupted loop shows it (issue 12). A step that continues a run
 * reads its starting checkpoint back from storage, where the checkpointer stamped the run's
 * metadata into the checkpoint's and kept only the parent's address: the loop's own view has
 * neither, and its parent config is the run's config at the parent checkpoint.
 */
function checkpointView({ config, parentConfig, values, metadata, next, tasks }: GraphCheckpoint) {
  const shown = publicConfig(config);
  const stamp = (config.metadata ?? {}) as Record<string, unknown>;
  const stored = (metadata ?? {}) as Record<string, unknown>;
  // A checkpoint an earlier run wrote (a resumed thread) reads as stored, on the oracle too.
  if (stored.run_id !== undefined && stored.run_id !== stamp.run_id) {
    return { config: shown, parent_config: parentConfig ? publicConfig(parentConfig) : null, values, metadata, next, tasks: tasks.map(taskView) };
  }
  const parent = parentConfig ? { ...shown, configurable: publicConfig(parentConfig).configurable } : null;
  const loopMetadata = Object.fromEntries(Object.entries(stored).filter(([key]) => !(key in stamp)));
  return { config: shown, parent_config: parent, values, metadata: metadata ? loopMetadata : metadata, next, tasks: tasks.map(taskView) };
}

/**
 * A debug checkpoint also names its checkpoint and its parent as thread-state checkpoints do,
 * every one of them including the run's first (step -1), as on the official server (issue 12).
 */
function debugCheckpointView(checkpoint: GraphCheckpoint) {
  const { parent_config, ...view } = checkpointView(checkpoint);
  // The official server leaves `parent_config` out where there is no parent.
  return { ...view, ...(parent_config ? { parent_config } : {}), checkpoint: checkpointRef(checkpoint.config), parent_checkpoint: checkpointRef(checkpoint.parentConfig) };
}

type Task = Record<string, unknown> & { state?: unknown };

/** A subgraph task names its subgraph by config: shown as the `checkpoint` it will write. */
function taskView(task: Task): Task {
  const configurable = (task.state as Config | undefined)?.configurable;
  if (!configurable?.thread_id) return task;
  const { state: _state, ...rest } = task;
  return { ...rest, checkpoint: checkpointRef(task.state as Config, null) };
}

function checkpointRef(config: Config | undefined, missingId?: null) {
  const c = config?.configurable;
  if (!c?.thread_id) return null;
  return {
    thread_id: c.thread_id,
    checkpoint_id: c.checkpoint_id ?? missingId,
    checkpoint_ns: c.checkpoint_ns || "",
    checkpoint_map: c.checkpoint_map || null,
  };
}

/** Callbacks and LangGraph's internal `__…` keys are the process's business, not the client's. */
function publicConfig({ callbacks: _callbacks, configurable, ...config }: Config) {
  const shown = configurable && Object.fromEntries(Object.entries(configurable).filter(([key]) => !key.startsWith("__")));
  return { ...(shown ? { configurable: shown } : {}), ...config };
}
