// Runs on threads: the facade's create / get / list / join, mapped onto the run workflow
// (design: "A background run, end to end").
import { setTimeout as sleep } from "node:timers/promises";
import { isTerminal, now, type Run, type RunStatus, type StoredRun } from "../api-types.ts";
import { notFound, runNotFound, ServiceError, threadNotFound } from "../errors.ts";
import { newRunId } from "../ids.ts";
import type { AssistantsService } from "../assistants/assistants-service.ts";
import type { Storage } from "../storage/types.ts";
import { type RunEngine, ThreadLockedError } from "../temporal/run-engine.ts";
import { buildRun, publicRun, type RunCreateBody } from "./run-request.ts";

export type Headers = Record<string, string | string[] | undefined>;

/** How long a create waits for a thread's workflow that is only closing (its run has ended). */
const CLOSING_WORKFLOW_RETRIES = 50;

export class RunsService {
  constructor(
    private readonly storage: Storage,
    private readonly assistants: AssistantsService,
    private readonly engine: RunEngine,
  ) {}

  async create(threadId: string, body: RunCreateBody, headers: Headers): Promise<Run> {
    const assistant = await this.assistants.resolve(body.assistant_id);
    if (!assistant) {
      throw notFound(`No assistant found for "${body.assistant_id}". Make sure the assistant ID is for a valid assistant or a valid graph ID.`);
    }
    const thread = await this.storage.threads.get(threadId);
    if (!thread) throw threadNotFound(threadId);
    await this.rejectIfBusy(threadId);

    const stamped = { graph_id: assistant.graph_id, assistant_id: assistant.assistant_id };
    const stampedThread = { ...thread, metadata: { ...thread.metadata, ...stamped } };
    const run = buildRun({ runId: newRunId(), body, assistant, thread: stampedThread, headers, createdAt: now() });
    await this.storage.runs.insert(run);
    // The thread is busy before the workflow can start, so a fast run that ends at once
    // leaves it idle rather than being overwritten.
    await this.storage.threads.update(threadId, {
      metadata: stampedThread.metadata,
      config: { ...thread.config, ...run.kwargs.config, metadata: undefined },
      status: "busy",
      updated_at: run.created_at,
    });
    try {
      await this.startWorkflow(run, assistant.graph_id);
    } catch (err) {
      await this.storage.runs.delete(run.run_id);
      await this.storage.threads.update(threadId, { status: thread.status, metadata: thread.metadata, config: thread.config });
      throw err;
    }
    return publicRun(run);
  }

  private async rejectIfBusy(threadId: string): Promise<void> {
    const [inflight] = await this.storage.runs.inflightForThread(threadId);
    if (inflight) throw threadBusy(threadId, inflight);
  }

  /** Temporal's refusal is the lock; an execution whose run already ended is only closing. */
  private async startWorkflow(run: StoredRun, graphId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.engine.start(run, graphId);
      } catch (err) {
        if (!(err instanceof ThreadLockedError)) throw err;
        const other = (await this.storage.runs.inflightForThread(run.thread_id)).find((r) => r.run_id !== run.run_id);
        if (other || attempt >= CLOSING_WORKFLOW_RETRIES) throw threadBusy(run.thread_id, other);
        await sleep(20);
      }
    }
  }

  async get(threadId: string, runId: string): Promise<Run> {
    return publicRun(await this.load(threadId, runId));
  }

  async list(threadId: string, options: { limit: number; offset: number; status?: RunStatus }): Promise<Run[]> {
    if (!(await this.storage.threads.get(threadId))) throw threadNotFound(threadId);
    return (await this.storage.runs.listForThread(threadId, options)).map(publicRun);
  }

  /** The run's final body (spec §5.5): waits while the run is in flight. */
  async join(threadId: string, runId: string): Promise<unknown> {
    for (;;) {
      const run = await this.load(threadId, runId);
      if (isTerminal(run.status)) return run.result;
      await this.engine.waitForClose(threadId);
      // A closed workflow has recorded its run's end; a pause keeps a lagging reader from spinning.
      await sleep(50);
    }
  }

  private async load(threadId: string, runId: string): Promise<StoredRun> {
    if (!(await this.storage.threads.get(threadId))) throw threadNotFound(threadId);
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
