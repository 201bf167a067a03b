// Webhook delivery (spec §5.7): an activity, so Temporal retries it with backoff and a worker
// crash does not lose it. Network errors and 5xx are retried; a 4xx will not get better, nor
// will a target the webhook policy refuses (issue 13: checked again here, at send time).
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { ApplicationFailure } from "@temporalio/activity";
import { now } from "../src/api-types.ts";
import { publicRun } from "../src/runs/run-request.ts";
import { guardedLookup, isPrivateAddress, parseWebhookUrl, type WebhookPolicy } from "../src/runs/webhook-target.ts";
import type { Storage } from "../src/storage/types.ts";

const DELIVERY_TIMEOUT_MS = 10_000;

export interface WebhookDeps {
  storage: Storage;
  webhooks: WebhookPolicy;
}

export function createWebhookActivities({ storage, webhooks }: WebhookDeps) {
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
      const status = await postJson(run.kwargs.webhook, JSON.stringify(payload), webhooks);
      if (status >= 500) throw new Error(`webhook answered ${status}`);
      if (status >= 400) throw ApplicationFailure.nonRetryable(`webhook answered ${status}`, "WebhookRejected");
    },
  };
}

/** POSTs the body and answers the status; the socket goes only to an address the policy allows. */
function postJson(target: string, body: string, policy: WebhookPolicy): Promise<number> {
  let url: URL;
  try {
    url = parseWebhookUrl(target);
  } catch (err) {
    throw ApplicationFailure.nonRetryable((err as Error).message, "WebhookRefused");
  }
  // Node connects to an IP literal without calling `lookup`, so literals are checked here.
  const literal = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!policy.allowPrivateNetworks && net.isIP(literal) && isPrivateAddress(literal)) {
    throw ApplicationFailure.nonRetryable(`webhook host ${literal} is a private address`, "WebhookRefused");
  }
  const send = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      lookup: guardedLookup(policy),
      timeout: DELIVERY_TIMEOUT_MS,
    }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("timeout", () => request.destroy(new Error(`webhook did not answer within ${DELIVERY_TIMEOUT_MS} ms`)));
    request.on("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EWEBHOOKPRIVATE" ? ApplicationFailure.nonRetryable(err.message, "WebhookRefused") : err));
    request.end(body);
  });
}
