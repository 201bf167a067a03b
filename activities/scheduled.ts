// Activities of the workflows that Temporal Schedules start: a cron's fire, and the TTL sweep.
import { Context } from "@temporalio/activity";
import { isTerminal } from "../src/api-types.ts";
import { type CronFireDeps, fireCron } from "../src/crons/cron-fire.ts";
import type { TtlSweeper } from "../src/ttl/ttl-sweeper.ts";
import type { CronFireOutcome, SweepReport } from "../workflows/scheduled-shared.ts";

export interface ScheduledDeps extends CronFireDeps {
  sweepers: TtlSweeper[];
}

/** How often a cron's fire looks whether its run has ended. */
const RUN_END_POLL_MS = 500;

export function createScheduledActivities(deps: ScheduledDeps) {
  return {
    fireCron({ cronId, runId }: { cronId: string; runId: string }): Promise<CronFireOutcome> {
      return fireCron(deps, cronId, runId);
    },

    /** Resolves when the run is terminal or gone (a stateless fire's thread deleted with it). */
    async awaitRunEnd({ runId }: { runId: string }): Promise<void> {
      for (;;) {
        const run = await deps.storage.runs.get(runId);
        if (!run || isTerminal(run.status)) return;
        Context.current().heartbeat();
        await Context.current().sleep(RUN_END_POLL_MS);
      }
    },

    async sweepExpired(): Promise<SweepReport> {
      const report: SweepReport = {};
      for (const sweeper of deps.sweepers) report[sweeper.name] = await sweeper.sweep(new Date(), () => Context.current().heartbeat());
      return report;
    },
  };
}

export type ScheduledActivities = ReturnType<typeof createScheduledActivities>;
