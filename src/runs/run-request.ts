// Builds a run record from a RunCreate body (spec §4.4, §4.6) and the merge rules of §5.10.
// Pure: the runs service supplies the assistant, the thread and the request headers.
import type { Assistant, JsonObject, MultitaskStrategy, RunKwargs, StoredRun, Thread } from "../api-types.ts";
import { NEW_RUN } from "./run-lifecycle.ts";

export interface RunCreateBody {
  assistant_id: string;
  input?: unknown;
  command?: JsonObject | null;
  metadata?: JsonObject;
  config?: { tags?: string[]; recursion_limit?: number; configurable?: JsonObject };
  context?: JsonObject;
  checkpoint_id?: string;
  checkpoint?: { checkpoint_id?: string };
  interrupt_before?: "*" | string[] | null;
  interrupt_after?: "*" | string[] | null;
  stream_mode?: string | string[];
  stream_subgraphs?: boolean;
  stream_resumable?: boolean;
  webhook?: string | null;
  feedback_keys?: string[] | null;
  multitask_strategy?: MultitaskStrategy;
  if_not_exists?: "reject" | "create";
  after_seconds?: number;
  durability?: "sync" | "async" | "exit";
  checkpoint_during?: boolean;
}

/** Headers copied into `configurable` (spec §5.10): `x-*` except credentials, and user-agent. */
const SKIPPED_HEADERS = new Set(["x-api-key", "x-tenant-id", "x-service-key"]);

export function configurableHeaders(headers: Record<string, string | string[] | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (value === undefined || SKIPPED_HEADERS.has(name)) continue;
    if (name.startsWith("x-") || name === "user-agent") out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export interface NewRunParts {
  runId: string;
  body: RunCreateBody;
  assistant: Assistant;
  /** The thread after its metadata was stamped with the run's graph and assistant. */
  thread: Thread;
  headers: Record<string, string | string[] | undefined>;
  createdAt: string;
}

export function buildRun({ runId, body, assistant, thread, headers, createdAt }: NewRunParts): StoredRun {
  const graphId = assistant.graph_id;
  const metadata = { ...assistant.metadata, ...thread.metadata, ...(body.metadata ?? {}) };
  const threadConfigurable = ((thread.config.configurable ?? {}) as JsonObject);
  const pinned = body.checkpoint_id ?? body.checkpoint?.checkpoint_id;
  const configurable: JsonObject = {
    ...((assistant.config.configurable ?? {}) as JsonObject),
    ...threadConfigurable,
    ...(body.config?.configurable ?? {}),
    ...configurableHeaders(headers),
    ...(pinned ? { checkpoint_id: pinned } : {}),
    run_id: runId,
    thread_id: thread.thread_id,
    graph_id: graphId,
    assistant_id: assistant.assistant_id,
  };
  const kwargs: RunKwargs = {
    input: body.input ?? null,
    command: body.command ?? null,
    config: {
      ...pick(assistant.config, ["tags", "recursion_limit"]),
      ...pick(body.config ?? {}, ["tags", "recursion_limit"]),
      configurable,
      metadata,
    },
    context: { ...assistant.context, ...(body.context ?? {}) },
    stream_mode: body.stream_mode === undefined ? ["values"] : [body.stream_mode].flat(),
    interrupt_before: body.interrupt_before ?? null,
    interrupt_after: body.interrupt_after ?? null,
    webhook: body.webhook ?? null,
    feedback_keys: body.feedback_keys ?? null,
    temporary: false,
    subgraphs: body.stream_subgraphs ?? false,
    resumable: body.stream_resumable ?? false,
    durability: body.durability ?? (body.checkpoint_during === false ? "exit" : "async"),
  };
  return {
    run_id: runId,
    thread_id: thread.thread_id,
    assistant_id: assistant.assistant_id,
    created_at: createdAt,
    updated_at: createdAt,
    metadata,
    kwargs,
    multitask_strategy: body.multitask_strategy ?? "reject",
    ...NEW_RUN,
  };
}

function pick(source: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

/** The Run as clients see it: the stored record without the engine's bookkeeping. */
export function publicRun({ result: _r, started_at: _s, ended_at: _e, attempt: _a, ...run }: StoredRun) {
  return run;
}
