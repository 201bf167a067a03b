// The thread's workflow. Its id is `thread-{thread_id}`, so Temporal itself allows one open
// execution per thread: that is the one-run-per-thread lock. Each execution runs one run;
// runs submitted meanwhile (enqueue / interrupt / rollback) wait in its queue and the
// execution continues-as-new into the next one, so every run is its own execution in the
// Web UI. LangGraph runs in the step activity; this code only sequences.
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  TimeoutFailure,
  allHandlersFinished,
  log,
  condition,
  continueAsNew,
  isCancellation,
  makeContinueAsNewFunc,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from "@temporalio/workflow";
import type { RunActivities } from "../activities/index.ts";
import {
  NON_RETRYABLE_ERRORS,
  SEARCH_ATTRIBUTES,
  STEP_BATCH_MS,
  WORKFLOW_REVISION,
  cancelRunSignal,
  progressQuery,
  submitRunSignal,
  workflowTaskTimeoutFor,
  type CancelAction,
  type QueuedRun,
  type RunOutcome,
  type RunProgress,
  type StepLimits,
  type ThreadWorkflowInput,
} from "./shared.ts";

// Run records are short database writes, done as local activities (revision 2): in the worker
// that runs the workflow task, without the round trips of an activity task, which were most of a
// short run's time. Revision 1 executions replay with the queued activities they began with.
// Revision 4 leaves a run's start and success to its steps (StepInput.startsRun / endsRun).
const localRecords = proxyLocalActivities<RunActivities>({
  startToCloseTimeout: "1 minute",
  summary: "run record",
});

const queuedRecords = proxyActivities<RunActivities>({
  startToCloseTimeout: "1 minute",
  summary: "run record",
});

const webhooks = proxyActivities<RunActivities>({
  startToCloseTimeout: "1 minute",
  // Spec §5.7: at least 3 attempts with backoff; the outcome never changes the run.
  retry: { maximumAttempts: 5, initialInterval: "1s", backoffCoefficient: 2 },
  summary: "webhook",
});

/** How long a run waits for a cancel that its local step heard was signalled (StepSummary.cancelSignalled). */
const SIGNALLED_CANCEL_WAIT = "10s";

/** How long a temporary thread outlives its run, so waiting clients can still read the result. */
const TEMPORARY_THREAD_GRACE = "30s";

function stepActivity(limits: StepLimits, summary: string, batch: boolean) {
  const options = {
    // A batch starts super-steps for STEP_BATCH_MS; the last may take the step's whole timeout.
    startToCloseTimeout: limits.timeoutSeconds * 1000 + (batch ? STEP_BATCH_MS : 0),
    // A cancelled step must stop its graph before the run is recorded as ended.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      maximumAttempts: limits.maxAttempts,
      initialInterval: limits.retryInitialIntervalMs,
      backoffCoefficient: 2,
      nonRetryableErrorTypes: NON_RETRYABLE_ERRORS,
    },
    summary,
  };
  // `local_steps`: no heartbeats; a dead worker's step is taken up again, by replay, once its
  // workflow task times out. Runs without the option never take this path, so histories replay.
  if (limits.local) return proxyLocalActivities<RunActivities>(options).runStep;
  return proxyActivities<RunActivities>({ ...options, heartbeatTimeout: `${limits.heartbeatTimeoutSeconds}s` }).runStep;
}

