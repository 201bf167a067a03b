// Request schemas of /threads and its state routes (spec §3.4, §4.7). Optional fields also
// accept null: the Python SDK sends None for options the caller left out.
import { Type, type TSchema } from "typebox";
import { THREAD_SORT_KEYS } from "../../src/storage/types.ts";
import { JsonObject, Limit, Offset, QueryBoolean, Uuid } from "./common.ts";

const Nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

const ThreadStatus = Type.Enum(["idle", "busy", "interrupted", "error"]);
/** Fields of a Thread a search may select (SDK `ThreadSelectField`; `context` is not kept). */
const THREAD_SELECT_FIELDS = [
  "thread_id", "created_at", "updated_at", "state_updated_at", "metadata", "config", "context", "status", "values", "interrupts",
] as const;

/** Minutes, or `{ttl, strategy}` (the SDKs turn a number into the object). */
const Ttl = Type.Union([
  Type.Number({ minimum: 0 }),
  Type.Object({ ttl: Type.Number({ minimum: 0 }), strategy: Type.Optional(Type.Enum(["delete", "keep_latest"])) }),
]);

const StateUpdateItem = Type.Object({
  values: Type.Optional(Type.Unknown()),
  command: Nullable(JsonObject),
  as_node: Type.String({ minLength: 1 }),
});

export const ThreadCreate = Type.Object({
  thread_id: Nullable(Uuid),
  metadata: Nullable(JsonObject),
  if_exists: Nullable(Type.Enum(["raise", "do_nothing"])),
  ttl: Nullable(Ttl),
  supersteps: Nullable(Type.Array(Type.Object({ updates: Type.Array(StateUpdateItem, { minItems: 1 }) }))),
});

const ThreadFilter = {
  metadata: Nullable(JsonObject),
  values: Nullable(JsonObject),
  status: Nullable(ThreadStatus),
};

export const ThreadSearch = Type.Object({
  ...ThreadFilter,
  ids: Nullable(Type.Array(Uuid)),
  limit: Type.Optional(Limit),
  offset: Type.Optional(Offset),
  sort_by: Nullable(Type.Enum(THREAD_SORT_KEYS)),
  sort_order: Nullable(Type.Enum(["asc", "desc"])),
  select: Nullable(Type.Array(Type.Enum(THREAD_SELECT_FIELDS))),
});

export const ThreadCount = Type.Object(ThreadFilter);

export const ThreadPatch = Type.Object({
  metadata: Nullable(JsonObject),
  ttl: Nullable(Ttl),
});

export const ThreadPrune = Type.Object({
  thread_ids: Type.Array(Uuid),
  strategy: Nullable(Type.Enum(["delete", "keep_latest"])),
});

/** Header `Prefer: return=minimal` asks for 204 instead of the thread. */
export const PreferHeaders = Type.Object({ prefer: Type.Optional(Type.String()) });

// State routes.

const CheckpointAddress = Type.Object({
  thread_id: Nullable(Type.String()),
  checkpoint_id: Nullable(Type.String({ minLength: 1 })),
  checkpoint_ns: Nullable(Type.String()),
  checkpoint_map: Nullable(JsonObject),
});

export const CheckpointParams = Type.Object({ thread_id: Uuid, checkpoint_id: Type.String({ minLength: 1 }) });

/** `select` (SDK 1.15) is accepted and ignored: the whole state is returned. */
export const StateQuery = Type.Object({ subgraphs: Type.Optional(QueryBoolean) });

export const StateAtCheckpoint = Type.Object({
  checkpoint: CheckpointAddress,
  subgraphs: Nullable(Type.Boolean()),
});

export const StateUpdate = Type.Object({
  /** An object, an array or null; checked by the service (the validator would wrap a string in an array). */
  values: Type.Optional(Type.Unknown()),
  as_node: Nullable(Type.String({ minLength: 1 })),
  checkpoint: Nullable(CheckpointAddress),
  checkpoint_id: Nullable(Type.String({ minLength: 1 })),
});

export const StatePatch = Type.Object({ metadata: JsonObject });

export const HistoryQuery = Type.Object({
  limit: Type.Optional(Limit),
  before: Type.Optional(Type.String({ minLength: 1 })),
});

export const HistoryRequest = Type.Object({
  limit: Type.Optional(Limit),
  before: Nullable(
    Type.Union([
      Type.String(),
      Type.Object({
        checkpoint_id: Nullable(Type.String()),
        configurable: Type.Optional(Type.Object({ checkpoint_id: Nullable(Type.String()) })),
      }),
    ]),
  ),
  metadata: Nullable(JsonObject),
  checkpoint: Nullable(CheckpointAddress),
});
