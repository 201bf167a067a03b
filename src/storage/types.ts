// What the services need from a database. SQLite is the embedded default; PostgreSQL
// implements the same interface for scale-out (design: one database for everything).
import type { Assistant, RunStatus, StoredRun, Thread } from "../api-types.ts";

export interface ThreadStore {
  /** Inserts the thread; false when the id is taken (nothing changed). */
  create(thread: Thread): Promise<boolean>;
  get(threadId: string): Promise<Thread | undefined>;
  update(threadId: string, patch: Partial<Omit<Thread, "thread_id" | "created_at">>): Promise<void>;
  /** Deletes the thread and its runs (checkpoints live in the checkpointer). */
  delete(threadId: string): Promise<void>;
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
