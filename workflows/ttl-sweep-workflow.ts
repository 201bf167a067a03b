// One TTL sweep (started by the sweep Schedule every sweep interval): an activity removes what
// has outlived its TTL. New kinds of expiring records join the activity, not this workflow.
import { proxyActivities } from "@temporalio/workflow";
import type { ScheduledActivities } from "../activities/scheduled.ts";
import type { SweepReport } from "./scheduled-shared.ts";

const { sweepExpired } = proxyActivities<ScheduledActivities>({
  startToCloseTimeout: "10 minutes",
  heartbeatTimeout: "1 minute",
  // The next sweep comes anyway.
  retry: { maximumAttempts: 3 },
});

export async function ttlSweepWorkflow(): Promise<SweepReport> {
  return sweepExpired();
}
