// Request schemas of the streaming routes (spec §3.5, §3.6, §5.9). Run-creating streams take the
// RunCreate body of schemas/runs.ts.
import { Type } from "typebox";
import { QueryBoolean, StreamMode } from "./common.ts";

export const JoinStreamQuery = Type.Object({
  cancel_on_disconnect: Type.Optional(QueryBoolean),
  /** Repeated keys; one value is read as a list of one. */
  stream_mode: Type.Optional(Type.Array(StreamMode)),
});

/** `Last-Event-ID` of a run stream: `-1` replays from the first event, `n` from the one after n. */
export const RunStreamHeaders = Type.Object({
  "last-event-id": Type.Optional(Type.String({ pattern: "^(-1|[0-9]+)$" })),
});

const ThreadStreamMode = Type.Union([Type.Literal("run_modes"), Type.Literal("lifecycle"), Type.Literal("state_update")]);

/** The SDKs send `stream_mode`; the Platform's OpenAPI document names it `stream_modes`. */
export const ThreadStreamQuery = Type.Object({
  stream_mode: Type.Optional(Type.Array(ThreadStreamMode)),
  stream_modes: Type.Optional(Type.Array(ThreadStreamMode)),
});

/** `-1` or `-`: from the oldest event kept; else an id this stream sent, `<run id>:<seq>` or `<run id>:done`. */
export const ThreadStreamHeaders = Type.Object({
  "last-event-id": Type.Optional(Type.String({ pattern: "^(-1|-|[0-9a-fA-F-]{36}:([0-9]+|done))$" })),
});