export async function threadWorkflow(input: ThreadWorkflowInput): Promise<RunOutcome> {
  const { threadId } = input;
  const revision = input.revision ?? 1;
  const records = revision >= 2 ? localRecords : queuedRecords;
  const queue: QueuedRun[] = [...input.queue];
  /** Queued runs cancelled before they started, still to be recorded. */
  const dropped: Array<{ runId: string; action: CancelAction }> = [];
  let current: CurrentRun | undefined;
  let progress: RunProgress | undefined;

  function cancel(runId: string | null, action: CancelAction): void {
    if (current && (runId === null || current.run.runId === runId) && !current.cancelled) {
      current.cancelled = action;
      current.scope.cancel();
    }
    for (let i = queue.length - 1; i >= 0; i--) {
      if (runId === null || queue[i]!.runId === runId) dropped.push({ runId: queue.splice(i, 1)[0]!.runId, action });
    }
  }

  setHandler(submitRunSignal, ({ run, cancelOthers }) => {
    if (cancelOthers) cancel(null, cancelOthers);
    queue.push(run);
  });
  setHandler(cancelRunSignal, ({ runId, action }) => cancel(runId, action));
  setHandler(progressQuery, () => progress ?? { runId: queue[0]?.runId ?? "", status: "pending", step: 0, nodes: [], checkpointId: null });

  await condition(() => queue.length > 0 || dropped.length > 0);
  const run = queue.shift();
  let outcome: RunOutcome = { status: "interrupted" };
  if (run) {
    // Continue-as-new inherits the previous run's attributes: each execution names its own run.
    // A start already named it (revision 2 saves the visibility write).
    const namedAtStart = workflowInfo().typedSearchAttributes.get(SEARCH_ATTRIBUTES.runId) === run.runId;
    if (revision < 2 || !namedAtStart) upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.runId, value: run.runId },
      { key: SEARCH_ATTRIBUTES.threadId, value: threadId },
      { key: SEARCH_ATTRIBUTES.assistantId, value: run.assistantId },
      { key: SEARCH_ATTRIBUTES.graphId, value: run.graphId },
    ]);
    progress = { runId: run.runId, status: "pending", step: 0, nodes: [], checkpointId: null };
    current = { run, scope: new CancellationScope(), cancelled: null, endRecorded: false };
    outcome = await executeRun(run, current, progress, records, revision);
    if (outcome.status === "rolled_back") await records.rollbackRun({ runId: run.runId });
    else if (!current.endRecorded) await records.finishRun({ runId: run.runId, outcome });
  }
  // Runs cancelled while waiting in the queue end without ever starting.
  while (dropped.length > 0) await records.cancelQueuedRuns({ runs: dropped.splice(0) });
  if (run?.webhook && outcome.status !== "rolled_back") {
    // The run has ended: a webhook that cannot be delivered is logged, and never ends the
    // thread's workflow (runs queued behind it must still run).
    await webhooks.deliverWebhook({ runId: run.runId }).catch((err: unknown) => log.warn("webhook not delivered", { runId: run.runId, error: String(err) }));
  }
  if (run?.temporary) {
    await sleep(TEMPORARY_THREAD_GRACE);
    await records.deleteThread({ threadId });
  }

  if (queue.length > 0) {
    await condition(allHandlersFinished);
    // The next run's execution gets its workflow task timeout (local steps); else it inherits this one's.
    const workflowTaskTimeout = workflowTaskTimeoutFor(queue[0]!);
    const next = workflowTaskTimeout ? makeContinueAsNewFunc<typeof threadWorkflow>({ workflowTaskTimeout }) : continueAsNew<typeof threadWorkflow>;
    return next({ threadId, queue, revision: WORKFLOW_REVISION });
  }
  return outcome;
}

interface CurrentRun {
  run: QueuedRun;
  scope: CancellationScope;
  cancelled: CancelAction | null;
  /** Its last step recorded its end (revision 4). */
  endRecorded: boolean;
}

