// Threads as the routes under /threads see them (spec §3.4, §4.1, §4.7); their state is
// the ThreadStateService's.
import { now, type JsonObject, type Thread } from "../api-types.ts";
import type { AuthFilters } from "../auth/auth-filters.ts";
import type { Caller } from "../auth/caller.ts";
import { ServiceError, threadNotFound } from "../errors.ts";
import type { GraphRegistry } from "../graphs/registry.ts";
import { newThreadId } from "../ids.ts";
import type { CronCleanup } from "../crons/crons-service.ts";
import type { ExpiredThread, Storage, ThreadFilter, ThreadSearch, ThreadTtl } from "../storage/types.ts";
import type { RunEngine } from "../temporal/run-engine.ts";
import { copyCheckpoints } from "./thread-checkpoints.ts";
import { requireThreadGraph, threadCheckpointer } from "./thread-graph.ts";
import { type StateUpdate, ThreadStateService } from "./thread-state-service.ts";

/** Minutes (the SDKs' shorthand) or the full form (spec §4.7). */
export type TtlInput = number | { ttl: number; strategy?: ThreadTtl["strategy"] };

export interface ThreadCreateBody {
  thread_id?: string | null;
  metadata?: JsonObject | null;
  if_exists?: "raise" | "do_nothing" | null;
  ttl?: TtlInput | null;
  supersteps?: Array<{ updates: StateUpdate[] }> | null;
}

export interface ThreadPatchBody {
  metadata?: JsonObject | null;
  ttl?: TtlInput | null;
}

export type PruneStrategy = "delete" | "keep_latest";

/** Cancels every inflight run of the thread and resolves once they are terminal. */
export type CancelInflightRuns = (threadId: string) => Promise<void>;

export class ThreadsService {
  readonly state: ThreadStateService;

  constructor(
    private readonly storage: Storage,
    private readonly graphs: GraphRegistry,
    engine: RunEngine,
    private readonly cancelInflightRuns: CancelInflightRuns,
    private readonly crons: CronCleanup,
  ) {
    this.state = new ThreadStateService(storage, graphs);
  }

  async create(body: ThreadCreateBody, caller: Caller): Promise<Thread> {
    const timestamp = now();
    const event = { thread_id: body.thread_id ?? newThreadId(), metadata: body.metadata ?? {}, if_exists: body.if_exists };
    const filters = await caller.authorize("threads", "create", event);
    const thread: Thread = {
      thread_id: event.thread_id,
      created_at: timestamp,
      updated_at: timestamp,
      state_updated_at: timestamp,
      metadata: event.metadata,
      status: "idle",
      config: {},
      values: null,
      interrupts: {},
    };
    const supersteps = body.supersteps ?? [];
    // Refused before anything is stored.
    if (supersteps.length > 0) await requireThreadGraph(this.graphs, thread);
    if (!(await this.storage.threads.create(thread, ttlOf(body.ttl)))) {
      // Another caller's thread is not returned, only refused (as the JS server does).
      const existing = body.if_exists === "do_nothing" ? await this.storage.threads.get(thread.thread_id, filters) : undefined;
      if (existing) return existing;
      throw new ServiceError("conflict", "Thread already exists");
    }
    if (supersteps.length === 0) return thread;
    try {
      await this.state.applySupersteps(thread, supersteps);
    } catch (err) {
      await this.remove(thread);
      throw err;
    }
    return this.visible(thread.thread_id);
  }

  async get(threadId: string, caller: Caller): Promise<Thread> {
    return this.visible(threadId, await caller.authorize("threads", "read", { thread_id: threadId }));
  }

  /** The thread if it satisfies the caller's filters; 404 as for a missing thread otherwise. */
  private async visible(threadId: string, filters?: AuthFilters): Promise<Thread> {
    const thread = await this.storage.threads.get(threadId, filters);
    if (!thread) throw threadNotFound(threadId);
    return thread;
  }

  /** Shallow-merges metadata (spec §3.4); the status is left as it is (spec §5.2). */
  async update(threadId: string, body: ThreadPatchBody, caller: Caller): Promise<Thread> {
    const event = { thread_id: threadId, metadata: body.metadata ?? {} };
    const thread = await this.visible(threadId, await caller.authorize("threads", "update", event));
    const metadata = { ...thread.metadata, ...event.metadata };
    const ttl = body.ttl === undefined ? {} : { ttl: ttlOf(body.ttl) ?? null };
    await this.storage.threads.update(threadId, { metadata, updated_at: now(), ...ttl });
    return this.visible(threadId);
  }

