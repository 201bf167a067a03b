// The resources as clients see them (spec §4). Storage and services speak these shapes.

export type JsonObject = Record<string, unknown>;

export const RUN_STATUSES = ["pending", "running", "success", "error", "timeout", "interrupted"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type ThreadStatus = "idle" | "busy" | "interrupted" | "error";
export const MULTITASK_STRATEGIES = ["reject", "interrupt", "rollback", "enqueue"] as const;
export type MultitaskStrategy = (typeof MULTITASK_STRATEGIES)[number];

export interface Thread {
  thread_id: string;
  created_at: string;
  updated_at: string;
  state_updated_at: string;
  metadata: JsonObject;
  status: ThreadStatus;
  config: JsonObject;
  values: unknown;
  interrupts: Record<string, unknown[]>;
}

export interface RunKwargs {
  input: unknown;
  command: JsonObject | null;
  config: { configurable: JsonObject; metadata: JsonObject; tags?: string[]; recursion_limit?: number };
  context: JsonObject;
  stream_mode: string[];
  interrupt_before: "*" | string[] | null;
  interrupt_after: "*" | string[] | null;
  webhook: string | null;
  feedback_keys: string[] | null;
  temporary: boolean;
  subgraphs: boolean;
  resumable: boolean;
  durability: "sync" | "async" | "exit";
}

export interface Run {
  run_id: string;
  thread_id: string;
  assistant_id: string;
  created_at: string;
  updated_at: string;
  status: RunStatus;
  metadata: JsonObject;
  kwargs: RunKwargs;
  multitask_strategy: MultitaskStrategy;
  cancel_reason: string | null;
}

/** A run as stored: the client's view plus what the engine keeps about it. */
export interface StoredRun extends Run {
  /** Final join body (spec §5.5); null until the run is terminal. */
  result: unknown;
  started_at: string | null;
  ended_at: string | null;
  /** Execution attempt of the current step (1 after the first start). */
  attempt: number;
}

export interface Assistant {
  assistant_id: string;
  graph_id: string;
  name: string;
  description: string | null;
  config: JsonObject;
  context: JsonObject;
  metadata: JsonObject;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CheckpointRef {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  checkpoint_map: JsonObject | null;
}

export interface ThreadTask {
  id: string;
  name: string;
  path?: unknown[];
  error: string | null;
  interrupts: unknown[];
  /** The subgraph's `{thread_id, checkpoint_ns}` (spec §4.2), as LangGraph names it. */
  checkpoint: JsonObject | null;
  state: ThreadState | null;
  result: unknown;
}

export interface ThreadState {
  values: unknown;
  next: string[];
  tasks: ThreadTask[];
  metadata: JsonObject | null;
  created_at: string | null;
  checkpoint: CheckpointRef | null;
  parent_checkpoint: CheckpointRef | null;
  interrupts: unknown[];
}

/** A run still to end: queued or running. */
export const INFLIGHT_STATUSES: RunStatus[] = ["pending", "running"];
export const isTerminal = (status: RunStatus): boolean => !INFLIGHT_STATUSES.includes(status);
export const now = (): string => new Date().toISOString();
/** A hundred years, in minutes: the longest TTL accepted (a far longer one has no date, and failed). */
export const MAX_TTL_MINUTES = 100 * 365 * 24 * 60;

/** A scheduled run (spec §3.7; the SDKs' `Cron`). `payload` is the run body each fire submits. */
export interface Cron {
  cron_id: string;
  assistant_id: string;
  /** Null for a stateless cron: each fire runs on a new thread. */
  thread_id: string | null;
  user_id: string | null;
  schedule: string;
  /** IANA zone the schedule is read in; null = UTC. */
  timezone: string | null;
  end_time: string | null;
  payload: JsonObject;
  metadata: JsonObject;
  /** Stateless crons: keep or delete each fire's thread after its run (default delete). */
  on_run_completed: "delete" | "keep" | null;
  enabled: boolean;
  next_run_date: string | null;
  created_at: string;
  updated_at: string;
}