async function executeRun(
  run: QueuedRun,
  current: CurrentRun,
  progress: RunProgress,
  records: RunActivities,
  revision: number,
): Promise<RunOutcome> {
  const { limits } = run;
  const timedOut = { status: "timeout", error: "TimeoutError", message: `Run exceeded ${limits.maxRunSeconds} s` } as const;
  try {
    // Revision 5: the run's deadline travels with its steps, and each stops its graph there. A
    // durable timer per run (revisions 1-4) cost two history events, and a timer task that the
    // server kept, and processed, until max_run_seconds after the run had ended.
    if (revision >= 5) {
      const deadline = Date.now() + limits.maxRunSeconds * 1000;
      return (await current.scope.run(() => runSteps(run, current, progress, records, revision, deadline))) ?? timedOut;
    }
    return await current.scope.run(() =>
      CancellationScope.withTimeout(limits.maxRunSeconds * 1000, async () => (await runSteps(run, current, progress, records, revision)) ?? timedOut),
    );
  } catch (err) {
    // The client's cancel decides the outcome, whatever the step did meanwhile (revision 3).
    if (isCancellation(err) || revision >= 3) {
      if (current.cancelled === "rollback") return { status: "rolled_back" };
      if (current.cancelled === "interrupt") return { status: "interrupted" };
    }
    if (isCancellation(err)) return timedOut;
    // A step's failure: an activity's comes wrapped in ActivityFailure, a local activity's as it is.
    const failure = err instanceof ActivityFailure ? err.cause : err;
    if (failure instanceof ApplicationFailure) {
      return { status: "error", error: failure.type ?? "Error", message: failure.message };
    }
    // Attempts exhausted by timeouts (start-to-close, heartbeat), or another failure of the step.
    if (failure instanceof TimeoutFailure) {
      return { status: "error", error: "StepTimeout", message: `step timed out (${failure.message})` };
    }
    if (err instanceof ActivityFailure) {
      return { status: "error", error: "StepFailed", message: err.cause?.message ?? err.message };
    }
    throw err;
  }
}

/** The run's steps, one activity each, until one stops the run; undefined once past `deadline`. */
async function runSteps(
  run: QueuedRun,
  current: CurrentRun,
  progress: RunProgress,
  records: RunActivities,
  revision: number,
  deadline?: number,
): Promise<RunOutcome | undefined> {
  const { limits } = run;
  // `after_seconds`: a durable timer, so the delay survives restarts (spec §5.6). The delay
  // counts towards max_run_seconds.
  if (run.notBefore) {
    const wait = Date.parse(run.notBefore) - Date.now();
    if (deadline !== undefined && Date.now() + wait >= deadline) {
      await sleep(deadline - Date.now());
      return undefined;
    }
    if (wait > 0) await sleep(wait);
  }
  // Revision 4: the first step records the start, and names the checkpoint it began from.
  const start = revision >= 4 ? null : await records.startRun({ runId: run.runId });
  progress.status = "running";
  progress.checkpointId = start?.checkpointId ?? null;
  let from = start?.checkpointId ?? null;
  let label = !start ? (run.firstStep ?? "input") : start.next.length > 0 ? start.next.join(", ") : "input";
  let eventsAfter: number | undefined;
  for (let step = 1; ; step++) {
    if (deadline !== undefined && Date.now() >= deadline) return undefined;
    progress.step = step;
    setCurrentDetails(`run ${run.runId} · step ${step} · ${label}`);
    const ends = revision >= 4 ? { endsRun: true, ...(step === 1 ? { startsRun: true } : {}) } : {};
    // The first step applies the input as well: on its own, so that a batch's steps are LangGraph's.
    const batch = run.batchSteps === true && step > 1;
    const input = { runId: run.runId, step, fromCheckpointId: from, ...ends, ...(deadline !== undefined ? { deadline } : {}), ...(batch ? { batch } : {}), ...(eventsAfter !== undefined ? { eventsAfter } : {}) };
    const summary = await stepActivity(limits, `${batch ? "steps from" : "step"} ${step} · ${label}`, batch)(input);
    if (summary.timedOut) return undefined;
    if (summary.cancelSignalled) {
      // The cancel's signal comes with the next workflow task, and cancels this scope. Should it
      // not come (it was accepted by Temporal before the step heard of it), the run goes on.
      await condition(() => current.cancelled !== null, SIGNALLED_CANCEL_WAIT);
      if (summary.cutShort) {
        step--;
        continue;
      }
    }
    step += (summary.steps ?? 1) - 1;
    from = summary.checkpointId;
    eventsAfter = summary.lastSeq;
    progress.checkpointId = summary.checkpointId;
    progress.nodes = summary.nodes;
    if (summary.stop) {
      current.endRecorded = summary.ended === true;
      return { status: "success" };
    }
    label = summary.next.join(", ");
  }
}
