// The worker: runs the thread workflow and its activities on the run task queue.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, type NativeConnection, type WorkerOptions } from "@temporalio/worker";
import { createActivities, type ActivityDeps } from "../activities/index.ts";
import type { TemporalSettings } from "../src/settings.ts";

const WORKFLOWS_PATH = fileURLToPath(new URL("../workflows/index.ts", import.meta.url));
type WebpackConfiguration = Parameters<NonNullable<NonNullable<WorkerOptions["bundlerOptions"]>["webpackConfigHook"]>>[0];

const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The workflow bundler compiles TypeScript outside node_modules only; installed in a user's
 * project (issue 17) our workflows are inside node_modules, so our own folder is let through.
 */
function compileOurWorkflowSources(config: WebpackConfiguration): WebpackConfiguration {
  for (const rule of config.module?.rules ?? []) {
    if (rule && typeof rule === "object" && String(rule.test) === String(/\.ts$/)) {
      rule.exclude = (file: string) => file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith(PACKAGE_ROOT);
    }
  }
  return config;
}

export function createRunWorker(connection: NativeConnection, settings: TemporalSettings, deps: ActivityDeps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    bundlerOptions: { webpackConfigHook: compileOurWorkflowSources },
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
