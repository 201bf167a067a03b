// Entry point of the worker's workflow bundle.
export { threadWorkflow } from "./thread-workflow.ts";
export { cronWorkflow } from "./cron-workflow.ts";
export { ttlSweepWorkflow } from "./ttl-sweep-workflow.ts";
