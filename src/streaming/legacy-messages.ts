// The legacy `messages` stream mode of the JS server and LangGraph Studio (spec §5.9.2): a chat
// model's message announced once (`messages/metadata`), the message as accumulated so far after
// every token (`messages/partial`), and the messages that landed in the state
// (`messages/complete`). Built from LangGraph's `messages` and `values` chunks.
import { isBaseMessage, type AIMessageChunk, type BaseMessage } from "@langchain/core/messages";

export interface LegacyEvent {
  event: "messages/metadata" | "messages/partial" | "messages/complete";
  payload: unknown;
}

export class LegacyMessages {
  private readonly streaming = new Map<string, AIMessageChunk>();
  private readonly inState = new Set<string>();

  /** A `messages` chunk: `[message chunk, metadata]` of one token. */
  token([chunk, metadata]: [unknown, unknown]): LegacyEvent[] {
    if (!isAiMessageChunk(chunk) || !chunk.id) return [];
    const sofar = this.streaming.get(chunk.id);
    const accumulated = sofar ? sofar.concat(chunk) : chunk;
    this.streaming.set(chunk.id, accumulated);
    const partial: LegacyEvent = { event: "messages/partial", payload: [accumulated] };
    return sofar ? [partial] : [{ event: "messages/metadata", payload: { [chunk.id]: { metadata: withoutEmptyTags(metadata) } } }, partial];
  }

  /**
   * A root `values` chunk. `shown`: it is part of the run's stream; a step's replay of the state
   * is not, but tells which messages were already in the state.
   */
  state(values: unknown, shown: boolean): LegacyEvent[] {
    const messages = (values as { messages?: unknown } | null)?.messages;
    if (!Array.isArray(messages)) return [];
    const landed = (messages as BaseMessage[]).filter((message) => message.id && !this.inState.has(message.id));
    for (const message of landed) this.inState.add(message.id!);
    return shown && landed.length > 0 ? [{ event: "messages/complete", payload: landed }] : [];
  }
}

/**
 * Duck-typed: the graph's messages come from the user's @langchain/core, which may be another
 * copy than ours (issue 17), and AIMessageChunk.isInstance compares prototypes with our copy's.
 */
function isAiMessageChunk(value: unknown): value is AIMessageChunk {
  return isBaseMessage(value) && value.getType() === "ai" && typeof (value as Partial<AIMessageChunk>).concat === "function";
}

/** The official server announces the model run's metadata, which has no `tags` when there are none. */
function withoutEmptyTags(metadata: unknown): unknown {
  if (!metadata || typeof metadata !== "object") return metadata;
  const { tags, ...rest } = metadata as { tags?: unknown[] };
  return Array.isArray(tags) && tags.length === 0 ? rest : metadata;
}
