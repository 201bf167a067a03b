// What the API answers (spec §4, §6), per status code: serialization and /openapi.json both come
// from these. Every object keeps fields it does not name (`additionalProperties: true`), so
// serialization never drops a field a client expects (issue 11); field lists follow the SDK's
// types (`@langchain/langgraph-sdk` schema.d.ts).
import { Type, type TProperties, type TSchema } from "typebox";
import { MULTITASK_STRATEGIES, RUN_STATUSES } from "../../src/api-types.ts";

/** An object that names some of its fields and keeps the others. */
const Open = <T extends TProperties>(properties: T, options: { description?: string } = {}) =>
  Type.Object(properties, { additionalProperties: true, ...options });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const AnyObject = Open({});
const Timestamp = Type.String({ description: "ISO 8601 time" });

/** Every error (spec §6): `detail` always; `code` and `param` where the error handler knows them. */
export const ErrorBody = Open(
  {
    detail: Type.String(),
    code: Type.Optional(Type.String()),
    param: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(AnyObject)),
  },
  { description: "An error: what went wrong, and its code (spec §6)" },
);

export const Run = Open({
  run_id: Type.String(),
  thread_id: Type.String(),
  assistant_id: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
  status: Type.Enum(RUN_STATUSES),
  metadata: AnyObject,
  kwargs: Type.Optional(AnyObject),
  multitask_strategy: Type.Optional(Nullable(Type.Enum(MULTITASK_STRATEGIES))),
  cancel_reason: Type.Optional(Nullable(Type.String())),
});

const ThreadFields = {
  thread_id: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
  state_updated_at: Type.Optional(Timestamp),
  metadata: AnyObject,
  status: Type.Enum(["idle", "busy", "interrupted", "error"]),
  config: Type.Optional(AnyObject),
  values: Type.Optional(Type.Unknown()),
  interrupts: Type.Optional(AnyObject),
};
export const Thread = Open(ThreadFields);
/** A search result with `select`: only the fields asked for. */
export const ThreadSelection = Type.Partial(Thread);

const AssistantFields = {
  assistant_id: Type.String(),
  graph_id: Type.String(),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Nullable(Type.String())),
  config: AnyObject,
  context: Type.Optional(AnyObject),
  metadata: AnyObject,
  version: Type.Optional(Type.Integer()),
  created_at: Timestamp,
  updated_at: Timestamp,
};
export const Assistant = Open(AssistantFields);
/** A search result with `select`, or a version (which has no `updated_at`). */
export const AssistantSelection = Type.Partial(Assistant);

const CheckpointRef = Open({ thread_id: Type.String(), checkpoint_ns: Type.String(), checkpoint_id: Type.String() });

export const ThreadState = Open({
  values: Type.Optional(Type.Unknown()),
  next: Type.Array(Type.String()),
  tasks: Type.Array(AnyObject),
  metadata: Type.Optional(Nullable(AnyObject)),
  created_at: Type.Optional(Nullable(Timestamp)),
  checkpoint: Type.Optional(Nullable(CheckpointRef)),
  parent_checkpoint: Type.Optional(Nullable(CheckpointRef)),
  interrupts: Type.Optional(Type.Array(Type.Unknown())),
});

export const StateUpdated = Open({ checkpoint: CheckpointRef });
export const Pruned = Open({ pruned_count: Type.Integer() });
export const Count = Type.Integer({ minimum: 0 });
export const Ok = Open({ ok: Type.Boolean() });
export const Info = Open({ version: Type.String(), flags: Type.Optional(AnyObject), metadata: Type.Optional(AnyObject) });
/** A graph drawing, JSON schemas of a graph, or subgraphs by namespace (spec §3.3). */
export const GraphDocument = AnyObject;
/** The join body (spec §5.5): the thread's values, `{__interrupt__}` or `{__error__}`. */
export const JoinBody = Type.Unknown({ description: "The run's final values, or __interrupt__ / __error__" });
/** A server-sent event stream (spec §5.9.1); the schema is that of one event in it. */
const ServerSentEvent = Open(
  { event: Type.String(), data: Type.String({ description: "one line of JSON" }), id: Type.Optional(Type.String()) },
  { description: "server-sent events, `: heartbeat` comments between them" },
);
export const EventStream = { content: { "text/event-stream": { schema: ServerSentEvent } } };
/** 204: no body (`type: null` is how @fastify/swagger documents it). */
export const NoContent = Type.Unsafe<undefined>({ type: "null", description: "No content" });

/** A route's responses: its own answers, and the one error body for every 4xx and 5xx. */
export function responses<T extends Record<number, unknown>>(answers: T) {
  return { ...answers, "4xx": ErrorBody, "5xx": ErrorBody };
}
