// TTLs are enforced by one Temporal Schedule per server, `ttl-sweep-<task queue>`, which starts
// a ttlSweepWorkflow every sweep interval (issue 14). One sweeping Schedule rather than a timer
// per thread: no open workflow per thread, no signal on every thread update to move a timer,
// and the thread workflow (the one-run lock) stays as it is; the sweep is visible, pausable and
// triggerable in the Web UI, and a store sweep joins it as one more sweeper.
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from "@temporalio/client";
import { TTL_SWEEP_WORKFLOW_TYPE, ttlSweepScheduleId } from "../../workflows/scheduled-shared.ts";

/** Creates the sweep's Schedule, or sets the interval of the one that exists. */
export async function ensureTtlSweepSchedule(client: Client, taskQueue: string, intervalSeconds: number): Promise<void> {
  const scheduleId = ttlSweepScheduleId(taskQueue);
  const options = {
    spec: { intervals: [{ every: `${intervalSeconds}s` }] },
    action: {
      type: "startWorkflow" as const,
      workflowType: TTL_SWEEP_WORKFLOW_TYPE,
      args: [],
      taskQueue,
      workflowId: scheduleId,
      staticSummary: `TTL sweep every ${intervalSeconds} s`,
    },
    // A sweep still running makes the next one pointless; a missed one is made up by the next.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: "1 minute" },
  };
  try {
    await client.schedule.create({ scheduleId, ...options });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    // API replicas start together: each sets the same definition. A pause made in the Web UI stays.
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...options, state: previous.state }));
  }
}

/**
 * The interval: TTL_SWEEP_INTERVAL_SECONDS, else the shortest of langgraph.json's intervals
 * (`checkpointer.ttl.sweep_interval_minutes`, and the store's once it has one).
 */
export function sweepIntervalSeconds(overrideSeconds: number | undefined, ...minutes: number[]): number {
  return overrideSeconds ?? Math.max(1, Math.round(Math.min(...minutes) * 60));
}
