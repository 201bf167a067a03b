// Finds runs that no workflow will ever finish, once at API start-up. Two ways to get one:
// the API died between writing a run record and starting its workflow (the run is pending:
// submit it now), or an operator terminated the workflow in the Web UI (the run is running:
// it ends `error`). Either way no thread stays busy without a live run (spec §5.1, §5.2).
import { now } from "../api-types.ts";
import type { GraphRegistry } from "../graphs/registry.ts";
import { readThreadState } from "../graphs/state-reader.ts";
import type { Storage } from "../storage/types.ts";
import type { RunEngine } from "../temporal/run-engine.ts";
import { refreshThread } from "../threads/thread-refresh.ts";
import { graphIdOf } from "./run-config.ts";

export interface RecoveryReport {
  resubmitted: string[];
  failed: string[];
}

export async function recoverOrphanedRuns(storage: Storage, graphs: GraphRegistry, engine: RunEngine): Promise<RecoveryReport> {
  const report: RecoveryReport = { resubmitted: [], failed: [] };
  const openThreads = new Map<string, boolean>();
  for (const run of await storage.runs.inflightEverywhere()) {
    if (!openThreads.has(run.thread_id)) openThreads.set(run.thread_id, await engine.isOpen(run.thread_id));
    if (openThreads.get(run.thread_id)) continue;
    const graphId = graphIdOf(run);
    if (run.status === "pending") {
      // Queued behind nothing: enqueue never cancels another run.
      await engine.submit({ ...run, multitask_strategy: "enqueue" }, {
        runId: run.run_id,
        assistantId: run.assistant_id,
        graphId,
        notBefore: Date.parse(run.created_at) > Date.now() ? run.created_at : null,
        temporary: run.kwargs.temporary,
        webhook: run.kwargs.webhook !== null,
        limits: engine.limitsFor(graphId),
      });
      openThreads.set(run.thread_id, true);
      report.resubmitted.push(run.run_id);
      continue;
    }
    const timestamp = now();
    const message = "The run's workflow ended without recording the run's end (terminated in Temporal?)";
    await storage.runs.update(run.run_id, { status: "error", result: { __error__: { error: "WorkflowTerminated", message } }, ended_at: timestamp, updated_at: timestamp });
    const graph = await graphs.get(graphId, run.kwargs.config);
    await refreshThread(storage, run.thread_id, await readThreadState(graph, run.thread_id));
    report.failed.push(run.run_id);
  }
  return report;
}
