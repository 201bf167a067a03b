// Definitions that the thread workflow and its clients both import (style §3): the workflow's
// input and result, and its query. Plain JSON only: no Map, Set or Date crosses Temporal.
import { defineQuery } from "@temporalio/workflow";

export const WORKFLOW_TYPE = "threadWorkflow";
export const workflowIdForThread = (threadId: string): string => `thread-${threadId}`;

/** Search attributes registered on the Temporal server, so a run can be found by the ids a client holds. */
export const SEARCH_ATTRIBUTES = {
  runId: "LangGraphRunId",
  threadId: "LangGraphThreadId",
  assistantId: "LangGraphAssistantId",
  graphId: "LangGraphGraphId",
} as const;

/** Step timeouts and retries, chosen by the server's settings and carried in the input. */
export interface StepLimits {
  heartbeatTimeoutSeconds: number;
  timeoutSeconds: number;
  maxAttempts: number;
  retryInitialIntervalMs: number;
  maxRunSeconds: number;
}

export interface ThreadWorkflowInput {
  threadId: string;
  runId: string;
  limits: StepLimits;
}

/** How a run ended, as the workflow saw it. The full join body lives in the run record. */
export type RunOutcome =
  | { status: "success" }
  | { status: "error" | "timeout"; error: string; message: string };

/** What one super-step did: ids and names only, never state (design: small history payloads). */
export interface StepSummary {
  /** Checkpoint the step committed (the thread's latest afterwards). */
  checkpointId: string | null;
  /** Nodes that ran in the step. */
  nodes: string[];
  /** Nodes scheduled next; empty when the graph is done. */
  next: string[];
  /** The run stops here: the graph finished, or an interrupt is pending. */
  stop: boolean;
}

/** Where a run starts: the checkpoint the first step continues from. */
export interface RunStart {
  checkpointId: string | null;
  next: string[];
}

export interface RunProgress {
  runId: string;
  status: "pending" | "running";
  /** 1-based number of the super-step in flight (0 before the first). */
  step: number;
  /** Nodes of the step in flight, or of the last one finished. */
  nodes: string[];
  /** Latest checkpoint the workflow has been told of. */
  checkpointId: string | null;
}

export const progressQuery = defineQuery<RunProgress>("progress");

/** Graph errors that no retry can cure; everything else is retried up to `maxAttempts`. */
export const NON_RETRYABLE_ERRORS = [
  "GraphRecursionError",
  "GraphValueError",
  "InvalidUpdateError",
  "EmptyInputError",
  "EmptyChannelError",
  "UnreachableNodeError",
  "RunNotFound",
];
