import { Type } from "typebox";
import { MULTITASK_STRATEGIES, RUN_STATUSES } from "../../src/api-types.ts";
import { JsonObject, Limit, Offset, QueryBoolean, StreamMode, Uuid } from "./common.ts";

const Nodes = Type.Union([Type.Literal("*"), Type.Array(Type.String())]);

/** A hundred years: `after_seconds` beyond it is refused (422). */
const MAX_AFTER_SECONDS = 100 * 365 * 24 * 3600;

export const RunCreate = Type.Object({
  assistant_id: Type.String({ minLength: 1 }),
  input: Type.Optional(Type.Unknown()),
  command: Type.Optional(Type.Union([JsonObject, Type.Null()])),
  metadata: Type.Optional(JsonObject),
  config: Type.Optional(
    Type.Object({
      tags: Type.Optional(Type.Array(Type.String())),
      recursion_limit: Type.Optional(Type.Integer({ minimum: 1 })),
      configurable: Type.Optional(JsonObject),
    }),
  ),
  context: Type.Optional(JsonObject),
  checkpoint_id: Type.Optional(Type.String()),
  checkpoint: Type.Optional(Type.Object({ checkpoint_id: Type.Optional(Type.String()) })),
  interrupt_before: Type.Optional(Type.Union([Nodes, Type.Null()])),
  interrupt_after: Type.Optional(Type.Union([Nodes, Type.Null()])),
  stream_mode: Type.Optional(Type.Union([StreamMode, Type.Array(StreamMode)])),
  stream_subgraphs: Type.Optional(Type.Boolean()),
  stream_resumable: Type.Optional(Type.Boolean()),
  webhook: Type.Optional(Type.Union([Type.String({ pattern: "^https?://" }), Type.Null()])),
  feedback_keys: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
  multitask_strategy: Type.Optional(Type.Union(MULTITASK_STRATEGIES.map((s) => Type.Literal(s)))),
  if_not_exists: Type.Optional(Type.Union([Type.Literal("reject"), Type.Literal("create")])),
  on_disconnect: Type.Optional(Type.Union([Type.Literal("cancel"), Type.Literal("continue")])),
  on_completion: Type.Optional(Type.Union([Type.Literal("delete"), Type.Literal("keep")])),
  // Bounded so that the start time stays a date (a larger number was a 500).
  after_seconds: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_AFTER_SECONDS })),
  durability: Type.Optional(Type.Union([Type.Literal("sync"), Type.Literal("async"), Type.Literal("exit")])),
  checkpoint_during: Type.Optional(Type.Boolean()),
  // Accepted and without effect here (spec §4.6): no LangSmith, and resumes are always strict.
  strict_resume: Type.Optional(Type.Boolean()),
  langsmith_tracer: Type.Optional(Type.Union([JsonObject, Type.Null()])),
});

/** Bounded work per request (issue 13): a larger batch is a 422, answered before any run is made. */
export const MAX_BATCH_RUNS = 100;
export const RunBatch = Type.Array(RunCreate, { minItems: 1, maxItems: MAX_BATCH_RUNS });

const CancelAction = Type.Union([Type.Literal("interrupt"), Type.Literal("rollback")]);

export const CancelQuery = Type.Object({
  wait: Type.Optional(QueryBoolean),
  action: Type.Optional(CancelAction),
  reason: Type.Optional(Type.String()),
});

export const BulkCancelQuery = Type.Object({ action: Type.Optional(CancelAction) });

export const BulkCancel = Type.Object({
  thread_id: Type.Optional(Uuid),
  run_ids: Type.Optional(Type.Array(Uuid, { minItems: 1 })),
  status: Type.Optional(Type.Union([Type.Literal("pending"), Type.Literal("running"), Type.Literal("all")])),
});

export const RunListQuery = Type.Object({
  limit: Type.Optional(Limit),
  offset: Type.Optional(Offset),
  status: Type.Optional(Type.Union(RUN_STATUSES.map((s) => Type.Literal(s)))),
});

export const JoinQuery = Type.Object({
  cancel_on_disconnect: Type.Optional(QueryBoolean),
});
