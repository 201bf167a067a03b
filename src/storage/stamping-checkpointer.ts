// LangGraph.js writes only `source`, `step` and `parents` into checkpoint metadata. The Agent
// Server API also shows the run's metadata there (spec §5.10: run_id, graph_id, run_attempt, …),
// and the step activity finds its own commits by `run_id`, so every put stamps the config's
// metadata underneath the runtime's keys.
import type { RunnableConfig } from "@langchain/core/runnables";
import type { Checkpoint, CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";

export function runStamp(config: RunnableConfig): Record<string, unknown> {
  // LangSmith's `ls_*` keys describe the tracer, not the run.
  return Object.fromEntries(Object.entries(config.metadata ?? {}).filter(([key]) => !key.startsWith("ls_")));
}

export class StampingSqliteSaver extends SqliteSaver {
  override put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata) {
    return super.put(config, checkpoint, { ...runStamp(config), ...metadata } as CheckpointMetadata);
  }
}
