// Runs on threads: the facade's create / get / list / join / cancel / delete, mapped onto the
// thread's run workflow (design: "A background run, end to end").
import { setTimeout as sleep } from "node:timers/promises";
import { isTerminal, now, type Run, type RunStatus, type StoredRun, type Thread } from "../api-types.ts";
import type { AuthFilters } from "../auth/auth-filters.ts";
import type { Caller } from "../auth/caller.ts";
import { notFound, runNotFound, ServiceError, threadNotFound } from "../errors.ts";
import { newRunId, newThreadId } from "../ids.ts";
import { linkedAbort } from "../linked-abort.ts";
import type { AssistantsService } from "../assistants/assistants-service.ts";
import type { Storage, ThreadRunFacts } from "../storage/types.ts";
import { type RunEngine, ThreadLockedError } from "../temporal/run-engine.ts";
import type { CancelAction } from "../../workflows/shared.ts";
import type { HeaderRules } from "../graphs/langgraph-json.ts";
import { cancelReason, queuedRun, stampThread, threadOnSubmit } from "./run-lifecycle.ts";
import { threadStatus } from "./thread-status.ts";
import { buildRun, publicRun, type RunCreateBody } from "./run-request.ts";
import { checkWebhookTarget, type WebhookPolicy } from "./webhook-target.ts";

export type Headers = Record<string, string | string[] | undefined>;

export interface CancelOptions {
  action: CancelAction;
  /** Resolve only once the run is terminal or deleted (spec §5.4 `wait=true`). */
  wait: boolean;
  reason?: string;
  /** Stops a `wait` early (its client went away); the cancel itself has been sent. */
  signal?: AbortSignal;
}

export interface StatelessRunBody extends RunCreateBody {
  on_completion?: "delete" | "keep";
}

/** How long a create waits for a thread's workflow that is only closing (its run has ended). */
const CLOSING_WORKFLOW_WAIT_MS = 1000;
/** Poll interval while waiting for a run to be recorded as ended when no execution close tells. */
const END_POLL_MS = 50;

/** What the operator decided about runs' requests: webhook targets and copied headers (issue 13). */
export interface RunRequestPolicy {
  webhooks: WebhookPolicy;
  headers: HeaderRules;
}

export class RunsService {
  constructor(
    private readonly storage: Storage,
    private readonly assistants: AssistantsService,
    private readonly engine: RunEngine,
    private readonly policy: RunRequestPolicy,
  ) {}

  /** `runId`: chosen by the caller when a retry must find the run it made (a cron's fire). */
  async create(threadId: string, body: RunCreateBody, headers: Headers, caller: Caller, runId = newRunId()): Promise<Run> {
    await this.checkWebhook(body);
    const assistant = await this.resolveAssistant(body.assistant_id);
    const { filters, authorized } = await this.authorizeRun(threadId, body, caller, runId);
    // A thread the caller may not see is as missing; `if_not_exists=create` does not take it over.
    const thread = (await this.storage.threads.get(threadId, filters))
      ?? (body.if_not_exists === "create" ? await this.createThread(threadId, assistant, authorized, filters) : undefined);
    if (!thread) throw threadNotFound(threadId);
    return this.submit(runId, thread, assistant, authorized, headers, false, caller);
  }

  /** A run on a new thread of its own (spec §5.6); `on_completion=delete` removes it afterwards. */
  async createStateless(body: StatelessRunBody, headers: Headers, caller: Caller, runId = newRunId()): Promise<Run> {
    await this.checkWebhook(body);
    const assistant = await this.resolveAssistant(body.assistant_id);
    const { multitask_strategy: _m, if_not_exists: _i, ...rest } = body;
    const { authorized } = await this.authorizeRun(undefined, rest, caller, runId);
    const thread = (await this.createThread(newThreadId(), assistant, authorized))!;
    return this.submit(runId, thread, assistant, authorized, headers, (body.on_completion ?? "delete") === "delete", caller);
  }

