// Each cron is one Temporal Schedule, `cron-<cron_id>` (issue 14): Temporal keeps the timetable
// durably, fires through outages of our processes, and shows, pauses and triggers it in the Web UI.
// Every fire starts a cronWorkflow, which submits the cron's run through the runs service.
import { type Client, type ScheduleOptionsStartWorkflowAction, ScheduleNotFoundError, ScheduleOverlapPolicy } from "@temporalio/client";
import type { Cron } from "../api-types.ts";
import { ServiceError } from "../errors.ts";
import { SEARCH_ATTRIBUTES } from "../../workflows/shared.ts";
import { CRON_WORKFLOW_TYPE, type CronWorkflowInput, scheduleIdForCron } from "../../workflows/scheduled-shared.ts";

/**
 * Missed-fire policy: a fire missed while Temporal was down (or could not start it) is still
 * taken if Temporal catches up within this window; older missed fires are dropped and the cron
 * goes on at its next time. One minute covers restarts without a burst of stale runs after a
 * long outage (Temporal's own default, one year, would replay every missed fire).
 */
export const CRON_CATCHUP_WINDOW = "1 minute";

/**
 * The overlap policy follows the multitask strategy (a fire is busy while its run is):
 * - `reject` (the default): SKIP, as the thread would refuse the run; the Web UI counts skips.
 * - `enqueue`: BUFFER_ALL, each fire waits for the one before and its run then starts at once.
 * - `interrupt`, `rollback`: ALLOW_ALL, so the new fire's run reaches the thread and replaces
 *   the run in flight, as the strategy says.
 * Stateless crons run each fire on a new thread: ALLOW_ALL.
 */
export function overlapPolicyFor(cron: Pick<Cron, "thread_id" | "payload">): ScheduleOverlapPolicy {
  if (cron.thread_id === null) return ScheduleOverlapPolicy.ALLOW_ALL;
  switch (cron.payload.multitask_strategy) {
    case "enqueue":
      return ScheduleOverlapPolicy.BUFFER_ALL;
    case "interrupt":
    case "rollback":
      return ScheduleOverlapPolicy.ALLOW_ALL;
    default:
      return ScheduleOverlapPolicy.SKIP;
  }
}

export interface ScheduleState {
  paused: boolean;
  nextRunDate: string | null;
}

export class CronSchedules {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Creates the cron's Schedule, or brings an existing one in line with the cron. */
  async upsert(cron: Cron): Promise<ScheduleState> {
    const handle = this.client.schedule.getHandle(scheduleIdForCron(cron.cron_id));
    try {
      try {
        await handle.update(() => this.options(cron));
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
        await this.client.schedule.create({
          scheduleId: scheduleIdForCron(cron.cron_id),
          ...this.options(cron),
          // Names the cron in the Web UI's schedule details (the memo is fixed at creation).
          memo: { cron_id: cron.cron_id, assistant_id: cron.assistant_id, thread_id: cron.thread_id ?? "stateless" },
        });
      }
    } catch (err) {
      throw asInvalidSchedule(err);
    }
    return (await this.state(cron.cron_id))!;
  }

  /** Deleting a missing Schedule is not an error (Temporal drops finished ones by itself). */
  async remove(cronId: string): Promise<void> {
    try {
      await this.client.schedule.getHandle(scheduleIdForCron(cronId)).delete();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }

  /** What Temporal says now (a pause in the Web UI shows here); undefined without a Schedule. */
  async state(cronId: string): Promise<ScheduleState | undefined> {
    try {
      const description = await this.client.schedule.getHandle(scheduleIdForCron(cronId)).describe();
      const next = description.info.nextActionTimes[0];
      return { paused: description.state.paused, nextRunDate: next ? next.toISOString() : null };
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return undefined;
      throw err;
    }
  }

  private options(cron: Cron) {
    const action: ScheduleOptionsStartWorkflowAction<(input: CronWorkflowInput) => Promise<unknown>> = {
      type: "startWorkflow",
      workflowType: CRON_WORKFLOW_TYPE,
      args: [{ cronId: cron.cron_id }],
      taskQueue: this.taskQueue,
      // Temporal appends the fire time: `cron-<cron_id>-2026-01-01T00:00:00Z`.
      workflowId: scheduleIdForCron(cron.cron_id),
      staticSummary: cron.thread_id ? `cron ${cron.cron_id} · thread ${cron.thread_id}` : `cron ${cron.cron_id} · stateless`,
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTES.assistantId, value: cron.assistant_id },
        ...(cron.thread_id ? [{ key: SEARCH_ATTRIBUTES.threadId, value: cron.thread_id }] : []),
      ],
    };
    return {
      spec: {
        cronExpressions: [cron.schedule],
        timezone: cron.timezone ?? undefined,
        endAt: cron.end_time ? new Date(cron.end_time) : undefined,
      },
      action,
      policies: { overlap: overlapPolicyFor(cron), catchupWindow: CRON_CATCHUP_WINDOW, pauseOnFailure: false },
      state: { paused: !cron.enabled, note: cron.enabled ? undefined : "disabled through the API (enabled: false)" },
    };
  }
}

/** Temporal parses the cron expression and time zone; what it refuses is the client's mistake. */
function asInvalidSchedule(err: unknown): unknown {
  const code = (err as { code?: number; cause?: { code?: number } }).code ?? (err as { cause?: { code?: number } }).cause?.code;
  // gRPC INVALID_ARGUMENT
  if (code === 3) return new ServiceError("validation_error", `schedule: ${(err as Error).message}`, "schedule");
  return err;
}
