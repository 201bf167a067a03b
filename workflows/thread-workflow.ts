// The run workflow. Its id is `thread-{thread_id}`, so Temporal itself allows one run per
// thread at a time. It only sequences activities: LangGraph runs in the step activity.
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
} from "@temporalio/workflow";
import type { RunActivities } from "../activities/index.ts";
import {
  NON_RETRYABLE_ERRORS,
  progressQuery,
  type RunOutcome,
  type RunProgress,
  type StepLimits,
  type ThreadWorkflowInput,
} from "./shared.ts";

const records = proxyActivities<RunActivities>({
  startToCloseTimeout: "1 minute",
  summary: "run record",
});

function stepActivity(limits: StepLimits, summary: string) {
  return proxyActivities<RunActivities>({
    startToCloseTimeout: `${limits.timeoutSeconds}s`,
    heartbeatTimeout: `${limits.heartbeatTimeoutSeconds}s`,
    // A cancelled step must stop its graph before the run is recorded as ended.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      maximumAttempts: limits.maxAttempts,
      initialInterval: limits.retryInitialIntervalMs,
      backoffCoefficient: 2,
      nonRetryableErrorTypes: NON_RETRYABLE_ERRORS,
    },
    summary,
  }).runStep;
}

export async function threadWorkflow(input: ThreadWorkflowInput): Promise<RunOutcome> {
  const { runId, threadId, limits } = input;
  const progress: RunProgress = { runId, status: "pending", step: 0, nodes: [], checkpointId: null };
  setHandler(progressQuery, () => progress);

  const start = await records.startRun({ runId });
  progress.status = "running";
  progress.checkpointId = start.checkpointId;

  let outcome: RunOutcome;
  try {
    outcome = await CancellationScope.withTimeout(limits.maxRunSeconds * 1000, async () => {
      let from = start.checkpointId;
      let label = start.next.length > 0 ? start.next.join(", ") : "input";
      for (let step = 1; ; step++) {
        progress.step = step;
        setCurrentDetails(`run ${runId} · step ${step} · ${label}`);
        const summary = await stepActivity(limits, `step ${step} · ${label}`)({
          runId,
          threadId,
          step,
          fromCheckpointId: from,
        });
        from = summary.checkpointId;
        progress.checkpointId = summary.checkpointId;
        progress.nodes = summary.nodes;
        if (summary.stop) return { status: "success" } as const;
        label = summary.next.join(", ");
      }
    });
  } catch (err) {
    outcome = describeFailure(err, limits);
  }
  await records.finishRun({ runId, outcome });
  return outcome;
}

function describeFailure(err: unknown, limits: StepLimits): RunOutcome {
  if (isCancellation(err)) {
    return { status: "timeout", error: "TimeoutError", message: `Run exceeded ${limits.maxRunSeconds} s` };
  }
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    return { status: "error", error: err.cause.type ?? "Error", message: err.cause.message };
  }
  throw err;
}
