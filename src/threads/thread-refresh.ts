// After a run starts or ends, the thread row is brought in line with the runs and the latest
// checkpoint: status (spec §5.2), values and pending interrupts (spec §4.1).
import { now, type ThreadState } from "../api-types.ts";
import type { Storage } from "../storage/types.ts";
import { threadStatus } from "../runs/thread-status.ts";

export async function refreshThread(storage: Storage, threadId: string, latest: ThreadState | null): Promise<void> {
  const [inflight, lastEnded] = await Promise.all([
    storage.runs.inflightForThread(threadId),
    storage.runs.lastEndedForThread(threadId),
  ]);
  const status = threadStatus({
    hasInflightRun: inflight.length > 0,
    lastEndedStatus: lastEnded?.status,
    hasPendingNext: (latest?.next.length ?? 0) > 0,
  });
  const interrupts: Record<string, unknown[]> = {};
  for (const task of latest?.tasks ?? []) if (task.interrupts.length > 0) interrupts[task.id] = task.interrupts;
  const timestamp = now();
  await storage.threads.update(threadId, {
    status,
    updated_at: timestamp,
    ...(latest?.checkpoint ? { values: latest.values, interrupts, state_updated_at: latest.created_at ?? timestamp } : {}),
  });
}
