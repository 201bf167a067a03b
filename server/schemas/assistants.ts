import { Type } from "typebox";
import { JsonObject, Limit, Offset } from "./common.ts";

export const AssistantSearch = Type.Object({
  graph_id: Type.Optional(Type.String()),
  metadata: Type.Optional(JsonObject),
  limit: Type.Optional(Limit),
  offset: Type.Optional(Offset),
});
