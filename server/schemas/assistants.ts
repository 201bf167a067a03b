// Request schemas of the assistant routes (spec §3.3). Unknown body fields are ignored (§3.1).
import { Type } from "typebox";
import { ASSISTANT_FIELDS } from "../../src/assistants/assistants-service.ts";
import { ASSISTANT_SORT_FIELDS } from "../../src/storage/types.ts";
import { AssistantParams, JsonObject, Limit, Offset, QueryBoolean, Uuid } from "./common.ts";

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));

/** `{tags?, recursion_limit?, configurable?}`; other keys are kept as given. */
const AssistantConfig = Type.Object({
  tags: Type.Optional(Type.Array(Type.String())),
  recursion_limit: Type.Optional(Type.Integer({ minimum: 1 })),
  configurable: Type.Optional(JsonObject),
});

// One `type` list rather than a union: with Fastify's type coercion a union's string branch
// would turn null into "" before the null branch is tried.
const Description = Type.Unsafe<string | null>({ type: ["string", "null"] });

export const AssistantCreate = Type.Object({
  graph_id: Type.String({ minLength: 1 }),
  assistant_id: Type.Optional(Uuid),
  config: Type.Optional(AssistantConfig),
  context: Type.Optional(JsonObject),
  metadata: Type.Optional(JsonObject),
  if_exists: Type.Optional(literals(["raise", "do_nothing"])),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Description),
});

export const AssistantPatch = Type.Object({
  graph_id: Type.Optional(Type.String({ minLength: 1 })),
  config: Type.Optional(AssistantConfig),
  context: Type.Optional(JsonObject),
  metadata: Type.Optional(JsonObject),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Description),
});

const AssistantFilter = {
  graph_id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  metadata: Type.Optional(JsonObject),
};

export const AssistantSearch = Type.Object({
  ...AssistantFilter,
  limit: Type.Optional(Limit),
  offset: Type.Optional(Offset),
  sort_by: Type.Optional(literals(ASSISTANT_SORT_FIELDS)),
  sort_order: Type.Optional(literals(["asc", "desc"])),
  select: Type.Optional(Type.Array(literals(ASSISTANT_FIELDS))),
});

export const AssistantCount = Type.Object(AssistantFilter);

export const AssistantVersionsQuery = Type.Object({
  limit: Type.Optional(Limit),
  offset: Type.Optional(Offset),
  metadata: Type.Optional(JsonObject),
});

export const AssistantSetLatest = Type.Object({ version: Type.Integer({ minimum: 1 }) });

export const AssistantDeleteQuery = Type.Object({ delete_threads: Type.Optional(QueryBoolean) });

/** `xray`: a boolean (true/false/yes/no) or a depth (0 = off); the SDKs send `true` or `2`. */
export const AssistantGraphQuery = Type.Object({
  xray: Type.Optional(Type.String({ pattern: "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|[0-9]+)$" })),
});

export const parseXray = (value: string | undefined): boolean | number => {
  if (value === undefined) return false;
  if (/^[0-9]+$/.test(value)) return Number(value) > 0 ? Number(value) : false;
  return ["true", "yes"].includes(value.toLowerCase());
};

export const AssistantSubgraphParams = Type.Object({
  ...AssistantParams.properties,
  namespace: Type.Optional(Type.String({ minLength: 1 })),
});

export const AssistantSubgraphsQuery = Type.Object({ recurse: Type.Optional(QueryBoolean) });
