// The worker: runs the thread workflow and its activities on the run task queue.
import { Worker, type NativeConnection } from "@temporalio/worker";
import { createActivities, type ActivityDeps } from "../activities/index.ts";
import type { TemporalSettings } from "../src/settings.ts";
import { workflowBundle } from "./workflow-bundle.ts";

/** After SIGTERM, when the worker stops waiting for local steps in flight (see shutdownForceTime). */
export const SHUTDOWN_FORCE_SECONDS = 25;

export async function createRunWorker(connection: NativeConnection, settings: TemporalSettings, deps: ActivityDeps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    workflowBundle: await workflowBundle(settings.cacheDir),
    activities: createActivities(deps),
    // SIGTERM: steps in flight get this long to finish before they are handed back.
    shutdownGraceTime: "20s",
    // A local step in flight past the grace time holds its workflow task, which the SDK waits for:
    // the worker gives up at this point, and the task times out and goes to another worker, as
    // after a crash (the run's step starts again there).
    shutdownForceTime: `${SHUTDOWN_FORCE_SECONDS}s`,
    // A cancel reaches a step with the answer to its next heartbeat; the SDK would otherwise
    // send them only every 80% of the heartbeat timeout, delaying cancels by seconds.
    maxHeartbeatThrottleInterval: "500ms",
    // A workflow task waiting on the sticky queue of a worker that died is handed to another
    // worker after this long (default 10 s): the pause a crash adds between two steps.
    stickyQueueScheduleToStartTimeout: "2s",
  });
}
