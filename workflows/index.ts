// Entry point of the worker's workflow bundle.
export { threadWorkflow } from "./thread-workflow.ts";
