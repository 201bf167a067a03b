// recursion_limit counts a run's super-steps (issue 12). In one uninterrupted graph call,
// LangGraph raises GraphRecursionError once `limit` super-steps have run, at the next tick, even
// when nothing is left to run; only an interrupt (interrupt(), interrupt_after) comes first.
// Each step activity is its own graph call that ends at `interruptAfter: "*"` before that
// check, so the step makes it: after its super-step, against every super-step the run ran.
import { GraphRecursionError } from "@langchain/langgraph";
import type { CompiledGraph } from "../graphs/registry.ts";

/** LangGraph's own default (DEFAULT_LOOP_LIMIT). */
export const DEFAULT_RECURSION_LIMIT = 25;

/**
 * Throws the run's GraphRecursionError when its super-steps reached the limit. `step` is the
 * activity's 1-based step: a run has run at most that many super-steps, so below the limit
 * there is nothing to count.
 */
export async function enforceRecursionLimit(graph: CompiledGraph, run: { thread_id: string; run_id: string }, step: number, limit: number): Promise<void> {
  if (step < limit) return;
  if ((await superStepsOf(graph, run.thread_id, run.run_id)) >= limit) throw recursionError(limit);
}

function recursionError(limit: number): GraphRecursionError {
  return new GraphRecursionError(
    `Recursion limit of ${limit} reached without hitting a stop condition. You can increase the limit by setting the "recursionLimit" config key.`,
    { lc_error_code: "GRAPH_RECURSION_LIMIT" },
  );
}

/** Super-steps the run ran: each wrote one `loop` checkpoint of the root graph. */
async function superStepsOf(graph: CompiledGraph, threadId: string, runId: string): Promise<number> {
  const checkpointer = graph.checkpointer;
  if (!checkpointer || typeof checkpointer === "boolean") return 0;
  let count = 0;
  for await (const _ of checkpointer.list({ configurable: { thread_id: threadId, checkpoint_ns: "" } }, { filter: { run_id: runId, source: "loop" } })) count++;
  return count;
}
