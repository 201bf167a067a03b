import type { ThreadState } from "../api-types.ts";
import type { CompiledGraph } from "./registry.ts";
import { emptyThreadState, toThreadState } from "./thread-state.ts";

/** The thread's state at a checkpoint (the latest when none is named); empty when it has none. */
export async function readThreadState(graph: CompiledGraph, threadId: string, checkpointId?: string): Promise<ThreadState> {
  const snapshot = await graph.getState({
    configurable: { thread_id: threadId, checkpoint_ns: "", ...(checkpointId ? { checkpoint_id: checkpointId } : {}) },
  });
  return snapshot.config.configurable?.checkpoint_id ? toThreadState(snapshot) : emptyThreadState();
}
