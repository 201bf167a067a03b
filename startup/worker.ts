// The worker: runs the thread workflow and its activities on the run task queue.
import { Worker, type NativeConnection } from "@temporalio/worker";
import { createActivities, type ActivityDeps } from "../activities/index.ts";
import type { TemporalSettings } from "../src/settings.ts";
import { workflowBundle } from "./workflow-bundle.ts";

export async function createRunWorker(connection: NativeConnection, settings: TemporalSettings, deps: ActivityDeps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    workflowBundle: await workflowBundle(settings.cacheDir),
    activities: createActivities(deps),
    // SIGTERM: steps in flight get this long to finish before they are handed back.
    shutdownGraceTime: "20s",
    // A cancel reaches a step with the answer to its next heartbeat; the SDK would otherwise
    // send them only every 80% of the heartbeat timeout, delaying cancels by seconds.
    maxHeartbeatThrottleInterval: "500ms",
    // A workflow task waiting on the sticky queue of a worker that died is handed to another
    // worker after this long (default 10 s): the pause a crash adds between two steps.
    stickyQueueScheduleToStartTimeout: "2s",
  });
}
