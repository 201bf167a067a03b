// Builds a run record from a RunCreate body (spec §4.4, §4.6) and the merge rules of §5.10.
// Pure: the runs service supplies the assistant, the thread and the request headers.
import type { HeaderRules } from "../graphs/langgraph-json.ts";
import type { Assistant, JsonObject, MultitaskStrategy, RunKwargs, StoredRun, Thread } from "../api-types.ts";
import type { AuthUser } from "../auth/caller.ts";
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

/** Never copied into a run, whatever `http.configurable_headers` says (issue 13): credentials. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);
/** Left out by the default rule, as LangGraph Platform does. */
const DEFAULT_EXCLUDES = ["x-api-key", "x-tenant-id", "x-service-key"];
/** The default rule (spec §5.10): `x-*` and user-agent, minus DEFAULT_EXCLUDES. */
export const DEFAULT_HEADER_RULES: HeaderRules = { includes: ["x-*", "user-agent"], excludes: DEFAULT_EXCLUDES };

/** `*` matches any run of characters; nothing else is special (as LangGraph Platform). */
function matches(patterns: string[], name: string): boolean {
  return patterns.some((pattern) => {
    const parts = pattern.toLowerCase().split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${parts.join(".*")}$`).test(name);
  });
}

/** The request headers a run's `configurable` receives; excludes win over includes. */
export function configurableHeaders(headers: Record<string, string | string[] | undefined>, rules: HeaderRules = DEFAULT_HEADER_RULES): JsonObject {
  const includes = rules.includes ?? DEFAULT_HEADER_RULES.includes!;
  const excludes = rules.includes === null ? [...DEFAULT_EXCLUDES, ...rules.excludes] : rules.excludes;
  const out: JsonObject = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (value === undefined || CREDENTIAL_HEADERS.has(name) || matches(excludes, name) || !matches(includes, name)) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
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
  /** `http.configurable_headers` of langgraph.json; the default rule when absent. */
  headerRules?: HeaderRules;
  createdAt: string;
  /** The custom-auth user who creates the run; it reaches the graph with the run (issue 13). */
  user?: AuthUser;
}

export function buildRun({ runId, body, assistant, thread, headers, headerRules, createdAt, user }: NewRunParts): StoredRun {
  const graphId = assistant.graph_id;
  const metadata = { ...assistant.metadata, ...thread.metadata, ...(body.metadata ?? {}) };
  const threadConfigurable = ((thread.config.configurable ?? {}) as JsonObject);
  const pinned = body.checkpoint_id ?? body.checkpoint?.checkpoint_id;
  const configurable: JsonObject = {
    // The user is only ever the one who creates the run: never a client's claim, nor a
    // previous run's user kept in the thread's config.
    ...withoutAuthUser({
      ...((assistant.config.configurable ?? {}) as JsonObject),
      ...threadConfigurable,
      ...(body.config?.configurable ?? {}),
      ...configurableHeaders(headers, headerRules),
    }),
    // Stored with the run, so a retried step on another worker sees the same user.
    ...authConfigurable(user),
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

const AUTH_USER_KEYS = ["langgraph_auth_user", "langgraph_auth_user_id", "langgraph_auth_permissions"];

function withoutAuthUser(configurable: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(configurable).filter(([key]) => !AUTH_USER_KEYS.includes(key)));
}

/** What a run carries in `config.configurable` so its graph knows the user (as the JS server's applyAuthToRunConfig). */
function authConfigurable(user: AuthUser | undefined): JsonObject {
  if (!user) return {};
  return {
    langgraph_auth_user: user,
    langgraph_auth_user_id: user.identity,
    langgraph_auth_permissions: user.permissions,
  };
}

function pick(source: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

/** The Run as clients see it: the stored record without the engine's bookkeeping. */
export function publicRun({ result: _r, started_at: _s, ended_at: _e, attempt: _a, ...run }: StoredRun) {
  return run;
}