  /**
   * `threads:create_run` (as the JS server sends it): the handler may add run metadata, which
   * a thread created for the run takes too, and returns the filters the thread must satisfy.
   */
  private async authorizeRun(threadId: string | undefined, body: RunCreateBody, caller: Caller, runId: string) {
    const { assistant_id, multitask_strategy = "reject", if_not_exists = "reject", after_seconds = 0, metadata, ...kwargs } = body;
    const event = {
      thread_id: threadId, assistant_id, run_id: runId, status: "pending", metadata: metadata ?? {},
      prevent_insert_if_inflight: multitask_strategy === "reject", multitask_strategy, if_not_exists, after_seconds, kwargs,
    };
    const filters = await caller.authorize("threads", "create_run", event);
    return { filters, authorized: { ...body, metadata: event.metadata } };
  }

  /** Before anything is stored: a refused webhook leaves no thread or run behind. */
  private async checkWebhook(body: RunCreateBody): Promise<void> {
    if (body.webhook) await checkWebhookTarget(body.webhook, this.policy.webhooks);
  }

  private async resolveAssistant(idOrGraphId: string) {
    const assistant = await this.assistants.resolve(idOrGraphId);
    if (!assistant) {
      throw notFound(`No assistant found for "${idOrGraphId}". Make sure the assistant ID is for a valid assistant or a valid graph ID.`);
    }
    return assistant;
  }

  /**
   * `if_not_exists=create` and stateless runs: metadata = {graph_id, assistant_id} ⊕ run metadata.
   * Undefined when the id is taken by a thread that does not satisfy `filters`.
   */
  private async createThread(threadId: string, assistant: { graph_id: string; assistant_id: string }, body: RunCreateBody, filters?: AuthFilters): Promise<Thread | undefined> {
    const timestamp = now();
    const thread: Thread = {
      thread_id: threadId,
      created_at: timestamp,
      updated_at: timestamp,
      state_updated_at: timestamp,
      metadata: { graph_id: assistant.graph_id, assistant_id: assistant.assistant_id, ...(body.metadata ?? {}) },
      status: "idle",
      config: {},
      values: null,
      interrupts: {},
    };
    // A concurrent create of the same id wins; then the run goes onto that thread.
    if (!(await this.storage.threads.create(thread))) return this.storage.threads.get(threadId, filters);
    return thread;
  }

  private async submit(runId: string, thread: Thread, assistant: Awaited<ReturnType<RunsService["resolveAssistant"]>>, body: RunCreateBody, headers: Headers, temporary: boolean, caller: Caller): Promise<Run> {
    const strategy = body.multitask_strategy ?? "reject";
    if (strategy === "reject") await this.rejectIfBusy(thread.thread_id);

    const stampedThread = stampThread(thread, assistant);
    const afterMs = Math.round((body.after_seconds ?? 0) * 1000);
    // created_at is the time the run may start (spec §4.4): the queue orders by it.
    const submittedAt = Date.now();
    const createdAt = new Date(submittedAt + afterMs).toISOString();
    const run = buildRun({ runId, body, assistant, thread: stampedThread, headers, headerRules: this.policy.headers, createdAt, user: caller.user });
    run.kwargs.temporary = temporary;
    run.updated_at = now();
    await this.storage.runs.insert(run);
    await this.storage.threads.update(thread.thread_id, threadOnSubmit(thread, stampedThread, run));
    const queued = queuedRun(run, this.engine.limitsFor(assistant.graph_id), submittedAt);
    try {
      await this.startWorkflow(run, queued);
    } catch (err) {
      await this.storage.runs.delete(run.run_id);
      await this.storage.threads.updateStatus(thread.thread_id, (runs) => statusWithout(thread, runs), { metadata: thread.metadata, config: thread.config });
      throw err;
    }
    return publicRun(run);
  }

  private async rejectIfBusy(threadId: string): Promise<void> {
    const [inflight] = await this.storage.runs.inflightForThread(threadId);
    if (inflight) throw threadBusy(threadId, inflight);
  }

