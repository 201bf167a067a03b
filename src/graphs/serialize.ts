// Turns graph state into the JSON clients read (spec §5.9.3): LangChain messages become
// plain dicts `{type, content, id, ...}` instead of their constructor form.
import { isBaseMessage } from "@langchain/core/messages";

export function toPlainJson(value: unknown): unknown {
  if (isBaseMessage(value)) return { ...(toPlainJson(value.toDict().data) as object), type: value.getType() };
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (value !== null && typeof value === "object") {
    if (Object.getPrototypeOf(value) !== Object.prototype && "toJSON" in value) {
      return toPlainJson((value as { toJSON(): unknown }).toJSON());
    }
    return Object.fromEntries(
      Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function").map(([k, v]) => [k, toPlainJson(v)]),
    );
  }
  return value;
}
