// Definitions shared by the workflows that Temporal Schedules start (crons, the TTL sweep) and
// the code that creates those Schedules. Plain JSON only.

export const CRON_WORKFLOW_TYPE = "cronWorkflow";
export const TTL_SWEEP_WORKFLOW_TYPE = "ttlSweepWorkflow";

/** The Schedule of a cron: readable in the Web UI's Schedules page and `temporal schedule list`. */
export const scheduleIdForCron = (cronId: string): string => `cron-${cronId}`;
/** One sweep per task queue, so servers sharing a Temporal namespace sweep their own databases. */
export const ttlSweepScheduleId = (taskQueue: string): string => `ttl-sweep-${taskQueue}`;

export interface CronWorkflowInput {
  cronId: string;
}

/** What one fire of a cron did. */
export type CronFireOutcome =
  | { fired: true; threadId: string; runId: string }
  /** The run was refused (busy thread with `reject`, thread or assistant gone, bad payload). */
  | { fired: false; reason: string };

/** How many records each sweeper removed or pruned, by sweeper name. */
export type SweepReport = Record<string, number>;
