// Threads and their state, as the routes under /threads see them.
import { now, type JsonObject, type Thread, type ThreadState } from "../api-types.ts";
import { ServiceError, threadNotFound } from "../errors.ts";
import type { GraphRegistry } from "../graphs/registry.ts";
import { readThreadState } from "../graphs/state-reader.ts";
import { emptyThreadState } from "../graphs/thread-state.ts";
import { newThreadId } from "../ids.ts";
import type { Storage } from "../storage/types.ts";
import type { RunEngine } from "../temporal/run-engine.ts";

export interface ThreadCreateBody {
  thread_id?: string;
  metadata?: JsonObject;
  if_exists?: "raise" | "do_nothing";
}

export class ThreadsService {
  constructor(
    private readonly storage: Storage,
    private readonly graphs: GraphRegistry,
    private readonly engine: RunEngine,
  ) {}

  async create(body: ThreadCreateBody): Promise<Thread> {
    const timestamp = now();
    const thread: Thread = {
      thread_id: body.thread_id ?? newThreadId(),
      created_at: timestamp,
      updated_at: timestamp,
      state_updated_at: timestamp,
      metadata: body.metadata ?? {},
      status: "idle",
      config: {},
      values: null,
      interrupts: {},
    };
    if (await this.storage.threads.create(thread)) return thread;
    if (body.if_exists === "do_nothing") return this.get(thread.thread_id);
    throw new ServiceError("conflict", "Thread already exists");
  }

  async get(threadId: string): Promise<Thread> {
    const thread = await this.storage.threads.get(threadId);
    if (!thread) throw threadNotFound(threadId);
    return thread;
  }

  /**
   * The thread's latest state. While a run is in flight the workflow names the checkpoint it
   * has committed, so a reader never sees a step that Temporal does not know of yet.
   */
  async getState(threadId: string): Promise<ThreadState> {
    const thread = await this.get(threadId);
    const graphId = thread.metadata.graph_id;
    if (typeof graphId !== "string" || !this.graphs.has(graphId)) return emptyThreadState();
    const graph = await this.graphs.get(graphId, { configurable: (thread.config.configurable ?? {}) as JsonObject });
    const live = thread.status === "busy" ? await this.engine.progress(threadId) : undefined;
    return readThreadState(graph, threadId, live?.checkpointId ?? undefined);
  }
}
