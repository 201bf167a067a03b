// One fire of a cron: its run, submitted through the runs service exactly as
// POST /threads/{thread_id}/runs (or POST /runs for a stateless cron) submits one, so the
// thread's one-run rule, the multitask strategy, webhooks and streaming all apply.
import type { StoredRun } from "../api-types.ts";
import { ANONYMOUS, type AuthUser, type Caller } from "../auth/caller.ts";
import { ServiceError } from "../errors.ts";
import type { RunsService } from "../runs/runs-service.ts";
import type { Storage } from "../storage/types.ts";
import type { CronFireOutcome } from "../../workflows/scheduled-shared.ts";
import { runBodyOf } from "./cron-request.ts";
import type { CronsService } from "./crons-service.ts";

export interface CronFireDeps {
  storage: Storage;
  runs: RunsService;
  crons: CronsService;
}

/**
 * Idempotent in `runId`: a retry after a crash finds the run made before it. A refusal the API
 * would answer with a 4xx (busy thread under `reject`, thread or assistant gone) is an outcome
 * of this fire, not a failure to retry; anything else (an outage) is thrown and retried.
 */
export async function fireCron({ storage, runs, crons }: CronFireDeps, cronId: string, runId: string): Promise<CronFireOutcome> {
  const made = await storage.runs.get(runId);
  if (made) return fired(made);
  const cron = await storage.crons.get(cronId);
  if (!cron) return { fired: false, reason: `cron ${cronId} no longer exists` };
  try {
    const body = runBodyOf(cron);
    // The cron was authorized when it was made: its fires need no handler, but run as its
    // creator, so the graph sees them as `langgraph_auth_user` (issue 13).
    const caller = actingFor(await storage.crons.creator(cronId));
    const run = cron.thread_id
      ? await runs.create(cron.thread_id, body, {}, caller, runId)
      : await runs.createStateless({ ...body, on_completion: cron.on_run_completed ?? "delete" }, {}, caller, runId);
    return fired(run);
  } catch (err) {
    if (err instanceof ServiceError && err.code !== "unavailable") return { fired: false, reason: `${err.code}: ${err.message}` };
    throw err;
  } finally {
    await crons.noteFired(cronId);
  }
}

const actingFor = (user: AuthUser | undefined): Caller => (user ? { user, authorize: async () => undefined } : ANONYMOUS);

const fired = (run: Pick<StoredRun, "thread_id" | "run_id">): CronFireOutcome => ({ fired: true, threadId: run.thread_id, runId: run.run_id });
