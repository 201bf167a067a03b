// After a run starts or ends, the thread row is brought in line with the runs and the latest
// checkpoint: status (spec §5.2), values and pending interrupts (spec §4.1).
import { now, type ThreadState } from "../api-types.ts";
import type { Storage, ThreadPatch } from "../storage/types.ts";
import { threadStatus } from "../runs/thread-status.ts";

export async function refreshThread(storage: Storage, threadId: string, latest: ThreadState | null): Promise<void> {
  const hasPendingNext = (latest?.next.length ?? 0) > 0;
  const timestamp = now();
  await storage.threads.updateStatus(threadId, (runs) => threadStatus({ ...runs, hasPendingNext }), { updated_at: timestamp, ...stateColumns(latest, timestamp) });
}

/**
 * After a state edit outside runs (POST /state, supersteps, copy): values and interrupts follow
 * the latest checkpoint, the status stays as it is (spec §5.2).
 */
export async function refreshThreadValues(storage: Storage, threadId: string, latest: ThreadState): Promise<void> {
  const timestamp = now();
  await storage.threads.update(threadId, { updated_at: timestamp, ...stateColumns(latest, timestamp) });
}

function stateColumns(latest: ThreadState | null, timestamp: string): ThreadPatch {
  if (!latest?.checkpoint) return {};
  const interrupts: Record<string, unknown[]> = {};
  for (const task of latest.tasks) if (task.interrupts.length > 0) interrupts[task.id] = task.interrupts;
  return { values: latest.values, interrupts, state_updated_at: latest.created_at ?? timestamp };
}
