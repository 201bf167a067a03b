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
  tasks: unknown[];
}

export function eventData(mode: string, payload: unknown): string {
  return JSON.stringify(toPlainJson(apiShape(mode, payload)));
}

function apiShape(mode: string, payload: unknown): unknown {
  if (mode === "checkpoints") return checkpointView(payload as GraphCheckpoint);
  if (mode === "debug") {
    const record = payload as { type: string; payload: unknown };
    if (record.type === "checkpoint") return { ...record, payload: checkpointView(record.payload as GraphCheckpoint) };
  }
  return payload;
}

/** `{config, parent_config, values, metadata, next, tasks}` (spec §5.9.2; LangGraph.js says `parentConfig`). */
function checkpointView({ config, parentConfig, values, metadata, next, tasks }: GraphCheckpoint) {
  return { config: publicConfig(config), parent_config: parentConfig ? publicConfig(parentConfig) : null, values, metadata, next, tasks };
}

/** Callbacks and LangGraph's internal `__…` keys are the process's business, not the client's. */
function publicConfig({ callbacks: _callbacks, configurable, ...config }: Config) {
  const shown = configurable && Object.fromEntries(Object.entries(configurable).filter(([key]) => !key.startsWith("__")));
  return { ...(shown ? { configurable: shown } : {}), ...config };
}