  /**
   * Temporal's refusal is the lock; an execution whose run already ended is only closing (a
   * client that joined the run may be told of its end before its execution closes).
   */
  private async startWorkflow(run: StoredRun, queued: Parameters<RunEngine["submit"]>[1]): Promise<void> {
    const deadline = Date.now() + CLOSING_WORKFLOW_WAIT_MS;
    for (;;) {
      try {
        return await this.engine.submit(run, queued);
      } catch (err) {
        if (!(err instanceof ThreadLockedError)) throw err;
        const other = (await this.storage.runs.inflightForThread(run.thread_id)).find((r) => r.run_id !== run.run_id);
        const left = deadline - Date.now();
        if (other || left <= 0) throw threadBusy(run.thread_id, other);
        const closed = this.engine.waitForExecution(run.thread_id);
        closed.catch(() => undefined); // left behind when the wait runs out first
        const timeout = new AbortController();
        await Promise.race([closed, sleep(left, undefined, { signal: timeout.signal }).catch(() => undefined)]);
        timeout.abort();
      }
    }
  }

  async get(threadId: string, runId: string, caller: Caller): Promise<Run> {
    return publicRun(await this.load(threadId, runId, await caller.authorize("threads", "read", { thread_id: threadId })));
  }

  async list(threadId: string, options: { limit: number; offset: number; status?: RunStatus }, caller: Caller): Promise<Run[]> {
    const filters = await caller.authorize("threads", "read", { thread_id: threadId });
    if (!(await this.storage.threads.get(threadId, filters))) throw threadNotFound(threadId);
    return (await this.storage.runs.listForThread(threadId, options)).map(publicRun);
  }

  /**
   * The run's final body (spec §5.5): waits while the run is in flight, which may be as long as
   * the run (one delayed by `after_seconds` included). `signal` ends the wait early (its client
   * went away): the call then rejects at once and holds nothing more.
   */
  async join(threadId: string, runId: string, signal?: AbortSignal): Promise<unknown> {
    for (let round = 0; ; round++) {
      signal?.throwIfAborted();
      // Watched before the read, so an end recorded in between still wakes this round.
      let unwatch = () => {};
      const endedHere = new Promise<void>((resolve) => (unwatch = this.storage.runs.watchEnd(runId, resolve)));
      // Ends the round's other waits (the execution's long poll) once one of them has answered.
      const roundOver = linkedAbort(signal ? [signal] : []);
      const roundSignal = roundOver.controller.signal;
      try {
        const run = await this.storage.runs.get(runId);
        // Rolled back while we waited: the restored state (spec §5.5).
        if (!run) return (await this.storage.threads.get(threadId))?.values ?? {};
        if (isTerminal(run.status)) return run.result;
        // A pause keeps a reader that lags behind the record from spinning; the first re-read
        // after the execution closed goes at once, as the record is written before it closes.
        if (round > 0) await sleep(20, undefined, { signal });
        // The end is recorded by the run's last step, or by the execution right before it
        // closes: whichever this process sees first (a step that ran in this process's worker
        // wakes it at once). Waiting on the execution costs no polling, except when a webhook or
        // a temporary thread's grace period comes after the end.
        const closed = run.kwargs.webhook || run.kwargs.temporary ? sleep(END_POLL_MS, undefined, { signal: roundSignal }) : this.engine.waitForExecution(threadId, roundSignal);
        closed.catch(() => undefined); // cut short when the end is seen here first
        await Promise.race([endedHere, closed]);
      } finally {
        unwatch();
        roundOver.release();
        roundOver.controller.abort();
      }
    }
  }

  /** Spec §5.4. A terminal run is left as it is. */
  async cancel(threadId: string, runId: string, { action, wait, reason, signal }: CancelOptions, caller: Caller): Promise<void> {
    const filters = await caller.authorize("threads", "update", { thread_id: threadId, action, metadata: { run_ids: [runId] } });
    const run = await this.load(threadId, runId, filters);
    if (isTerminal(run.status)) return;
    if (reason) await this.storage.runs.update(runId, { cancel_reason: cancelReason(reason, now()) });
    await this.engine.cancel(threadId, runId, action);
    if (wait) await this.waitUntilEnded(runId, signal);
  }

