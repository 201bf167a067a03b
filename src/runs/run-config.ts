// What a run hands to LangGraph: its RunnableConfig (spec §5.10) and its graph input.
import { Command } from "@langchain/langgraph";
import type { StoredRun } from "../api-types.ts";

/**
 * Written into checkpoint metadata beside the run's own metadata (spec §5.10); `ls_integration`
 * as the official server writes it (issue 12).
 */
const HOST_METADATA = { langgraph_plan: "developer", langgraph_host: "self-hosted", ls_integration: "langgraph" };

export function graphIdOf(run: StoredRun): string {
  return String(run.kwargs.config.configurable.graph_id);
}

export function runnableConfig(run: StoredRun, attempt: number, langgraphVersion: string) {
  // A pinned checkpoint (time travel) applies to the run's first step only; later steps
  // continue from the thread's latest checkpoint.
  const { checkpoint_id: _pinned, ...configurable } = run.kwargs.config.configurable;
  const scalars = Object.fromEntries(
    Object.entries(configurable).filter(([, v]) => ["string", "number", "boolean"].includes(typeof v)),
  );
  return {
    configurable: { ...configurable, thread_id: run.thread_id },
    metadata: { ...run.metadata, ...scalars, run_attempt: attempt, langgraph_version: langgraphVersion, ...HOST_METADATA },
    tags: run.kwargs.config.tags,
    recursionLimit: run.kwargs.config.recursion_limit,
    context: run.kwargs.context,
    durability: run.kwargs.durability,
  };
}

/**
 * The input of a run's first step: a resume/update/goto command, else the input as sent.
 * LangGraph knows a Command by its `lg_name` marker, not its class, so ours also drives a graph
 * built with the user's own copy of @langchain/langgraph (issue 17).
 */
export function graphInput(run: StoredRun): unknown {
  const { command, input } = run.kwargs;
  if (command) return new Command(command as ConstructorParameters<typeof Command>[0]);
  return input ?? null;
}
