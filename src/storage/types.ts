// What the services need from a database. SQLite is the embedded default; PostgreSQL
// implements the same interface for scale-out (design: one database for everything).
import type { Assistant, Cron, JsonObject, RunStatus, StoredRun, Thread, ThreadStatus } from "../api-types.ts";
import type { AuthFilters } from "../auth/auth-filters.ts";
import type { AuthUser } from "../auth/caller.ts";
import type { RunEventStore } from "./run-events-repository.ts";
import type { ItemStore } from "./item-store.ts";
import type { StepLeaseStore } from "./step-leases-repository.ts";

/** Time to live of a thread (spec §4.7): minutes after its last update (the TTL sweep enforces it). */
export interface ThreadTtl {
  ttl: number;
  strategy: "delete" | "keep_latest";
}

/** A thread whose TTL has run out. */
export interface ExpiredThread {
  threadId: string;
  strategy: ThreadTtl["strategy"];
  updatedAt: string;
}

/** What a thread's status follows from its runs (spec §5.2). */
export interface ThreadRunFacts {
  hasInflightRun: boolean;
  /** Status of the run that ended most recently, if any. */
  lastEndedStatus: RunStatus | undefined;
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
  /** What custom auth lets the caller see (conditions on the metadata); absent: everything. */
  auth?: AuthFilters;
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
  /** Undefined also when the thread does not satisfy `auth`. */
  get(threadId: string, auth?: AuthFilters): Promise<Thread | undefined>;
  update(threadId: string, patch: ThreadPatch): Promise<void>;
  /**
   * Writes `patch` with the status `statusOf` gives for the thread's runs as they stand, in one
   * transaction that locks the thread first: refreshes of a thread take turns, so one whose
   * write comes late (a database outage, its step retried elsewhere meanwhile) cannot leave a
   * status its runs no longer have. Nothing when the thread is gone.
   */
  updateStatus(threadId: string, statusOf: (runs: ThreadRunFacts) => ThreadStatus, patch?: ThreadPatch): Promise<void>;
  /** Deletes the thread and its runs (checkpoints live in the checkpointer). */
  delete(threadId: string): Promise<void>;
  /** One page of the matching threads, and how many match in all. */
  search(query: ThreadSearch): Promise<{ items: Thread[]; total: number }>;
  count(filter: ThreadFilter): Promise<number>;
  ttl(threadId: string): Promise<ThreadTtl | null>;
  /**
   * Threads past their TTL at `now`, oldest update first, at most `limit`: their own TTL, else
   * `defaultTtl` when given. A thread already pruned to its latest checkpoint since its last
   * update is not listed again.
   */
  expired(now: Date, defaultTtl: ThreadTtl | null, limit: number): Promise<ExpiredThread[]>;
  /**
   * After its checkpoints were pruned to the latest (`keep_latest`): deletes the thread's ended
   * runs with their events, and notes the prune against `updatedAt`, in one transaction.
   */
  dropRunHistory(threadId: string, updatedAt: string): Promise<void>;
  /** Ids of the threads whose `metadata.assistant_id` is the assistant (spec §3.3, `delete_threads`). */
  idsForAssistant(assistantId: string, auth?: AuthFilters): Promise<string[]>;
}

export interface RunListOptions {
  limit: number;
  offset: number;
  status?: RunStatus;
}

/** The fields of a run record that change after its creation. */
export type RunPatch = Partial<Omit<StoredRun, "run_id" | "thread_id">>;

export interface RunStore {
  insert(run: StoredRun): Promise<void>;
  get(runId: string): Promise<StoredRun | undefined>;
  /** Newest first (spec §1.3). */
  listForThread(threadId: string, options: RunListOptions): Promise<StoredRun[]>;
  update(runId: string, patch: RunPatch): Promise<void>;
  /**
   * The run lifecycle's write (RunRecorder): `patch`, and the stream's final event when given, in
   * one transaction, only while the run's status is still `run.status`. False, writing nothing,
   * when another writer changed the status first (a step attempt and the workflow ending one run).
   */
  updateIfUnchanged(run: Pick<StoredRun, "run_id" | "thread_id" | "status">, patch: RunPatch, finalEvent?: { event: string; data: string }): Promise<boolean>;
  delete(runId: string): Promise<void>;
  /** Pending or running runs of the thread, oldest first. */
  inflightForThread(threadId: string): Promise<StoredRun[]>;
  /** Pending or running runs of all threads (whose metadata satisfies `threadAuth`), oldest first. */
  inflightEverywhere(threadAuth?: AuthFilters): Promise<StoredRun[]>;
  /** Pending or running runs of the assistant, oldest first. */
  inflightForAssistant(assistantId: string): Promise<StoredRun[]>;
  /** Deletes every run of the assistant, on any thread (spec §3.3, DELETE /assistants). */
  deleteForAssistant(assistantId: string): Promise<void>;
  /**
   * Wakes the run's watchers in this process. Called once the run's end (or its deletion by a
   * rollback) and the thread's refresh after it are written, so a woken join finds both.
   */
  announceEnd(runId: string): void;
  /**
   * Calls `listener` once the run's end is announced in this process: a join in the process whose
   * worker ran the run's last step returns at once.
   */
  watchEnd(runId: string, listener: () => void): () => void;
}

