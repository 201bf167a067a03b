// Request and response schemas of /store (spec §3.9), as the official clients send and read them.
// Optional fields also accept null: the Python SDK sends None for options the caller left out.
import { Type, type TSchema } from "typebox";
import { MAX_TTL_MINUTES } from "../../src/api-types.ts";
import { JsonObject, Offset, QueryBoolean } from "./common.ts";

const Nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const Namespace = Type.Array(Type.String(), { maxItems: 100 });

export const StorePutItem = Type.Object({
  namespace: Namespace,
  key: Type.String(),
  value: JsonObject,
  /** false: not indexed; a list of JSON paths: what to embed instead of `store.index.fields`. */
  index: Nullable(Type.Union([Type.Literal(false), Type.Array(Type.String())])),
  /** Minutes until the item expires. */
  ttl: Nullable(Type.Number({ exclusiveMinimum: 0, maximum: MAX_TTL_MINUTES })),
});

export const StoreGetItem = Type.Object({
  /** Labels joined by "." */
  namespace: Type.Optional(Type.String()),
  key: Type.String(),
  refresh_ttl: Type.Optional(QueryBoolean),
});

export const StoreDeleteItem = Type.Object({
  namespace: Nullable(Namespace),
  key: Type.String(),
});

export const StoreSearchItems = Type.Object({
  namespace_prefix: Namespace,
  filter: Nullable(JsonObject),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 10 })),
  offset: Type.Optional(Offset),
  query: Nullable(Type.String()),
  refresh_ttl: Nullable(Type.Boolean()),
});

export const StoreListNamespaces = Type.Object({
  prefix: Nullable(Namespace),
  suffix: Nullable(Namespace),
  max_depth: Nullable(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Offset),
});

// Responses keep unknown fields, so serialization never drops one a client expects.
export const StoreItem = Type.Object(
  {
    namespace: Type.Array(Type.String()),
    key: Type.String(),
    value: JsonObject,
    created_at: Type.String(),
    updated_at: Type.String(),
    /** Similarity, from a search with `query` when the store has an index. */
    score: Type.Optional(Type.Number()),
  },
  { additionalProperties: true },
);

export const StoreSearchResponse = Type.Object({ items: Type.Array(StoreItem) }, { additionalProperties: true });
export const StoreNamespacesResponse = Type.Object({ namespaces: Type.Array(Type.Array(Type.String())) }, { additionalProperties: true });
export const StoreErrorResponse = Type.Object({ detail: Type.String(), code: Type.String() }, { additionalProperties: true });
export const NoContent = Type.Null({ description: "No content" });
