// Webhook delivery (spec §5.7): an activity, so Temporal retries it with backoff and a worker
// crash does not lose it. Network errors and 5xx are retried; a 4xx will not get better.
import { ApplicationFailure } from "@temporalio/activity";
import { now } from "../src/api-types.ts";
import { publicRun } from "../src/runs/run-request.ts";
import type { Storage } from "../src/storage/types.ts";

const DELIVERY_TIMEOUT_MS = 10_000;

export function createWebhookActivities({ storage }: { storage: Storage }) {
  return {
    async deliverWebhook({ runId }: { runId: string }): Promise<void> {
      const run = await storage.runs.get(runId);
      if (!run?.kwargs.webhook) return;
      const result = run.result as { __error__?: { message: string } } | null;
      const payload = {
        ...publicRun(run),
        run_started_at: run.started_at,
        run_ended_at: run.ended_at,
        webhook_sent_at: now(),
        ...(run.status === "interrupted" ? {} : result?.__error__ ? {} : { values: result }),
        ...(result?.__error__ ? { error: result.__error__.message } : {}),
      };
      const response = await fetch(run.kwargs.webhook, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      if (response.status >= 500) throw new Error(`webhook answered ${response.status}`);
      if (!response.ok) throw ApplicationFailure.nonRetryable(`webhook answered ${response.status}`, "WebhookRejected");
    },
  };
}
