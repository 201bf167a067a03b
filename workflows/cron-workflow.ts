// One fire of a cron (started by its Temporal Schedule): submit the cron's run through the runs
// service, exactly as POST /threads/{thread_id}/runs does, then wait for that run to end, so that
// the Schedule's overlap policy (from the multitask strategy) sees a fire as busy while its run is.
import { proxyActivities, uuid4 } from "@temporalio/workflow";
import type { ScheduledActivities } from "../activities/scheduled.ts";
import type { CronFireOutcome, CronWorkflowInput } from "./scheduled-shared.ts";

const { fireCron } = proxyActivities<ScheduledActivities>({
  startToCloseTimeout: "1 minute",
  // A database or Temporal outage delays the fire; refusals are outcomes, not failures.
  retry: { initialInterval: "1 second", maximumInterval: "30 seconds" },
});

const { awaitRunEnd } = proxyActivities<ScheduledActivities>({
  // Bounded by the run's own limits; the heartbeat notices a worker that died.
  startToCloseTimeout: "7 days",
  heartbeatTimeout: "10 seconds",
  retry: { initialInterval: "1 second", maximumInterval: "10 seconds" },
});

export async function cronWorkflow({ cronId }: CronWorkflowInput): Promise<CronFireOutcome> {
  // Chosen here, so a retried fireCron finds the run it already created instead of making another.
  const runId = uuid7(Date.now(), uuid4());
  const outcome = await fireCron({ cronId, runId });
  if (outcome.fired) await awaitRunEnd({ runId: outcome.runId });
  return outcome;
}

/** A UUIDv7 (run ids sort by creation) from the workflow's deterministic clock and randomness. */
function uuid7(ms: number, uuidV4: string): string {
  const hex = ms.toString(16).padStart(12, "0") + "7" + uuidV4.replace(/-/g, "").slice(13);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
