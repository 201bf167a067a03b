// The worker's own metrics (issue 16), emitted through the Temporal SDK's metric meter so they
// reach the same Prometheus endpoint as the SDK's metrics (WORKER_METRICS_ADDRESS).
import { Context } from "@temporalio/activity";

/** One execution of a super-step: its duration, outcome and which attempt it was. */
export function recordStep(graphId: string, startedAt: number, outcome: "ok" | "error" | "cancelled"): void {
  const { metricMeter, info } = Context.current();
  const tags = { graph_id: graphId, outcome };
  metricMeter.createHistogram("langgraph_step_duration", "int", "ms", "Time one super-step took in this worker.").record(Date.now() - startedAt, tags);
  // Attempt > 1: a retry, after a failure or after a worker died mid-step.
  metricMeter.createCounter("langgraph_step_executions", "", "Super-step executions, by attempt kind.").add(1, { ...tags, retry: String(info.attempt > 1) });
}

/** A step that waited for another attempt of itself, still running, to end (see step-lease.ts). */
export function recordLeaseWait(graphId: string): void {
  Context.current().metricMeter.createCounter("langgraph_step_lease_waits", "", "Steps that waited for another attempt of theirs to end.").add(1, { graph_id: graphId });
}

/** A run's end, written once by finishRun. */
export function recordRunOutcome(graphId: string, status: string): void {
  Context.current().metricMeter.createCounter("langgraph_run_outcomes", "", "Runs ended by this worker, by graph and status.").add(1, { graph_id: graphId, status });
}
