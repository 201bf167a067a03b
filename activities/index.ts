// All activities of the worker, built over their dependencies (style §2): tests pass their own.
import { createRunRecordActivities, type RunRecordDeps } from "./run-records.ts";
import { createScheduledActivities, type ScheduledDeps } from "./scheduled.ts";
import { createStepActivities, type StepDeps } from "./step.ts";
import { createWebhookActivities, type WebhookDeps } from "./webhooks.ts";

export type ActivityDeps = RunRecordDeps & StepDeps & WebhookDeps & ScheduledDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createRunRecordActivities(deps),
    ...createStepActivities(deps),
    ...createWebhookActivities(deps),
    ...createScheduledActivities(deps),
  };
}

export type RunActivities = ReturnType<typeof createActivities>;