/** An assistant as it was at one version (spec §4.5): the assistant less `updated_at`. */
export type AssistantVersion = Omit<Assistant, "updated_at">;

/** Columns an assistant search may sort by (spec §3.3). */
export const ASSISTANT_SORT_FIELDS = ["assistant_id", "graph_id", "name", "created_at", "updated_at"] as const;
export type AssistantSortField = (typeof ASSISTANT_SORT_FIELDS)[number];

/** Filters shared by assistant search and count; all given ones must hold. */
export interface AssistantFilter {
  graphId?: string;
  /** Case-insensitive substring of the name. */
  name?: string;
  /** JSONB-style containment: every key/value given must be in the assistant's metadata. */
  metadata?: JsonObject;
  /** What custom auth lets the caller see (conditions on the metadata); absent: everything. */
  auth?: AuthFilters;
}

export interface AssistantSearch extends AssistantFilter {
  limit: number;
  offset: number;
  /** Default `created_at`, newest first. */
  sortBy?: AssistantSortField;
  sortOrder?: "asc" | "desc";
}

/** The fields a PATCH may change; absent fields keep their value, `metadata` is merged. */
export interface AssistantChanges {
  graph_id?: string;
  config?: JsonObject;
  context?: JsonObject;
  metadata?: JsonObject;
  name?: string;
  description?: string | null;
}

export type SetLatestResult =
  | { status: "ok"; assistant: Assistant }
  | { status: "assistant_missing" }
  | { status: "version_missing" };

export interface AssistantStore {
  /** Creates the assistant if absent; an existing one is kept as it is (spec §2.3). */
  upsertSystem(assistant: Assistant): Promise<void>;
  /** Inserts the assistant as its version 1; false when the id is taken (nothing changed). */
  create(assistant: Assistant): Promise<boolean>;
  /** Undefined also when the assistant does not satisfy `auth`. */
  get(assistantId: string, auth?: AuthFilters): Promise<Assistant | undefined>;
  search(query: AssistantSearch): Promise<{ items: Assistant[]; total: number }>;
  count(filter: AssistantFilter): Promise<number>;
  /**
   * Writes version n+1 (n = the highest version so far) from the current assistant with the
   * changes applied, and makes it the latest. Undefined when the assistant does not exist.
   */
  update(assistantId: string, changes: AssistantChanges, timestamp: string): Promise<Assistant | undefined>;
  /** Makes an existing version the latest one again (its fields become the assistant's). */
  setLatest(assistantId: string, version: number, timestamp: string): Promise<SetLatestResult>;
  /** Versions newest first; `metadata` filters by containment. */
  listVersions(assistantId: string, query: { limit: number; offset: number; metadata?: JsonObject }): Promise<AssistantVersion[]>;
  /** Deletes the assistant and all its versions; false when it did not exist. */
  delete(assistantId: string): Promise<boolean>;
}

/** Chores that one process at a time may do (their lock keys are in open-postgres.ts). */
export type ExclusiveTask = "schema-setup" | "orphan-recovery";

export const CRON_SORT_KEYS = ["cron_id", "assistant_id", "thread_id", "created_at", "updated_at", "next_run_date"] as const;
export type CronSortKey = (typeof CRON_SORT_KEYS)[number];

/** Filters shared by cron search and count; all given ones must hold. */
export interface CronFilter {
  assistantId?: string;
  threadId?: string;
  enabled?: boolean;
  /** Containment in the cron's metadata. */
  metadata?: JsonObject;
  /** Owner (custom auth): only this user's crons. */
  userId?: string;
  /** Custom auth's filters on the cron's metadata (issue 13). */
  auth?: AuthFilters;
}

export interface CronSearch extends CronFilter {
  limit: number;
  offset: number;
  sortBy: CronSortKey;
  sortOrder: "asc" | "desc";
}

export type CronPatch = Partial<Omit<Cron, "cron_id" | "created_at">>;

export interface CronStore {
  /** `creator`: the user custom auth authenticated, whom each fire's run acts for. */
  insert(cron: Cron, creator?: AuthUser): Promise<void>;
  /** The user the cron was made by, when custom auth is on. */
  creator(cronId: string): Promise<AuthUser | undefined>;
  get(cronId: string, filter?: CronFilter): Promise<Cron | undefined>;
  update(cronId: string, patch: CronPatch): Promise<void>;
  /** False when there was no such cron. */
  delete(cronId: string): Promise<boolean>;
  /** One page of the matching crons, and how many match in all. */
  search(query: CronSearch): Promise<{ items: Cron[]; total: number }>;
  count(filter: CronFilter): Promise<number>;
}

export interface Storage {
  threads: ThreadStore;
  runs: RunStore;
  assistants: AssistantStore;
  crons: CronStore;
  /** Every run's SSE events (spec §5.9), written by steps and read by streams. */
  runEvents: RunEventStore;
  /** LangGraph's BaseStore (spec §3.9): served at /store and given to every graph. */
  store: ItemStore;
  /** Which step attempt may run each thread's graph (activities/step-lease.ts). */
  stepLeases: StepLeaseStore;
  /** Answers a trivial query; throws when the database is unreachable. */
  ping(): Promise<void>;
  /**
   * Runs `work` while no other process sharing this database runs work under the same `lock`
   * (waiting for it): start-up chores that replicas must not do side by side (issue 16).
   */
  oneAtATime<T>(lock: ExclusiveTask, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
