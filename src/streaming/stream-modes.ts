// Stream modes as clients name them, and how they map onto LangGraph's modes and the SSE event
// names of spec §5.9.2. Both the step activity (what to ask the graph for) and the stream
// readers (what `?stream_mode=` lets through) use this one table.
import type { StreamMode } from "@langchain/langgraph";

/** The stream modes a client may ask for (spec §5.9.2). */
export const STREAM_MODES = ["values", "updates", "messages", "messages-tuple", "custom", "events", "debug", "tasks", "checkpoints", "tools"] as const;

/** Events every reader gets whatever modes it asked for (spec §5.9.5). */
const ALWAYS_DELIVERED = new Set(["metadata", "error"]);

/** API mode → the LangGraph `streamMode` that produces it. */
const GRAPH_MODE: Record<string, StreamMode> = {
  values: "values",
  updates: "updates",
  "messages-tuple": "messages",
  custom: "custom",
  debug: "debug",
  tasks: "tasks",
  checkpoints: "checkpoints",
  tools: "tools",
};

/** LangGraph modes to request for the run's API modes (`events` comes from streamEvents instead). */
export function graphStreamModes(apiModes: readonly string[]): StreamMode[] {
  return [...new Set(apiModes.flatMap((mode) => (GRAPH_MODE[mode] ? [GRAPH_MODE[mode]] : [])))];
}

/** The API modes whose events come from this LangGraph mode. */
export function apiModeOf(graphMode: string): string {
  return graphMode === "messages" ? "messages-tuple" : graphMode;
}

/** SSE event name of a chunk: `messages-tuple` chunks are `messages`; subgraphs add `|<ns>`. */
export function eventName(apiMode: string, namespace: readonly string[]): string {
  const base = apiMode === "messages-tuple" ? "messages" : apiMode;
  return namespace.length > 0 ? `${base}|${namespace.join("|")}` : base;
}

/** Whether a reader that asked for `modes` gets an event of this name. */
export function deliversEvent(modes: ReadonlySet<string>, event: string): boolean {
  if (ALWAYS_DELIVERED.has(event)) return true;
  const base = event.split("|")[0]!;
  const mode = base === "messages" ? "messages-tuple" : base.startsWith("messages/") ? "messages" : base;
  return modes.has(mode);
}