  /** Cancels the thread's inflight runs, then deletes it with its crons, runs and checkpoints. */
  async delete(threadId: string, caller: Caller): Promise<void> {
    await this.deleteVisible(threadId, await caller.authorize("threads", "delete", { thread_id: threadId }));
  }

  private async deleteVisible(threadId: string, filters: AuthFilters | undefined): Promise<void> {
    const thread = await this.visible(threadId, filters);
    if ((await this.storage.runs.inflightForThread(threadId)).length > 0) await this.cancelInflightRuns(threadId);
    await this.remove(thread);
  }

  /**
   * A thread past its TTL: deleted, or pruned to its latest checkpoint without its ended runs and
   * their events. A thread with a run in flight is left alone: the run's end updates the thread,
   * and its TTL counts again from there. False when nothing was done.
   */
  async expire({ threadId, strategy, updatedAt }: ExpiredThread): Promise<boolean> {
    const thread = await this.storage.threads.get(threadId);
    if (!thread || thread.updated_at !== updatedAt) return false;
    if ((await this.storage.runs.inflightForThread(threadId)).length > 0) return false;
    if (strategy === "delete") {
      await this.remove(thread);
    } else {
      await (await threadCheckpointer(this.graphs, thread))?.keepLatest(threadId);
      await this.storage.threads.dropRunHistory(threadId, updatedAt);
    }
    return true;
  }

  /** A new thread with the source's metadata and every checkpoint under the same ids; no runs. */
  async copy(threadId: string, caller: Caller): Promise<Thread> {
    const source = await this.get(threadId, caller);
    const copyId = newThreadId();
    const timestamp = now();
    const event = { thread_id: copyId, metadata: { ...source.metadata, thread_id: copyId } };
    await caller.authorize("threads", "create", event);
    const copy: Thread = {
      ...source,
      thread_id: copyId,
      created_at: timestamp,
      updated_at: timestamp,
      metadata: event.metadata,
      status: "idle",
    };
    const checkpointer = await threadCheckpointer(this.graphs, source);
    if (checkpointer) await copyCheckpoints(checkpointer, threadId, copyId);
    await this.storage.threads.create(copy, (await this.storage.threads.ttl(threadId)) ?? undefined);
    return copy;
  }

  /** Deletes the threads, or keeps them with only their latest checkpoint; unknown (or unseen) ids are skipped. */
  async prune(threadIds: string[], strategy: PruneStrategy, caller: Caller): Promise<{ pruned_count: number }> {
    let pruned = 0;
    const filters = await caller.authorize("threads", "delete", { thread_ids: threadIds });
    for (const threadId of new Set(threadIds)) {
      const thread = await this.storage.threads.get(threadId, filters);
      if (!thread) continue;
      if (strategy === "delete") {
        await this.deleteVisible(threadId, filters);
      } else {
        // A run in flight is writing checkpoints; its thread is left for a later prune.
        if ((await this.storage.runs.inflightForThread(threadId)).length > 0) continue;
        await (await threadCheckpointer(this.graphs, thread))?.keepLatest(threadId);
      }
      pruned++;
    }
    return { pruned_count: pruned };
  }

  async search(query: ThreadSearch, caller: Caller): Promise<{ items: Thread[]; total: number }> {
    return this.storage.threads.search({ ...query, auth: await this.searchFilters(query, caller) });
  }

  async count(filter: ThreadFilter, caller: Caller): Promise<number> {
    return this.storage.threads.count({ ...filter, auth: await this.searchFilters(filter, caller) });
  }

  private searchFilters(filter: ThreadFilter & { limit?: number; offset?: number }, caller: Caller) {
    const { metadata, values, status, ids, limit = 0, offset = 0 } = filter;
    return caller.authorize("threads", "search", { metadata, values, status, ids, limit, offset });
  }

  private async remove(thread: Thread): Promise<void> {
    await this.crons.deleteForThread(thread.thread_id);
    await this.storage.threads.delete(thread.thread_id);
    const checkpointer = await threadCheckpointer(this.graphs, thread);
    await checkpointer?.deleteThread(thread.thread_id);
  }
}

function ttlOf(input: TtlInput | null | undefined): ThreadTtl | undefined {
  if (input === null || input === undefined) return undefined;
  return typeof input === "number" ? { ttl: input, strategy: "delete" } : { ttl: input.ttl, strategy: input.strategy ?? "delete" };
}
