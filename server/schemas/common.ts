// Schemas shared by several resources. Plain JSON Schema underneath, so one source serves
// validation, TypeScript types and (later) the OpenAPI document.
import { Type } from "typebox";
import { STREAM_MODES } from "../../src/streaming/stream-modes.ts";

export const Uuid = Type.String({ format: "uuid" });
export const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const ThreadParams = Type.Object({ thread_id: Uuid });
export const RunParams = Type.Object({ thread_id: Uuid, run_id: Uuid });
export const AssistantParams = Type.Object({ assistant_id: Type.String({ minLength: 1 }) });

/** Booleans in query strings (spec §3.1): true/false/1/0/yes/no, any case. */
export const QueryBoolean = Type.String({ pattern: "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0|[Yy][Ee][Ss]|[Nn][Oo])$" });
export const parseQueryBoolean = (value: string | undefined): boolean =>
  value !== undefined && ["true", "1", "yes"].includes(value.toLowerCase());

export const Limit = Type.Integer({ minimum: 1, maximum: 1000, default: 10 });
// Bounded, so a huge offset is a 422 and not a database error.
export const Offset = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 });

/** A stream mode a client may ask for (spec §5.9.2), from the one list the streams use. */
export const StreamMode = Type.Union(STREAM_MODES.map((mode) => Type.Literal(mode)));
