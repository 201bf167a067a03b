// What the services need from a database. SQLite is the embedded default; PostgreSQL
// implements the same interface for scale-out (design: one database for everything).
import type { Assistant, JsonObject, RunStatus, StoredRun, Thread, ThreadStatus } from "../api-types.ts";

/** Time to live of a thread (spec §4.7), stored as given; expiry is not enforced yet. */
export interface ThreadTtl {
  ttl: number;
  strategy: "delete";
}

export type ThreadPatch = Partial<Omit<Thread, "thread_id" | "created_at">> & { ttl?: ThreadTtl | null };

export const THREAD_SORT_KEYS = ["thread_id", "status", "created_at", "updated_at", "state_updated_at"] as const;
export type ThreadSortKey = (typeof THREAD_SORT_KEYS)[number];

export interface ThreadFilter {
  /** Containment (as jsonb `@>`) in the thread's metadata. */
  metadata?: JsonObject;
  /** Containment in the thread's values. */
  values?: JsonObject;
  status?: ThreadStatus;
  ids?: string[];
}

export interface ThreadSearch extends ThreadFilter {
  limit: number;
  offset: number;
  sortBy: ThreadSortKey;
  sortOrder: "asc" | "desc";
}

export interface ThreadStore {
  /** Inserts the thread; false when the id is taken (nothing changed). */
  create(thread: Thread, ttl?: ThreadTtl): Promise<boolean>;
  get(threadId: string): Promise<Thread | undefined>;
  update(threadId: string, patch: ThreadPatch): Promise<void>;
  /** Deletes the thread and its runs (checkpoints live in the checkpointer). */
  delete(threadId: string): Promise<void>;
  /** One page of the matching threads, and how many match in all. */
  search(query: ThreadSearch): Promise<{ items: Thread[]; total: number }>;
  count(filter: ThreadFilter): Promise<number>;
  ttl(threadId: string): Promise<ThreadTtl | null>;
}

export interface RunListOptions {
  limit: number;
  offset: number;
  status?: RunStatus;
}

export interface RunStore {
  insert(run: StoredRun): Promise<void>;
  get(runId: string): Promise<StoredRun | undefined>;
  /** Newest first (spec §1.3). */
  listForThread(threadId: string, options: RunListOptions): Promise<StoredRun[]>;
  update(runId: string, patch: Partial<Omit<StoredRun, "run_id" | "thread_id">>): Promise<void>;
  delete(runId: string): Promise<void>;
  /** Pending or running runs of the thread, oldest first. */
  inflightForThread(threadId: string): Promise<StoredRun[]>;
  /** The run of the thread that ended last, if any. */
  lastEndedForThread(threadId: string): Promise<StoredRun | undefined>;
}

export interface AssistantSearch {
  graphId?: string;
  limit: number;
  offset: number;
}

export interface AssistantStore {
  /** Creates the assistant if absent; an existing one is kept as it is (spec §2.3). */
  upsertSystem(assistant: Assistant): Promise<void>;
  get(assistantId: string): Promise<Assistant | undefined>;
  search(query: AssistantSearch): Promise<{ items: Assistant[]; total: number }>;
}

export interface Storage {
  threads: ThreadStore;
  runs: RunStore;
  assistants: AssistantStore;
  /** Answers a trivial query; throws when the database is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
