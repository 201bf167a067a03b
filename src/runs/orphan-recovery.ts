// Finds runs that no workflow will ever finish, once at API start-up. Two ways to get one:
// the API died between writing a run record and starting its workflow (the run is pending:
// submit it now), or an operator terminated the workflow in the Web UI (the run is running:
// it ends `error`). Either way no thread stays busy without a live run (spec §5.1, §5.2).
import type { Storage } from "../storage/types.ts";
import type { RunEngine } from "../temporal/run-engine.ts";
import { graphIdOf } from "./run-config.ts";
import { queuedRun } from "./run-lifecycle.ts";
import type { RunRecorder } from "./run-recorder.ts";

export interface RecoveryReport {
  resubmitted: string[];
  failed: string[];
}

export async function recoverOrphanedRuns(storage: Storage, recorder: RunRecorder, engine: RunEngine): Promise<RecoveryReport> {
  const report: RecoveryReport = { resubmitted: [], failed: [] };
  const openThreads = new Map<string, boolean>();
  for (const run of await storage.runs.inflightEverywhere()) {
    if (!openThreads.has(run.thread_id)) openThreads.set(run.thread_id, await engine.isOpen(run.thread_id));
    if (openThreads.get(run.thread_id)) continue;
    if (run.status === "pending") {
      // Queued behind nothing: enqueue never cancels another run.
      await engine.submit({ ...run, multitask_strategy: "enqueue" }, queuedRun(run, engine.limitsFor(graphIdOf(run)), Date.now()));
      openThreads.set(run.thread_id, true);
      report.resubmitted.push(run.run_id);
      continue;
    }
    await recorder.failOrphan(run);
    report.failed.push(run.run_id);
  }
  return report;
}