  /** Cancels every pending or running run of the thread (action interrupt) and waits for them. */
  async cancelInflight(threadId: string): Promise<void> {
    for (const run of await this.storage.runs.inflightForThread(threadId)) {
      await this.engine.cancel(threadId, run.run_id, "interrupt");
    }
    for (const run of await this.storage.runs.inflightForThread(threadId)) await this.waitUntilEnded(run.run_id);
  }

  /** Bulk cancel (spec §5.4): named runs of one thread, or every run in a status. */
  async cancelMany(selector: { thread_id?: string; run_ids?: string[]; status?: "pending" | "running" | "all" }, action: CancelAction, caller: Caller): Promise<void> {
    const filters = await caller.authorize("threads", "update", { thread_id: selector.thread_id, action, metadata: { run_ids: selector.run_ids, status: selector.status } });
    let runs: StoredRun[];
    if (selector.run_ids) {
      if (!selector.thread_id) throw new ServiceError("validation_error", "thread_id: required with run_ids", "thread_id");
      runs = [];
      for (const runId of selector.run_ids) runs.push(await this.load(selector.thread_id, runId, filters, runNotFound));
    } else if (selector.status) {
      const wanted = selector.status === "all" ? ["pending", "running"] : [selector.status];
      const visibleThread = selector.thread_id && (await this.storage.threads.get(selector.thread_id, filters));
      const inflight = selector.thread_id
        ? (visibleThread ? await this.storage.runs.inflightForThread(selector.thread_id) : [])
        : await this.storage.runs.inflightEverywhere(filters);
      runs = inflight.filter((run) => wanted.includes(run.status));
    } else {
      throw new ServiceError("validation_error", "body: give run_ids (with thread_id) or status", "body");
    }
    for (const run of runs) if (!isTerminal(run.status)) await this.engine.cancel(run.thread_id, run.run_id, action);
  }

  /** Spec §3.5: only a run that has ended may be deleted. */
  async delete(threadId: string, runId: string, caller: Caller): Promise<void> {
    const run = await this.load(threadId, runId, await caller.authorize("threads", "delete", { thread_id: threadId, run_id: runId }));
    if (!isTerminal(run.status)) throw new ServiceError("conflict", `Run ${runId} is ${run.status}; cancel it first`);
    await this.storage.runs.delete(runId);
  }

  private async waitUntilEnded(runId: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const run = await this.storage.runs.get(runId);
      if (!run || isTerminal(run.status)) return;
      await sleep(END_POLL_MS, undefined, { signal });
    }
  }

  /** The run of a thread the caller may see (`filters`); 404 otherwise, as for a missing one. */
  private async load(threadId: string, runId: string, filters: AuthFilters | undefined, threadMissing = () => threadNotFound(threadId)): Promise<StoredRun> {
    if (!(await this.storage.threads.get(threadId, filters))) throw threadMissing();
    const run = await this.storage.runs.get(runId);
    if (!run || run.thread_id !== threadId) throw runNotFound();
    return run;
  }
}

function threadBusy(threadId: string, inflight: StoredRun | undefined): ServiceError {
  const what = inflight ? ` (run ${inflight.run_id} is ${inflight.status})` : "";
  return new ServiceError(
    "thread_busy",
    `Thread ${threadId} is already running a task${what}. Wait for it to finish or choose a different multitask strategy.`,
  );
}

/**
 * A thread's status again after a run that could not start is taken back: as before the create,
 * unless the runs changed since (another run in flight, or the one in flight then has ended).
 */
function statusWithout(before: Thread, runs: ThreadRunFacts): Thread["status"] {
  if (runs.hasInflightRun) return "busy";
  if (before.status !== "busy") return before.status;
  // The pending interrupts as read before the create stand in for the latest checkpoint's.
  return threadStatus({ ...runs, hasPendingNext: Object.keys(before.interrupts).length > 0 });
}
